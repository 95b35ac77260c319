// The whole journey against the real Go server, driven through the mini-program's own
// services (services/request.js and friends) with a wx whose requests are real HTTP:
// a student binds and shows a QR code, dorm staff scan it and clear the dorm stage, and
// the student sees the ✓ and gets a message.
const { start, stop } = require('./server')
const { createNodeWx } = require('./node-wx')
const config = require('../../config/index')
const auth = require('../../services/auth')
const progress = require('../../services/progress')
const qrcode = require('../../services/qrcode')
const notifications = require('../../services/notifications')
const staff = require('../../services/staff')
const { buildProgressView } = require('../../utils/progress')

const STUDENT = {
  student_no: process.env.E2E_STUDENT_NO || '2021000001',
  name: process.env.E2E_STUDENT_NAME || '张伟',
  id_last6: process.env.E2E_STUDENT_ID6 || '12345X',
}
const STAGE_CODES = ['supervisor', 'college_secretary', 'college_workgroup', 'party', 'finance', 'loan',
  'library', 'hospital', 'dorm', 'grad_service_center', 'campus_card', 'grad_office']
const NOTIFICATION_WAIT_MS = 5000

const studentWx = createNodeWx(`e2e-student-${process.pid}`)
const staffWx = createNodeWx('demo-staff-dorm')

let server = null
let startError = null
let broken = null
const state = {}

// as runs fn with the given person's wx (and so their token) installed.
async function as(wx, fn) {
  global.wx = wx
  return fn()
}

// step runs one part of the journey; after a failure the later steps say why they cannot run.
function step(name, fn, timeout) {
  test(name, async () => {
    if (startError) throw startError
    if (broken) throw new Error(`not run: the step "${broken}" failed`)
    try {
      await fn()
    } catch (err) {
      broken = name
      if (server) err.message += `\n--- server output (tail) ---\n${server.output().slice(-3000)}`
      throw err
    }
  }, timeout || 30000)
}

beforeAll(async () => {
  try {
    server = await start()
    config.baseURL = server.baseURL
    config.retryDelaysMs = [200, 500]
  } catch (err) {
    startError = err
  }
}, 12 * 60 * 1000)

afterAll(async () => {
  await stop(server)
  studentWx.cleanup()
  staffWx.cleanup()
  delete global.wx
}, 15000)

describe('journey against the real server', () => {
  test('the server starts and answers /healthz', () => {
    if (startError) throw startError
    expect(server.port).toBeGreaterThan(0)
  })

  step('a new WeChat user logs in with no role', () => as(studentWx, async () => {
    const session = await auth.login()
    expect(typeof session.token).toBe('string')
    expect(session.token.length).toBeGreaterThan(0)
    expect(session.roles).toEqual([])
  }))

  step('the student binds with student number, name and ID digits', () => as(studentWx, async () => {
    const { session } = await auth.bind(STUDENT)
    expect(session.roles).toContain('student')
    const me = await auth.me()
    expect(me.roles).toContain('student')
    expect(me.student.student_no).toBe(STUDENT.student_no)
    expect(me.student.name).toBe(STUDENT.name)
  }))

  step('progress shows the twelve stages in order, dorm still to do', () => as(studentWx, async () => {
    const p = await progress.get()
    expect(p.student.student_no).toBe(STUDENT.student_no)
    expect(p.stages.map((s) => s.code)).toEqual(STAGE_CODES)
    expect(p.stages.find((s) => s.code === 'dorm').status).toBe('pending')
    expect(Array.isArray(p.next)).toBe(true)
    expect(typeof p.complete).toBe('boolean')
    const view = buildProgressView(p)
    expect(view.total).toBe(12)
    expect(view.stages.find((s) => s.code === 'dorm').icon).toBe('×')
  }))

  step('a token the server does not know is replaced by logging in again', () => as(studentWx, async () => {
    const key = 'lixiao_session'
    studentWx.storage[key] = Object.assign({}, studentWx.storage[key], { token: 'not-a-real-token' })
    const me = await auth.me()
    expect(me.roles).toContain('student')
    expect(studentWx.storage[key].token).not.toBe('not-a-real-token')
  }))

  step('the student gets a QR token and its PNG', () => as(studentWx, async () => {
    const t = await qrcode.token()
    expect(typeof t.token).toBe('string')
    expect(Date.parse(t.expires_at)).toBeGreaterThan(Date.now())
    state.qrToken = t.token
    const uri = await qrcode.image()
    expect(uri.startsWith('data:image/png;base64,')).toBe(true)
    const bytes = Buffer.from(uri.slice('data:image/png;base64,'.length), 'base64')
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  }))

  step('the demo dorm staff member logs in', () => as(staffWx, async () => {
    const session = await auth.login()
    expect(session.roles).toContain('staff')
    const me = await auth.me()
    expect(me.staff.stage).toBe('dorm')
  }))

  step('staff scan the QR token and see the student', () => as(staffWx, async () => {
    const res = await staff.scan(state.qrToken)
    expect(res.student.student_no).toBe(STUDENT.student_no)
    expect(res.my_stage).toBe('dorm')
    expect(res.progress.stages.find((s) => s.code === 'dorm').status).toBe('pending')
    expect(res.progress.stages).toHaveLength(12)
    expect(Array.isArray(res.warnings)).toBe(true)
  }))

  step('staff clear the dorm stage', () => as(staffWx, async () => {
    const stage = await staff.clear('dorm', STUDENT.student_no)
    expect(stage.code).toBe('dorm')
    expect(stage.status).toBe('cleared')
    const list = await staff.worklist('dorm', { status: 'cleared' })
    expect(list.items.map((i) => i.student_no)).toContain(STUDENT.student_no)
  }))

  step('the student sees dorm cleared', () => as(studentWx, async () => {
    const p = await progress.get()
    const dorm = p.stages.find((s) => s.code === 'dorm')
    expect(dorm.status).toBe('cleared')
    expect(dorm.source).toBe('staff')
    expect(buildProgressView(p).stages.find((s) => s.code === 'dorm').icon).toBe('✓')
    expect(p.history[0]).toMatchObject({ stage: 'dorm', to: 'cleared' })
  }))

  step('the student inbox has a message about the dorm stage', () => as(studentWx, async () => {
    const deadline = Date.now() + NOTIFICATION_WAIT_MS
    let items = []
    for (;;) {
      items = (await notifications.list()).items || []
      if (items.some((n) => n.stage === 'dorm')) break
      if (Date.now() > deadline) {
        throw new Error(`no notification about dorm within ${NOTIFICATION_WAIT_MS / 1000} s; inbox: ${JSON.stringify(items)}`)
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    const msg = items.find((n) => n.stage === 'dorm')
    expect(msg.title.length + msg.body.length).toBeGreaterThan(0)
  }), 15000)
})
