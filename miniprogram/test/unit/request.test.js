const api = require('../../services/request')
const config = require('../../config/index')
const { createBackend, createWx, loginOK, flush } = require('../helpers/wx')

const SESSION_KEY = 'lixiao_session'
const session = (token, over) => ({ [SESSION_KEY]: Object.assign({ token, expires_at: '2099-01-01T00:00:00Z', roles: ['student'] }, over) })

function setup(opts) {
  const backend = createBackend()
  const wx = createWx(Object.assign({ backend }, opts))
  global.wx = wx
  return { backend, wx }
}

describe('request', () => {
  test('sends the stored token as a Bearer header and resolves with the body', async () => {
    const { backend } = setup({ storage: session('tok-1') })
    backend.on('GET', '/api/v1/me', { status: 200, body: { roles: ['student'] } })
    await expect(api.get('/me')).resolves.toEqual({ roles: ['student'] })
    expect(backend.calls[0].header.Authorization).toBe('Bearer tok-1')
    expect(backend.calls[0].path).toBe('/api/v1/me')
  })

  test('logs in first when there is no token', async () => {
    const { backend, wx } = setup({ loginCodes: ['wx-code'] })
    backend.on('POST', '/api/v1/auth/login', loginOK('fresh', ['student'], { student_no: '2021000001' }))
    backend.on('GET', '/api/v1/me', { status: 200, body: {} })
    await api.get('/me')
    expect(backend.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/v1/auth/login', 'GET /api/v1/me'])
    expect(backend.calls[0].data).toEqual({ code: 'wx-code' })
    expect(backend.calls[1].header.Authorization).toBe('Bearer fresh')
    expect(wx.storage[SESSION_KEY]).toMatchObject({ token: 'fresh', roles: ['student'], student_no: '2021000001' })
  })

  test('in development a fixed devLoginCode replaces the wx.login code', async () => {
    const { backend, wx } = setup({ loginCodes: ['wx-code'] })
    backend.on('POST', '/api/v1/auth/login', loginOK('dev'))
    backend.on('GET', '/api/v1/me', { status: 200, body: {} })
    config.devLoginCode = 'demo-staff-dorm'
    try {
      await api.get('/me')
    } finally {
      config.devLoginCode = ''
    }
    expect(backend.calls[0].data).toEqual({ code: 'demo-staff-dorm' })
    expect(wx.login).not.toHaveBeenCalled()
  })

  test('outside development devLoginCode is ignored', async () => {
    const { backend, wx } = setup({ loginCodes: ['wx-code'] })
    wx.getAccountInfoSync.mockReturnValue({ miniProgram: { envVersion: 'release' } })
    backend.on('POST', '/api/v1/auth/login', loginOK('rel'))
    backend.on('GET', '/api/v1/me', { status: 200, body: {} })
    config.devLoginCode = 'demo-admin'
    try {
      await api.get('/me')
    } finally {
      config.devLoginCode = ''
    }
    expect(backend.calls[0].data).toEqual({ code: 'wx-code' })
  })

  test('logs in first when the stored token has expired', async () => {
    const { backend } = setup({ storage: session('old', { expires_at: '2000-01-01T00:00:00Z' }) })
    backend.on('POST', '/api/v1/auth/login', loginOK('new'))
    backend.on('GET', '/api/v1/me', { status: 200, body: {} })
    await api.get('/me')
    expect(backend.callsTo('GET', '/api/v1/me')[0].header.Authorization).toBe('Bearer new')
  })

  test('on 401 logs in again and retries once', async () => {
    const { backend, wx } = setup({ storage: session('stale') })
    backend.on('GET', '/api/v1/me/progress',
      { status: 401, body: { code: 'unauthenticated', message: '登录已过期' } },
      { status: 200, body: { stages: [] } })
    backend.on('POST', '/api/v1/auth/login', loginOK('renewed', ['student']))
    await expect(api.get('/me/progress')).resolves.toEqual({ stages: [] })
    const tries = backend.callsTo('GET', '/api/v1/me/progress')
    expect(tries.map((c) => c.header.Authorization)).toEqual(['Bearer stale', 'Bearer renewed'])
    expect(wx.login).toHaveBeenCalledTimes(1)
  })

  test('a second 401 after re-login is an error, not a loop', async () => {
    const { backend, wx } = setup({ storage: session('stale') })
    backend.on('GET', '/api/v1/me', { status: 401, body: { code: 'unauthenticated', message: '登录已过期' } })
    backend.on('POST', '/api/v1/auth/login', loginOK('renewed'))
    await expect(api.get('/me')).rejects.toMatchObject({ code: 'unauthenticated', message: '登录已过期', status: 401 })
    expect(backend.callsTo('GET', '/api/v1/me')).toHaveLength(2)
    expect(wx.login).toHaveBeenCalledTimes(1)
  })

  test('concurrent 401s share one login', async () => {
    const { backend, wx } = setup({ storage: session('stale') })
    backend.on('GET', '/api/v1/me', ({ header }) => (header.Authorization === 'Bearer stale'
      ? { status: 401, body: { code: 'unauthenticated', message: 'x' } }
      : { status: 200, body: { ok: true } }))
    backend.on('POST', '/api/v1/auth/login', loginOK('renewed'))
    await Promise.all([api.get('/me'), api.get('/me'), api.get('/me')])
    expect(wx.login).toHaveBeenCalledTimes(1)
    expect(backend.callsTo('POST', '/api/v1/auth/login')).toHaveLength(1)
  })

  test('retries network failures twice with backoff, then succeeds', async () => {
    const { backend } = setup({ storage: session('t') })
    backend.on('GET', '/api/v1/me', { network: true }, { network: true }, { status: 200, body: { ok: 1 } })
    await expect(api.get('/me')).resolves.toEqual({ ok: 1 })
    expect(backend.callsTo('GET', '/api/v1/me')).toHaveLength(3)
  })

  test('gives up after two retries with a network error in Chinese', async () => {
    const { backend } = setup({ storage: session('t') })
    backend.on('POST', '/api/v1/staff/scan', { network: true })
    const saved = config.retryDelaysMs
    config.retryDelaysMs = [20, 40]
    const started = Date.now()
    try {
      await expect(api.post('/staff/scan', { qr_token: 'x' })).rejects.toMatchObject({ code: 'network', message: '网络异常，请检查网络后重试' })
    } finally {
      config.retryDelaysMs = saved
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(55)
    expect(backend.callsTo('POST', '/api/v1/staff/scan')).toHaveLength(3)
  })

  test.each([
    ['server error body', 409, { code: 'stage_locked', message: '需先完成导师环节', blocked_by: ['supervisor'] }, { code: 'stage_locked', message: '需先完成导师环节', blocked_by: ['supervisor'], status: 409 }],
    ['forbidden body', 403, { code: 'forbidden', message: '只能办理本环节' }, { code: 'forbidden', message: '只能办理本环节' }],
    ['plain-text 502', 502, 'Bad Gateway', { code: 'internal', message: '服务器开小差了，请稍后再试', status: 502 }],
    ['empty 429', 429, '', { code: 'rate_limited', message: '操作过于频繁，请稍后再试' }],
    ['unknown 418', 418, {}, { code: 'unknown', message: '请求失败（418）' }],
  ])('normalises errors: %s', async (_name, status, body, want) => {
    const { backend } = setup({ storage: session('t') })
    backend.on('POST', '/api/v1/x', { status, body })
    const err = await api.post('/x').catch((e) => e)
    expect(err).toBeInstanceOf(api.ApiError)
    expect(err).toMatchObject(want)
  })

  test('wx.login failure is a Chinese error', async () => {
    setup({ loginFails: true })
    await expect(api.get('/me')).rejects.toMatchObject({ code: 'wechat_login', message: '微信登录失败，请稍后重试' })
  })

  test('a rejected login code shows the server message', async () => {
    const { backend } = setup()
    backend.on('POST', '/api/v1/auth/login', { status: 401, body: { code: 'unauthenticated', message: '微信登录凭证无效' } })
    await expect(api.login()).rejects.toMatchObject({ code: 'unauthenticated', message: '微信登录凭证无效' })
  })

  test('arraybuffer responses come back as bytes; their errors are decoded', async () => {
    const { backend } = setup({ storage: session('t') })
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]).buffer
    backend.on('GET', '/api/v1/me/qrcode.png', { status: 200, body: png })
    const buf = await api.request({ path: '/api/v1/me/qrcode.png', responseType: 'arraybuffer' })
    expect(new Uint8Array(buf)[1]).toBe(0x50)

    const bytes = Buffer.from(JSON.stringify({ code: 'not_found', message: '未找到离校批次' }))
    const errBody = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)
    backend.on('GET', '/api/v1/me/qrcode.png', { status: 404, body: errBody })
    await expect(api.request({ path: '/api/v1/me/qrcode.png', responseType: 'arraybuffer' }))
      .rejects.toMatchObject({ code: 'not_found', message: '未找到离校批次' })
  })

  test('builds query strings and skips empty values', async () => {
    const { backend } = setup({ storage: session('t') })
    backend.on('GET', '/api/v1/staff/stages/dorm/students', { status: 200, body: { items: [] } })
    await api.get('/staff/stages/dorm/students', { status: 'pending', college: '', page: 2, x: undefined })
    expect(backend.calls[0].query).toBe('status=pending&page=2')
  })
})

describe('download', () => {
  test('resolves with the temp file path and sends the token', async () => {
    const { backend, wx } = setup({ storage: session('t') })
    backend.on('GET', '/api/v1/me/confirmation-form.pdf', { status: 200, body: '%PDF-1.4' })
    const path = await api.download('/me/confirmation-form.pdf')
    expect(wx.files[path]).toBe('%PDF-1.4')
    expect(backend.calls[0].header.Authorization).toBe('Bearer t')
  })

  test('re-logs in on 401 and retries', async () => {
    const { backend } = setup({ storage: session('stale') })
    backend.on('GET', '/api/v1/me/confirmation-form.pdf', { status: 401, body: { code: 'unauthenticated', message: 'x' } }, { status: 200, body: '%PDF' })
    backend.on('POST', '/api/v1/auth/login', loginOK('new'))
    await api.download('/me/confirmation-form.pdf')
    expect(backend.callsTo('GET', '/api/v1/me/confirmation-form.pdf').map((c) => c.header.Authorization)).toEqual(['Bearer stale', 'Bearer new'])
  })

  test('reads the error body from the downloaded file', async () => {
    const { backend } = setup({ storage: session('t') })
    backend.on('GET', '/api/v1/me/confirmation-form.pdf', { status: 404, body: { code: 'not_found', message: '未找到导师信息' } })
    await expect(api.download('/me/confirmation-form.pdf')).rejects.toMatchObject({ code: 'not_found', message: '未找到导师信息' })
  })

  test('network failures are retried, then reported', async () => {
    const { backend } = setup({ storage: session('t') })
    backend.on('GET', '/api/v1/me/confirmation-form.pdf', { network: true })
    await expect(api.download('/me/confirmation-form.pdf')).rejects.toMatchObject({ code: 'network' })
    expect(backend.calls).toHaveLength(3)
    await flush()
  })
})
