// Builds and runs the real Go server for the e2e journey, and stops it afterwards.
const { spawn } = require('child_process')
const fs = require('fs')
const http = require('http')
const net = require('net')
const os = require('os')
const path = require('path')

const REPO = path.resolve(__dirname, '..', '..', '..')
const START_TIMEOUT_MS = 60 * 1000
const BUILD_TIMEOUT_MS = 10 * 60 * 1000
const OUTPUT_KEEP_CHARS = 8000

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

function collect(child) {
  const out = { text: '' }
  const add = (chunk) => {
    out.text = (out.text + chunk.toString()).slice(-OUTPUT_KEEP_CHARS)
  }
  child.stdout.on('data', add)
  child.stderr.on('data', add)
  return out
}

// build compiles ../cmd/lixiao into dir; it rejects with the compiler output on failure.
function build(dir) {
  const bin = path.join(dir, 'lixiao')
  return new Promise((resolve, reject) => {
    const child = spawn('go', ['build', '-o', bin, './cmd/lixiao'], { cwd: REPO, env: process.env })
    const out = collect(child)
    const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_TIMEOUT_MS)
    child.on('error', (e) => { clearTimeout(timer); reject(new Error(`cannot run go build: ${e.message}`)) })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve(bin)
      else reject(new Error(`go build ./cmd/lixiao failed (${signal || `exit ${code}`}):\n${out.text}`))
    })
  })
}

function healthz(port) {
  return new Promise((resolve) => {
    const req = http.get({ hostname: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(0))
  })
}

// serverEnv is the caller's environment without LIXIAO_* settings, plus the e2e ones.
function serverEnv(extra) {
  const env = {}
  Object.keys(process.env).forEach((k) => {
    if (!k.startsWith('LIXIAO_')) env[k] = process.env[k]
  })
  return Object.assign(env, extra)
}

// start runs `lixiao serve` on a free port with a fresh SQLite file and demo data, and
// resolves once /healthz answers 200. It fails (never hangs) when the server exits or is
// not healthy within 60 s, with the server's output in the error.
async function start() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lixiao-e2e-'))
  const bin = await build(dir)
  const port = await freePort()
  const child = spawn(bin, ['serve'], {
    cwd: REPO,
    env: serverEnv({
      LIXIAO_HTTP_ADDR: `127.0.0.1:${port}`,
      LIXIAO_DATABASE_DRIVER: 'sqlite',
      LIXIAO_DATABASE_DSN: path.join(dir, 'lixiao.db'),
      LIXIAO_DEMO: '1',
      LIXIAO_WECHAT_MODE: 'fake',
      LIXIAO_ADMIN_OPENIDS: 'admin-e2e',
    }),
  })
  const out = collect(child)
  let exited = null
  child.on('exit', (code, signal) => { exited = signal || `exit ${code}` })
  const server = { child, port, dir, output: () => out.text, baseURL: `http://127.0.0.1:${port}` }

  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    if (exited) {
      await stop(server)
      throw new Error(`lixiao serve stopped during start-up (${exited}):\n${out.text}`)
    }
    if ((await healthz(port)) === 200) return server
    if (Date.now() > deadline) {
      await stop(server)
      throw new Error(`lixiao serve did not answer GET /healthz with 200 within ${START_TIMEOUT_MS / 1000} s:\n${out.text}`)
    }
    await new Promise((r) => setTimeout(r, 250))
  }
}

// stop ends the server (SIGTERM, then SIGKILL after 5 s) and removes its files.
async function stop(server) {
  if (!server) return
  const { child } = server
  if (child.exitCode === null && child.signalCode === null) {
    await new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      child.once('exit', () => { clearTimeout(timer); resolve() })
      child.kill('SIGTERM')
    })
  }
  fs.rmSync(server.dir, { recursive: true, force: true })
}

module.exports = { start, stop, REPO }
