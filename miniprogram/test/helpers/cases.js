// The four outcomes every page call must handle: success, a server error (its Chinese
// message shown), 401 (log in again, retry once) and a network failure (retried, then shown).
const { createBackend, createWx, loginOK, shown } = require('./wx')
const { createPage } = require('./page')

const NETWORK_MESSAGE = '网络异常，请检查网络后重试'

function sessionFor(roles) {
  return { lixiao_session: { token: 't1', expires_at: '2099-01-01T00:00:00Z', roles } }
}

// setup builds a backend, a wx with a logged-in session and a fresh page instance.
function setup(page, opts) {
  const o = opts || {}
  const backend = createBackend()
  const wx = createWx(Object.assign({ backend, storage: sessionFor(o.roles || ['student']) }, o.wx))
  if (o.routes) o.routes(backend)
  return { backend, wx, page: createPage(page, wx) }
}

// outcomes defines the four tests for one page action.
//   route: [method, path] the action calls; reply: its successful reply body;
//   before(backend): other routes; act(page): runs the action;
//   ok(page, wx, backend) / failed(page, wx, message) assert the outcome;
//   loginsAfter: logins the action itself makes after succeeding.
function outcomes(spec) {
  const roles = spec.roles || ['student']
  const [method, path] = spec.route
  const run = async (replies) => {
    const ctx = setup(spec.page, {
      roles,
      wx: spec.wx,
      routes: (b) => {
        if (spec.before) spec.before(b)
        b.on(method, path, ...replies)
        b.on('POST', '/api/v1/auth/login', loginOK('t2', roles))
      },
    })
    await spec.act(ctx.page, ctx)
    return ctx
  }

  test('success', async () => {
    const ctx = await run([{ status: 200, body: spec.reply }])
    await spec.ok(ctx.page, ctx.wx, ctx.backend)
  })

  test('a server error shows its message', async () => {
    const message = spec.errorMessage || '服务器内部错误'
    const ctx = await run([{ status: spec.errorStatus || 500, body: { code: spec.errorCode || 'internal', message } }])
    expect(shown(ctx.wx, message)).toBe(true)
    if (spec.failed) await spec.failed(ctx.page, ctx.wx, message)
  })

  test('401 logs in again and retries once', async () => {
    const ctx = await run([{ status: 401, body: { code: 'unauthenticated', message: '登录已失效' } }, { status: 200, body: spec.reply }])
    const tries = ctx.backend.callsTo(method, path)
    expect(tries.map((c) => c.header.Authorization)).toEqual(['Bearer t1', 'Bearer t2'])
    expect(ctx.wx.login).toHaveBeenCalledTimes(1 + (spec.loginsAfter || 0))
    expect(shown(ctx.wx, '登录已失效')).toBe(false)
    await spec.ok(ctx.page, ctx.wx, ctx.backend)
  })

  test('a network failure is retried, then shown', async () => {
    const ctx = await run([{ network: true }])
    expect(ctx.backend.callsTo(method, path)).toHaveLength(3)
    expect(shown(ctx.wx, NETWORK_MESSAGE)).toBe(true)
    if (spec.failed) await spec.failed(ctx.page, ctx.wx, NETWORK_MESSAGE)
  })
}

module.exports = { setup, outcomes, sessionFor, NETWORK_MESSAGE }
