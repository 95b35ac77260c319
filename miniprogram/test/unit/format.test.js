const fmt = require('../../utils/format')
const { parseBody, buildQuery, utf8Decode } = require('../../utils/encoding')

describe('format', () => {
  test.each([
    ['2026-06-01T02:05:00Z', '2026-06-01 10:05'],
    ['2026-06-01T23:30:00+08:00', '2026-06-01 23:30'],
    ['2026-12-31T20:00:00Z', '2027-01-01 04:00'],
    ['', ''],
    [null, ''],
    ['not a time', ''],
  ])('formatTime(%p) = %p in Beijing time', (iso, want) => {
    expect(fmt.formatTime(iso)).toBe(want)
  })

  test.each([
    ['65105869、65102667', ['65105869', '65102667']],
    ['65105869, 65102667', ['65105869', '65102667']],
    ['023-65111675', ['023-65111675']],
    ['', []],
    [undefined, []],
  ])('splitPhones(%p)', (input, want) => {
    expect(fmt.splitPhones(input)).toEqual(want)
  })

  test('labels fall back to the raw value', () => {
    expect(fmt.campusLabel('huxi')).toBe('虎溪')
    expect(fmt.campusLabel('C')).toBe('C')
    expect(fmt.campusLabel('')).toBe('')
    expect(fmt.degreeLabel('doctor')).toBe('博士')
    expect(fmt.departureLabel('withdrawn')).toBe('退学')
    expect(fmt.sourceLabel('self_service')).toBe('线上自助申请')
    expect(fmt.roleLabel('supervisor')).toBe('导师')
  })

  // Every channel the server records (domain.Channel) has a label.
  test.each([
    ['scan', '现场办理'],
    ['bulk', '批量办理'],
    ['confirm', '导师确认'],
    ['admin', '管理员处理'],
    ['integration', '系统数据同步'],
    ['self_service', '线上自助申请'],
    ['rule', '系统规则判定'],
  ])('channelLabel(%p)', (channel, want) => {
    expect(fmt.channelLabel(channel)).toBe(want)
  })
})

describe('encoding', () => {
  const json = JSON.stringify({ message: '图书未归还' })
  const bytes = Buffer.from(json)
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)

  test.each([
    ['object', { a: 1 }, { a: 1 }],
    ['JSON text', '{"a":1}', { a: 1 }],
    ['plain text', 'Bad Gateway', 'Bad Gateway'],
    ['ArrayBuffer', ab, { message: '图书未归还' }],
    ['Uint8Array', new Uint8Array(bytes), { message: '图书未归还' }],
    ['null', null, null],
  ])('parseBody(%s)', (_n, input, want) => {
    expect(parseBody(input)).toEqual(want)
  })

  test('utf8Decode works with and without TextDecoder', () => {
    const saved = global.TextDecoder
    try {
      global.TextDecoder = undefined
      expect(utf8Decode(ab)).toBe(json)
      global.TextDecoder = require('util').TextDecoder
      expect(utf8Decode(ab)).toBe(json)
    } finally {
      global.TextDecoder = saved
    }
  })

  test('buildQuery encodes values and drops empty ones', () => {
    expect(buildQuery({ college: '计算机学院', page: 1, status: '' })).toBe('?college=%E8%AE%A1%E7%AE%97%E6%9C%BA%E5%AD%A6%E9%99%A2&page=1')
    expect(buildQuery({})).toBe('')
    expect(buildQuery()).toBe('')
  })
})
