const { setup, outcomes } = require('../helpers/cases')
const { refreshDelay } = require('../helpers/page').pageModule('qrcode')

const TOKEN = ['GET', '/api/v1/me/qrcode']
const PNG = ['GET', '/api/v1/me/qrcode.png']
const png = () => {
  const b = Buffer.from([0x89, 0x50, 0x4e, 0x47])
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.length)
}
const inMs = (ms) => new Date(Date.now() + ms).toISOString()

describe('qrcode: showing the code', () => {
  outcomes({
    page: 'qrcode',
    route: TOKEN,
    reply: { token: 'qr-1', expires_at: '2099-01-01T00:00:00Z' },
    before: (b) => b.on(...PNG, { status: 200, body: png() }),
    act: async (page) => {
      await page.onShow()
      page.onHide() // stop the refresh timer
    },
    ok: (page, wx, backend) => {
      expect(page.data).toMatchObject({ loading: false, error: '', src: 'data:image/png;base64,iVBORw==', expiresText: '2099-01-01 08:00' })
      expect(backend.callsTo(...PNG)[0].header.Authorization).toMatch(/^Bearer /)
    },
    failed: (page, wx, message) => {
      expect(page.data).toMatchObject({ loading: false, error: message, src: '' })
    },
  })

  test('an error from the PNG endpoint is shown too', async () => {
    const { page, wx } = setup('qrcode', {
      routes: (b) => {
        b.on(...TOKEN, { status: 200, body: { token: 'x', expires_at: inMs(60000) } })
        b.on(...PNG, { status: 404, body: { code: 'not_found', message: '未找到离校批次' } })
      },
    })
    await page.onShow()
    page.onHide()
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '未找到离校批次' }))
  })
})

describe('qrcode: brightness', () => {
  test('full brightness while shown, restored on hide and unload', async () => {
    const { page, wx } = setup('qrcode', {
      routes: (b) => {
        b.on(...TOKEN, { status: 200, body: { token: 'x', expires_at: inMs(600000) } })
        b.on(...PNG, { status: 200, body: png() })
      },
    })
    await page.onShow()
    expect(wx.setScreenBrightness).toHaveBeenLastCalledWith({ value: 1 })
    expect(wx.setKeepScreenOn).toHaveBeenLastCalledWith({ keepScreenOn: true })
    expect(page.timer).toBeTruthy()
    page.onHide()
    expect(wx.setScreenBrightness).toHaveBeenLastCalledWith({ value: 0.4 })
    expect(wx.setKeepScreenOn).toHaveBeenLastCalledWith({ keepScreenOn: false })
    expect(page.timer).toBeNull()

    await page.onShow()
    page.onUnload()
    expect(wx.setScreenBrightness).toHaveBeenLastCalledWith({ value: 0.4 })
    expect(wx.setScreenBrightness.mock.calls.filter(([a]) => a.value === 0.4)).toHaveLength(2)
  })
})

describe('qrcode: refresh', () => {
  afterEach(() => jest.useRealTimers())

  test.each([
    ['20 s before expiry', 60000, 40000],
    ['never sooner than 5 s', 21000, 5000],
    ['already expired', -1000, 5000],
  ])('refreshDelay: %s', (_n, expiresIn, want) => {
    const now = Date.parse('2026-06-01T00:00:00Z')
    expect(refreshDelay(new Date(now + expiresIn).toISOString(), now)).toBe(want)
  })

  test('refreshDelay falls back to a minute for an unreadable expiry', () => {
    expect(refreshDelay('garbage', Date.now())).toBe(60000)
  })

  test('a new code is fetched about 20 s before the old one expires, and not after hiding', async () => {
    jest.useFakeTimers({ now: Date.parse('2026-06-01T00:00:00Z') })
    const { page, backend } = setup('qrcode', {
      routes: (b) => {
        b.on(...TOKEN, () => ({ status: 200, body: { token: 'x', expires_at: inMs(30000) } }))
        b.on(...PNG, { status: 200, body: png() })
      },
    })
    const shown = page.onShow()
    await jest.advanceTimersByTimeAsync(50)
    await shown
    expect(backend.callsTo(...TOKEN)).toHaveLength(1)
    await jest.advanceTimersByTimeAsync(9000)
    expect(backend.callsTo(...TOKEN)).toHaveLength(1)
    await jest.advanceTimersByTimeAsync(1200)
    expect(backend.callsTo(...TOKEN)).toHaveLength(2)
    page.onHide()
    await jest.advanceTimersByTimeAsync(60000)
    expect(backend.callsTo(...TOKEN)).toHaveLength(2)
  })
})
