// The single API client: base URL, Bearer token, re-login on 401, retries on network
// failure and error normalisation all live here. Every service module goes through it.
// It reads the global `wx` at call time, so tests can swap it.
const config = require('../config/index')
const { parseBody, buildQuery } = require('../utils/encoding')

const SESSION_KEY = 'lixiao_session'
const API_PREFIX = '/api/v1'
// Treat a token as expired this long before the server would.
const EXPIRY_SKEW_MS = 60 * 1000

const CODE_BY_STATUS = {
  400: 'invalid_argument',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  429: 'rate_limited',
  500: 'internal',
  503: 'unavailable',
}

const DEFAULT_MESSAGES = {
  invalid_argument: '请求有误，请检查后重试',
  unauthenticated: '登录已失效，请重新进入小程序',
  forbidden: '没有权限执行此操作',
  not_found: '未找到相关信息',
  conflict: '操作冲突，请刷新后重试',
  stage_locked: '前置环节尚未完成',
  rate_limited: '操作过于频繁，请稍后再试',
  unavailable: '服务暂时不可用，请稍后再试',
  internal: '服务器开小差了，请稍后再试',
  network: '网络异常，请检查网络后重试',
  wechat_login: '微信登录失败，请稍后重试',
}

// ApiError is the one error shape pages see: {code, message} plus the HTTP status and,
// for stage_locked, the blocking stage codes.
class ApiError extends Error {
  constructor(code, message, status, blockedBy) {
    super(message || DEFAULT_MESSAGES[code] || '操作失败，请稍后重试')
    this.name = 'ApiError'
    this.code = code
    this.status = status || 0
    this.blocked_by = blockedBy || []
  }
}

function fromResponse(statusCode, data) {
  const body = parseBody(data)
  const obj = body && typeof body === 'object' ? body : {}
  const code = obj.code || CODE_BY_STATUS[statusCode] || (statusCode >= 500 ? 'internal' : 'unknown')
  const message = obj.message || DEFAULT_MESSAGES[code] || `请求失败（${statusCode}）`
  return new ApiError(code, message, statusCode, obj.blocked_by)
}

function getSession() {
  try {
    const s = wx.getStorageSync(SESSION_KEY)
    return s && s.token ? s : null
  } catch (e) {
    return null
  }
}

function setSession(session) {
  wx.setStorageSync(SESSION_KEY, session)
}

function clearSession() {
  wx.removeStorageSync(SESSION_KEY)
}

function isExpired(session) {
  if (!session.expires_at) return false
  const at = Date.parse(session.expires_at)
  return Number.isFinite(at) && at - EXPIRY_SKEW_MS <= Date.now()
}

function fullURL(path) {
  return /^https?:\/\//.test(path) ? path : config.baseURL + path
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

// withRetry repeats fn while it fails at the network level, waiting per config.retryDelaysMs.
async function withRetry(fn) {
  const delays = config.retryDelaysMs || []
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn()
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'network' || attempt >= delays.length) throw err
      await sleep(delays[attempt])
    }
  }
}

function networkError() {
  return new ApiError('network', DEFAULT_MESSAGES.network, 0)
}

function sendRequest(opts, header) {
  return withRetry(() => new Promise((resolve, reject) => {
    wx.request({
      url: fullURL(opts.path + buildQuery(opts.query)),
      method: opts.method || 'GET',
      data: opts.data,
      header: Object.assign({ 'Content-Type': 'application/json' }, header),
      timeout: config.timeoutMs,
      dataType: opts.responseType === 'arraybuffer' ? 'other' : 'json',
      responseType: opts.responseType || 'text',
      success: resolve,
      fail: () => reject(networkError()),
    })
  }))
}

function sendDownload(path, header) {
  return withRetry(() => new Promise((resolve, reject) => {
    wx.downloadFile({
      url: fullURL(path),
      header,
      timeout: config.timeoutMs,
      success: resolve,
      fail: () => reject(networkError()),
    })
  }))
}

function wxLogin() {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => (res && res.code ? resolve(res.code) : reject(new ApiError('wechat_login'))),
      fail: () => reject(new ApiError('wechat_login')),
    })
  })
}

async function doLogin() {
  const code = devLoginCode() || (await wxLogin())
  const res = await sendRequest({ path: `${API_PREFIX}/auth/login`, method: 'POST', data: { code } }, {})
  if (res.statusCode < 200 || res.statusCode >= 300) throw fromResponse(res.statusCode, res.data)
  const body = parseBody(res.data) || {}
  const session = {
    token: body.token,
    expires_at: body.expires_at,
    roles: body.roles || [],
    student_no: body.student_no || '',
    staff_id: body.staff_id || '',
  }
  setSession(session)
  return session
}

let loginInFlight = null

// devLoginCode is the fixed login code of config.devLoginCode, in the develop environment only.
function devLoginCode() {
  if (!config.devLoginCode) return ''
  try {
    return wx.getAccountInfoSync().miniProgram.envVersion === 'develop' ? config.devLoginCode : ''
  } catch (e) {
    return ''
  }
}

// login exchanges a fresh wx.login code for a token. Concurrent callers share one exchange.
function login() {
  if (!loginInFlight) {
    loginInFlight = doLogin().then(
      (s) => { loginInFlight = null; return s },
      (e) => { loginInFlight = null; throw e },
    )
  }
  return loginInFlight
}

function bearer(session) {
  return { Authorization: `Bearer ${session.token}` }
}

// authorized sends with the current token, logs in first when there is none, and on a 401
// logs in again and retries exactly once.
async function authorized(send) {
  let session = getSession()
  if (!session || isExpired(session)) session = await login()
  const res = await send(bearer(session))
  if (res.statusCode !== 401) return res
  const current = getSession()
  const fresh = current && current.token !== session.token && !isExpired(current) ? current : await login()
  return send(bearer(fresh))
}

function ok(status) {
  return status >= 200 && status < 300
}

// request performs one API call and resolves with the body (an ArrayBuffer for
// responseType 'arraybuffer'), or rejects with an ApiError.
async function request(opts) {
  const auth = opts.auth !== false
  const res = auth ? await authorized((h) => sendRequest(opts, h)) : await sendRequest(opts, {})
  if (!ok(res.statusCode)) throw fromResponse(res.statusCode, res.data)
  if (opts.responseType === 'arraybuffer') return res.data
  return parseBody(res.data)
}

function readFileText(filePath) {
  try {
    return wx.getFileSystemManager().readFileSync(filePath, 'utf8')
  } catch (e) {
    return ''
  }
}

// download fetches an authenticated file with wx.downloadFile and resolves with its temp path.
async function download(path) {
  const res = await authorized((h) => sendDownload(path, h))
  if (ok(res.statusCode)) return res.tempFilePath
  throw fromResponse(res.statusCode, res.tempFilePath ? readFileText(res.tempFilePath) : '')
}

module.exports = {
  API_PREFIX,
  ApiError,
  request,
  get: (path, query) => request({ path: API_PREFIX + path, query }),
  post: (path, data) => request({ path: API_PREFIX + path, method: 'POST', data: data || {} }),
  download: (path) => download(API_PREFIX + path),
  login,
  getSession,
  setSession,
  clearSession,
}
