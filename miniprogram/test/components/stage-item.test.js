const { render, text, tap } = require('../helpers/component')
const { stage } = require('../helpers/fixtures')

describe('stage-item', () => {
  test.each([
    ['cleared', stage('dorm', '学生公寓管理中心', '公寓', { status: 'cleared' }), '✓ 学生公寓管理中心 已通过 公寓 ›'],
    ['not applicable', stage('loan', '国家助学贷款中心', '资助中心', { status: 'not_applicable' }), '✓ 国家助学贷款中心 无需办理 资助中心 ›'],
    ['pending', stage('party', '学院党委或党总支', '党委', {}), '× 学院党委或党总支 待办理 党委 ›'],
    ['rejected with reason', stage('supervisor', '导师', '导师', { status: 'rejected', reason: '确认书缺少签字' }), '× 导师 已退回 导师 退回原因：确认书缺少签字 ›'],
    ['data freshness', stage('finance', '财务处', '财务处', { status: 'pending', data_as_of: '2026-06-02T01:30:00Z' }), '× 财务处 待办理 财务处 数据更新于 2026-06-02 09:30 ›'],
    ['advice while not done', stage('campus_card', '一卡通管理中心', '一卡通', { advice: '建议最后办理' }), '× 一卡通管理中心 待办理 一卡通 建议最后办理 ›'],
  ])('%s', (_n, s, want) => {
    expect(text(render('stage-item', { stage: s }))).toBe(want)
  })

  test('renders nothing without a stage', () => {
    expect(text(render('stage-item', {}))).toBe('')
  })

  test('a tap selects the stage code', async () => {
    const comp = render('stage-item', { stage: stage('dorm', '学生公寓管理中心', '公寓') })
    const onSelect = jest.fn()
    comp.addEventListener('select', onSelect)
    await tap(comp.querySelector('.stage-item'))
    expect(onSelect.mock.calls[0][0].detail).toEqual({ code: 'dorm' })
  })
})
