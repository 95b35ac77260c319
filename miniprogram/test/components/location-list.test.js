const { render, text, tap } = require('../helpers/component')
const { DORM_LOCATIONS } = require('../helpers/fixtures')

describe('location-list', () => {
  afterEach(() => { delete global.wx.makePhoneCall })

  test('lists every campus, the student campus first and marked', () => {
    const comp = render('location-list', { locations: DORM_LOCATIONS, campus: 'huxi' })
    const items = comp.querySelectorAll('.location')
    expect(items).toHaveLength(3)
    expect(text(items[0])).toBe('虎溪 本校区 综合楼DZ106-3号窗口 ☎ 65678441')
    expect(text(items[1])).toBe('A区 学生公寓6舍一楼 ☎ 65111348')
  })

  test('splits several phones, each one tappable', async () => {
    global.wx.makePhoneCall = jest.fn()
    const comp = render('location-list', { locations: [{ campus: '', place: '财务处', phone: '65105869、65102667' }] })
    const phones = comp.querySelectorAll('.phone')
    expect(phones.map((p) => text(p))).toEqual(['☎ 65105869', '☎ 65102667'])
    await tap(phones[1])
    expect(global.wx.makePhoneCall).toHaveBeenCalledWith(expect.objectContaining({ phoneNumber: '65102667' }))
  })

  test('says so when there is no location', () => {
    expect(text(render('location-list', { locations: [] }))).toBe('暂无地点信息')
  })
})
