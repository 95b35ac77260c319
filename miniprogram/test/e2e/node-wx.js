// A `wx` for Node: wx.request and wx.downloadFile do real HTTP, wx.login hands out a
// chosen code (in fake WeChat mode the code is the openid), storage is in memory.
const fs = require('fs')
const http = require('http')
const os = require('os')
const path = require('path')

function send(opts, onDone) {
  const u = new URL(opts.url)
  const method = (opts.method || 'GET').toUpperCase()
  let body = null
  if (opts.data !== undefined && opts.data !== null) {
    if (method === 'GET') {
      Object.keys(opts.data).forEach((k) => u.searchParams.set(k, opts.data[k]))
    } else {
      body = typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data)
    }
  }
  const headers = Object.assign({}, opts.header)
  if (body !== null) headers['Content-Length'] = Buffer.byteLength(body)
  const req = http.request({
    hostname: u.hostname,
    port: u.port,
    path: u.pathname + u.search,
    method,
    headers,
    timeout: opts.timeout || 15000,
  })
  req.on('response', (res) => {
    const chunks = []
    res.on('data', (c) => chunks.push(c))
    res.on('end', () => onDone(null, res, Buffer.concat(chunks)))
    res.on('error', (e) => onDone(e))
  })
  req.on('timeout', () => req.destroy(new Error('timeout')))
  req.on('error', (e) => onDone(e))
  if (body !== null) req.write(body)
  req.end()
}

function toArrayBuffer(buf) {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length)
}

// createNodeWx returns a wx whose wx.login always yields `code`.
function createNodeWx(code) {
  const storage = {}
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lixiao-wxfiles-'))
  let n = 0
  return {
    code,
    storage,
    getStorageSync: (k) => (k in storage ? storage[k] : ''),
    setStorageSync: (k, v) => { storage[k] = JSON.parse(JSON.stringify(v)) },
    removeStorageSync: (k) => { delete storage[k] },
    login: ({ success }) => setImmediate(() => success({ code, errMsg: 'login:ok' })),
    request: (opts) => send(opts, (err, res, buf) => {
      if (err) return opts.fail && opts.fail({ errMsg: `request:fail ${err.message}` })
      let data
      if (opts.responseType === 'arraybuffer') data = toArrayBuffer(buf)
      else {
        data = buf.toString('utf8')
        if (opts.dataType !== 'other') {
          try { data = JSON.parse(data) } catch (e) { /* wx keeps text that is not JSON */ }
        }
      }
      return opts.success && opts.success({ statusCode: res.statusCode, data, header: res.headers, errMsg: 'request:ok' })
    }),
    downloadFile: (opts) => send(Object.assign({ method: 'GET' }, opts), (err, res, buf) => {
      if (err) return opts.fail && opts.fail({ errMsg: `downloadFile:fail ${err.message}` })
      n += 1
      const filePath = path.join(tmp, `download-${n}`)
      fs.writeFileSync(filePath, buf)
      return opts.success && opts.success({ statusCode: res.statusCode, tempFilePath: filePath, errMsg: 'downloadFile:ok' })
    }),
    getFileSystemManager: () => ({ readFileSync: (p, enc) => fs.readFileSync(p, enc) }),
    arrayBufferToBase64: (ab) => Buffer.from(ab).toString('base64'),
    cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }),
  }
}

module.exports = { createNodeWx }
