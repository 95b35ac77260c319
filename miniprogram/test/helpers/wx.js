// A fake `wx` and a fake backend for unit tests. The backend answers wx.request and
// wx.downloadFile from per-route queues of replies; every call is recorded.

const BASE = 'https://api.test'

// createBackend keeps replies per "METHOD /path" (query stripped). A reply is
// {status, body} or {network: true}; the last reply of a queue repeats.
function createBackend() {
  const routes = {}
  const calls = []
  return {
    calls,
    on(method, path, ...replies) {
      routes[`${method} ${path}`] = replies
      return this
    },
    answer(method, url, data, header) {
      const u = url.startsWith(BASE) ? url.slice(BASE.length) : url
      const [path, query] = u.split('?')
      calls.push({ method, path, query: query || '', data, header: header || {} })
      const queue = routes[`${method} ${path}`]
      if (!queue || !queue.length) return { status: 404, body: { code: 'not_found', message: `未配置的接口 ${method} ${path}` } }
      const reply = queue.length > 1 ? queue.shift() : queue[0]
      return typeof reply === 'function' ? reply({ method, path, query, data, header }) : reply
    },
    // callsTo lists the recorded calls of one route.
    callsTo(method, path) {
      return calls.filter((c) => c.method === method && c.path === path)
    },
  }
}

// loginOK is the /auth/login reply that grants the given token and roles.
function loginOK(token, roles, extra) {
  return { status: 200, body: Object.assign({ token, expires_at: '2099-01-01T00:00:00+08:00', roles: roles || [] }, extra) }
}

function later(fn) {
  setTimeout(fn, 0)
}

// createWx builds the wx object pages and services call. opts.backend answers requests;
// opts.loginCodes are handed out by wx.login in turn (the last one repeats).
function createWx(opts) {
  const o = opts || {}
  const backend = o.backend || createBackend()
  const storage = Object.assign({}, o.storage)
  const codes = (o.loginCodes || ['code-1']).slice()
  const files = {}
  const wx = {
    backend,
    storage,
    files,
    getStorageSync: jest.fn((k) => (k in storage ? storage[k] : '')),
    setStorageSync: jest.fn((k, v) => { storage[k] = v }),
    removeStorageSync: jest.fn((k) => { delete storage[k] }),
    getAccountInfoSync: jest.fn(() => ({ miniProgram: { envVersion: 'develop' } })),
    login: jest.fn(({ success, fail }) => later(() => {
      if (o.loginFails) return fail({ errMsg: 'login:fail' })
      const code = codes.length > 1 ? codes.shift() : codes[0]
      return success({ code })
    })),
    request: jest.fn((req) => {
      const reply = backend.answer(req.method || 'GET', req.url, req.data, req.header)
      later(() => {
        if (reply.network) return req.fail({ errMsg: 'request:fail timeout' })
        let data = reply.body
        if (req.responseType !== 'arraybuffer' && typeof data === 'string') {
          try { data = JSON.parse(data) } catch (e) { /* keep text */ }
        }
        return req.success({ statusCode: reply.status, data, header: reply.header || {} })
      })
    }),
    downloadFile: jest.fn((req) => {
      const reply = backend.answer('GET', req.url, undefined, req.header)
      later(() => {
        if (reply.network) return req.fail({ errMsg: 'downloadFile:fail' })
        const path = `wxfile://tmp_${backend.calls.length}`
        files[path] = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body || '')
        return req.success({ statusCode: reply.status, tempFilePath: path })
      })
    }),
    getFileSystemManager: jest.fn(() => ({
      readFileSync: (path) => {
        if (!(path in files)) throw new Error('no such file')
        return files[path]
      },
    })),
    arrayBufferToBase64: jest.fn((buf) => Buffer.from(buf).toString('base64')),
    showToast: jest.fn(),
    showModal: jest.fn((m) => later(() => m.success && m.success({ confirm: o.modalConfirm !== false, cancel: o.modalConfirm === false, content: '' }))),
    showLoading: jest.fn(),
    hideLoading: jest.fn(),
    navigateTo: jest.fn(),
    redirectTo: jest.fn(),
    reLaunch: jest.fn(),
    navigateBack: jest.fn(),
    setNavigationBarTitle: jest.fn(),
    stopPullDownRefresh: jest.fn(),
    makePhoneCall: jest.fn(),
    scanCode: jest.fn((req) => later(() => {
      if (o.scanResult === null) return req.fail({ errMsg: 'scanCode:fail cancel' })
      return req.success({ result: o.scanResult || 'qr-token', scanType: 'QR_CODE' })
    })),
    requestSubscribeMessage: jest.fn((req) => later(() => {
      if (o.subscribeResult === null) return req.fail({ errMsg: 'requestSubscribeMessage:fail', errCode: 20004 })
      const res = { errMsg: 'requestSubscribeMessage:ok' }
      req.tmplIds.forEach((id) => { res[id] = (o.subscribeResult || {})[id] || 'accept' })
      return req.success(res)
    })),
    openDocument: jest.fn((req) => later(() => (o.openFails ? req.fail({ errMsg: 'openDocument:fail' }) : req.success({})))),
    getScreenBrightness: jest.fn((req) => later(() => {
      if (req.success) req.success({ value: 0.4 })
      if (req.complete) req.complete()
    })),
    setScreenBrightness: jest.fn(),
    setKeepScreenOn: jest.fn(),
  }
  return wx
}

// shown reports whether the user saw msg, as a toast title or a modal's content.
function shown(wx, msg) {
  return wx.showToast.mock.calls.some(([a]) => a.title === msg) ||
    wx.showModal.mock.calls.some(([a]) => a.content === msg)
}

// flush lets pending timers and promise callbacks run.
function flush(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms || 5))
}

module.exports = { BASE, createBackend, createWx, loginOK, shown, flush }
