const { setup, outcomes } = require('../helpers/cases')
const { shown } = require('../helpers/wx')
const { sampleProgress } = require('../helpers/fixtures')

const PROGRESS = ['GET', '/api/v1/me/progress']

describe('home: loading progress', () => {
  outcomes({
    page: 'home',
    route: PROGRESS,
    reply: sampleProgress(),
    act: (page) => page.onLoad(),
    ok: (page) => {
      expect(page.data.loading).toBe(false)
      expect(page.data.error).toBe('')
      expect(page.data.view.stages).toHaveLength(12)
      expect(page.data.view.next.map((s) => s.code)).toEqual(['supervisor', 'dorm'])
      expect(page.data.recent).toHaveLength(1)
    },
    failed: (page, wx, message) => {
      expect(page.data).toMatchObject({ loading: false, error: message, view: null })
    },
  })
})

describe('home', () => {
  test('pull-to-refresh reloads and stops the spinner, also on failure', async () => {
    const { page, wx, backend } = setup('home', { routes: (b) => b.on(...PROGRESS, { status: 200, body: sampleProgress() }, { status: 503, body: { code: 'unavailable', message: '服务暂时不可用' } }) })
    await page.onLoad()
    await page.onPullDownRefresh()
    expect(backend.callsTo(...PROGRESS)).toHaveLength(2)
    expect(wx.stopPullDownRefresh).toHaveBeenCalledTimes(1)
    expect(shown(wx, '服务暂时不可用')).toBe(true)
    // The data already shown stays; no error page over it.
    expect(page.data.view.stages).toHaveLength(12)
    expect(page.data.error).toBe('')
  })

  test('coming back to the page reloads quietly', async () => {
    const { page, backend } = setup('home', { routes: (b) => b.on(...PROGRESS, { status: 200, body: sampleProgress() }) })
    await page.onShow()
    expect(backend.calls).toHaveLength(0)
    await page.onLoad()
    await page.onShow()
    expect(backend.callsTo(...PROGRESS)).toHaveLength(2)
    expect(page.updates.filter((u) => u.loading === true)).toHaveLength(1)
  })

  test('an account without the student role goes back to login', async () => {
    const { page, wx } = setup('home', { roles: ['staff'], routes: (b) => b.on(...PROGRESS, { status: 403, body: { code: 'forbidden', message: '仅学生可查看' } }) })
    await page.onLoad()
    expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' })
  })

  test('selecting a stage opens its page; the flow can be folded', async () => {
    const { page, wx } = setup('home')
    page.onSelect({ detail: { code: 'library' } })
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/stage/index?code=library' })
    page.onOpen({ currentTarget: { dataset: { url: '/pages/qrcode/index' } } })
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/qrcode/index' })
    expect(page.data.showFlow).toBe(true)
    page.onToggleFlow()
    expect(page.data.showFlow).toBe(false)
  })
})
