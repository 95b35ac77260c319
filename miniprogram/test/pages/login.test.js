const { setup, NETWORK_MESSAGE } = require('../helpers/cases')
const { loginOK, shown } = require('../helpers/wx')

const FORM = { student_no: '2021000001', name: '张伟', id_last6: '12345x' }

function withLogin(...replies) {
  return (b) => b.on('POST', '/api/v1/auth/login', ...replies)
}

describe('login: signing in routes by role', () => {
  test.each([
    ['no role yet → binding form', [], 'bind', null],
    ['student → progress', ['student'], 'redirect', '/pages/home/index'],
    ['staff → scan', ['staff'], 'redirect', '/pages/staff-scan/index'],
    ['supervisor → my students', ['supervisor'], 'redirect', '/pages/supervisor-students/index'],
    ['admin only → use the console', ['admin'], 'admin', null],
    ['several roles → choose', ['student', 'supervisor', 'admin'], 'choose', null],
  ])('%s', async (_n, roles, mode, url) => {
    const { page, wx } = setup('login', { roles: [], routes: withLogin(loginOK('t', roles)) })
    await page.onLoad()
    expect(page.data.mode).toBe(mode)
    if (url) expect(wx.reLaunch).toHaveBeenCalledWith({ url })
    else expect(wx.reLaunch).not.toHaveBeenCalled()
    if (mode === 'choose') expect(page.data.entries.map((e) => e.role)).toEqual(['student', 'supervisor'])
  })

  test('a rejected login code shows the server message and a retry', async () => {
    const { page, wx } = setup('login', { routes: withLogin({ status: 401, body: { code: 'unauthenticated', message: '微信登录凭证无效' } }) })
    await page.onLoad()
    expect(page.data).toMatchObject({ mode: 'error', error: '微信登录凭证无效' })
    expect(shown(wx, '微信登录凭证无效')).toBe(true)
  })

  test('a network failure is retried, then shown', async () => {
    const { page, wx, backend } = setup('login', { routes: withLogin({ network: true }) })
    await page.onLoad()
    expect(backend.callsTo('POST', '/api/v1/auth/login')).toHaveLength(3)
    expect(page.data.error).toBe(NETWORK_MESSAGE)
    expect(shown(wx, NETWORK_MESSAGE)).toBe(true)
  })

  test('wx.login failing is shown', async () => {
    const { page, wx } = setup('login', { wx: { loginFails: true } })
    await page.onLoad()
    expect(shown(wx, '微信登录失败，请稍后重试')).toBe(true)
  })

  test('retry signs in again', async () => {
    const { page, wx } = setup('login', { routes: withLogin({ network: true }, { network: true }, { network: true }, loginOK('t', ['student'])) })
    await page.onLoad()
    expect(page.data.mode).toBe('error')
    await page.signIn()
    expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/home/index' })
  })
})

describe('login: binding', () => {
  async function bindPage(replies, loginReplies) {
    const ctx = setup('login', {
      roles: [],
      routes: (b) => {
        b.on('POST', '/api/v1/auth/login', ...(loginReplies || [loginOK('t1', []), loginOK('t2', ['student'])]))
        b.on('POST', '/api/v1/me/binding', ...replies)
      },
    })
    await ctx.page.onLoad()
    Object.keys(FORM).forEach((field) => ctx.page.onInput({ currentTarget: { dataset: { field } }, detail: { value: FORM[field] } }))
    return ctx
  }

  test('field checks stop a bad form before the server', async () => {
    const { page, backend } = await bindPage([{ status: 200, body: {} }])
    page.onInput({ currentTarget: { dataset: { field: 'id_last6' } }, detail: { value: '1234' } })
    await page.onBind()
    expect(page.data.errors).toEqual({ id_last6: '身份证后六位应为6位数字，最后一位可为X' })
    expect(backend.callsTo('POST', '/api/v1/me/binding')).toHaveLength(0)
    page.onInput({ currentTarget: { dataset: { field: 'id_last6' } }, detail: { value: '12345X' } })
    expect(page.data.errors.id_last6).toBe('')
  })

  test('success binds, logs in again and opens the progress page', async () => {
    const { page, wx, backend } = await bindPage([{ status: 200, body: { student_no: '2021000001' } }])
    await page.onBind()
    expect(backend.callsTo('POST', '/api/v1/me/binding')[0].data).toEqual({ student_no: '2021000001', name: '张伟', id_last6: '12345X' })
    expect(backend.callsTo('POST', '/api/v1/auth/login')).toHaveLength(2)
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '绑定成功' }))
    expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/home/index' })
    expect(page.data.submitting).toBe(false)
  })

  test.each([
    ['conflict', 409, 'conflict', '该学号已绑定其他微信'],
    ['mismatch', 400, 'invalid_argument', '姓名或身份证后六位不匹配，请核对后重试'],
    ['rate limited', 429, 'rate_limited', '尝试次数过多，请一小时后再试'],
  ])('a server refusal (%s) shows its message', async (_n, status, code, message) => {
    const { page, wx } = await bindPage([{ status, body: { code, message } }])
    await page.onBind()
    expect(shown(wx, message)).toBe(true)
    expect(wx.reLaunch).not.toHaveBeenCalled()
    expect(page.data.submitting).toBe(false)
  })

  test('401 logs in again and retries the binding once', async () => {
    const { page, wx, backend } = await bindPage(
      [{ status: 401, body: { code: 'unauthenticated', message: '登录已失效' } }, { status: 200, body: {} }],
      [loginOK('t1', []), loginOK('t2', []), loginOK('t3', ['student'])],
    )
    await page.onBind()
    expect(backend.callsTo('POST', '/api/v1/me/binding').map((c) => c.header.Authorization)).toEqual(['Bearer t1', 'Bearer t2'])
    expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/home/index' })
  })

  test('a network failure is retried, then shown', async () => {
    const { page, wx, backend } = await bindPage([{ network: true }])
    await page.onBind()
    expect(backend.callsTo('POST', '/api/v1/me/binding')).toHaveLength(3)
    expect(shown(wx, NETWORK_MESSAGE)).toBe(true)
  })

  test('staff go to the invite page', async () => {
    const { page, wx } = await bindPage([])
    page.onRedeem()
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/staff-redeem/index' })
    page.onChoose({ currentTarget: { dataset: { url: '/pages/home/index' } } })
    expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/home/index' })
  })
})
