const { render, text, tap } = require('../helpers/component')
const { progress } = require('../helpers/fixtures')

describe('stage-flow', () => {
  const stages = progress({ supervisor: { status: 'cleared' }, loan: { status: 'not_applicable' } }).stages

  test('groups parallel stages, the supervisor chain and grad_office last', () => {
    const comp = render('stage-flow', { stages })
    const groups = comp.querySelectorAll('.group')
    expect(groups).toHaveLength(3)
    expect(text(groups[0])).toMatch(/^可同时办理 × 学院研究生工作组 × 学院党委或党总支 × 财务处 ✓ 国家助学贷款中心/)
    expect(text(groups[0])).toContain('× 一卡通管理中心 （建议最后办理）')
    expect(text(groups[1])).toBe('依次办理 ✓ 导师 → × 学院研究生教务秘书')
    expect(text(groups[2])).toBe('以上全部完成后 × 研究生院研工办')
  })

  test('empty stages render only the parallel heading', () => {
    expect(text(render('stage-flow', { stages: [] }))).toBe('可同时办理')
  })

  test('tapping a node selects it', async () => {
    const comp = render('stage-flow', { stages })
    const onSelect = jest.fn()
    comp.addEventListener('select', onSelect)
    await tap(comp.querySelector('.last .node'))
    expect(onSelect.mock.calls[0][0].detail).toEqual({ code: 'grad_office' })
  })
})
