const { render, text, tap } = require('../helpers/component')
const { stage, DORM_LOCATIONS } = require('../helpers/fixtures')

describe('next-card', () => {
  const dorm = stage('dorm', '学生公寓管理中心', '后勤', { locations: DORM_LOCATIONS })
  const card = stage('campus_card', '一卡通管理中心', '一卡通', { advice: '建议最后办理', locations: [{ campus: 'B', place: '浴室走廊', phone: '65120874' }] })

  test('lists what to do now with the student campus location and phone', () => {
    const comp = render('next-card', { stages: [dorm, card], campus: 'B' })
    const items = comp.querySelectorAll('.item')
    expect(items).toHaveLength(2)
    expect(text(items[0])).toBe('学生公寓管理中心 （后勤） B区 本校区 学生8舍旁 ☎ 65120639')
    expect(text(items[1])).toBe('一卡通管理中心 （一卡通） 建议最后办理 B区 本校区 浴室走廊 ☎ 65120874')
  })

  test('complete', () => {
    expect(text(render('next-card', { stages: [], complete: true }))).toBe('下一步 离校手续已全部办结，祝前程似锦！')
  })

  test('nothing to do right now', () => {
    expect(text(render('next-card', { stages: [] }))).toBe('下一步 暂无可以立即办理的环节，请等待前置环节完成')
  })

  test('tapping a stage name selects it', async () => {
    const comp = render('next-card', { stages: [dorm], campus: 'A' })
    const onSelect = jest.fn()
    comp.addEventListener('select', onSelect)
    await tap(comp.querySelector('.name'))
    expect(onSelect.mock.calls[0][0].detail).toEqual({ code: 'dorm' })
  })
})
