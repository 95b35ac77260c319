// The one place that knows where the backend lives and how patient the client is.
// Pick the base URL by the mini-program's environment (develop / trial / release).
const BASE_URLS = {
  develop: 'http://127.0.0.1:8080',
  trial: 'https://lixiao-test.example.edu.cn',
  release: 'https://lixiao.example.edu.cn',
}

function envVersion() {
  try {
    // eslint-disable-next-line no-undef
    return wx.getAccountInfoSync().miniProgram.envVersion || 'develop'
  } catch (e) {
    return 'develop'
  }
}

module.exports = {
  baseURL: BASE_URLS[envVersion()] || BASE_URLS.develop,
  // Development only: against a local `make run` (fake WeChat, where the login code IS the
  // openid), DevTools' wx.login gives a new code each time, so you would be a new user at
  // every login. Set a fixed code here to stay one user, e.g. 'my-student' (then bind to a
  // demo student) or 'demo-staff-dorm' / 'demo-supervisor' / 'demo-admin'. Ignored outside
  // the develop environment.
  devLoginCode: '',
  // Request timeout for wx.request / wx.downloadFile, in milliseconds.
  timeoutMs: 15000,
  // Delays before each retry of a request that failed at the network level.
  retryDelaysMs: [500, 1500],
  // Refresh the QR code this long before it expires.
  qrRefreshLeadMs: 20000,
}
