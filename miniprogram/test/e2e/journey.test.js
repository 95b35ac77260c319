// The whole journey against the real Go server, driven through the mini-program's own
// services (services/request.js and friends) with a wx whose requests are real HTTP:
// a student binds and shows a QR code, dorm staff scan it and clear the dorm stage, and
// the student sees the ✓ and gets a message. Then every other shape a page reads is checked
// against the real server: subscriptions, the library application, revoke / reject,
// bulk clearance, the worklist, the supervisor's list and confirmation, and redeeming an invite.
const { start, stop } = require('./server')
const { createNodeWx } = require('./node-wx')
const config = require('../../config/index')
const auth = require('../../services/auth')
const progress = require('../../services/progress')
const qrcode = require('../../services/qrcode')
const notifications = require('../../services/notifications')
const staff = require('../../services/staff')
const supervisor = require('../../services/supervisor')
const api = require('../../services/request')
const { buildProgressView } = require('../../utils/progress')
const { pageModule } = require('../helpers/page')

const { summarize } = pageModule('staff-worklist')
const { confirmedKeys, ITEMS } = pageModule('supervisor-confirm')

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
const supervisorWx = createNodeWx('demo-supervisor')
const adminWx = createNodeWx('admin-e2e') // LIXIAO_ADMIN_OPENIDS in server.js
const newStaffWx = createNodeWx(`e2e-new-staff-${process.pid}`)
const allWx = [studentWx, staffWx, supervisorWx, adminWx, newStaffWx]

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
  allWx.forEach((w) => w.cleanup())
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
    expect(res.can_act).toBe(true)
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
  step('the student reads the subscribe templates and records an accepted one', () => as(studentWx, async () => {
    const subs = await notifications.subscriptions()
    expect(Array.isArray(subs.templates)).toBe(true)
    expect(subs.templates.length).toBeGreaterThan(0)
    const first = subs.templates[0]
    expect(typeof first.id).toBe('string')
    expect(typeof first.title).toBe('string')
    expect(subs.quota[first.id]).toBe(0)
    const after = await notifications.recordAccepted([first.id])
    expect(after.quota[first.id]).toBe(1)
  }))

  step('the library application without library data says what is missing', () => as(studentWx, async () => {
    const err = await progress.applyLibrary().then(() => null, (e) => e)
    expect(err).toBeInstanceOf(api.ApiError)
    expect(err).toMatchObject({ code: 'stage_locked', status: 409, blocked_by: [] })
    expect(err.message).toContain('图书馆')
  }))

  step('staff revoke, then reject the dorm stage, and get the stage back each time', () => as(staffWx, async () => {
    const revoked = await staff.revoke('dorm', STUDENT.student_no, '误操作，撤销')
    expect(revoked).toMatchObject({ code: 'dorm', status: 'pending', source: 'staff' })
    const rejected = await staff.reject('dorm', STUDENT.student_no, '钥匙未归还')
    expect(rejected).toMatchObject({ code: 'dorm', status: 'rejected', reason: '钥匙未归还' })
    expect(Array.isArray(rejected.locations)).toBe(true)
  }))

  step('the student sees the rejection with its reason and channel', () => as(studentWx, async () => {
    const view = buildProgressView(await progress.get())
    expect(view.stages.find((s) => s.code === 'dorm')).toMatchObject({ status: 'rejected', reason: '钥匙未归还', isRejected: true })
    expect(view.history[0]).toMatchObject({ stage: 'dorm', from: 'pending', to: 'rejected', channel: 'scan', channelText: '现场办理' })
  }))

  step('bulk clearance gives a result per row, summarised as the worklist page does', () => as(staffWx, async () => {
    const res = await staff.bulkClear('dorm', [STUDENT.student_no, STUDENT.student_no, 'NOSUCH01'])
    expect(res).toMatchObject({ changed: 1, unchanged: 1, failed: 1 })
    expect(res.results.map((r) => [r.row, r.student_no, r.changed])).toEqual([
      [1, STUDENT.student_no, true], [2, STUDENT.student_no, false], [3, 'NOSUCH01', false]])
    expect(res.results[0].status).toBe('cleared')
    expect(res.results[2].code).toBe('not_found')
    const sum = summarize(res)
    expect(sum.text).toBe('通过 1 人，无变化 1 人，失败 1 人')
    expect(sum.failures.map((r) => r.row)).toEqual([3])
    expect(sum.notes.map((r) => r.row)).toEqual([2])
  }))

  step('the worklist is a page of the newest batch', () => as(staffWx, async () => {
    const list = await staff.worklist('dorm', { status: 'cleared', page: 1 })
    expect(list.batch).toEqual({ id: expect.any(Number), name: expect.any(String) })
    expect(list).toMatchObject({ page: 1, page_size: 50 })
    expect(list.total).toBeGreaterThanOrEqual(1)
    const mine = list.items.find((i) => i.student_no === STUDENT.student_no)
    expect(Object.keys(mine).sort()).toEqual(['campus', 'college', 'degree', 'name', 'reason', 'status', 'student_no', 'updated_at'])
    expect(mine.status).toBe('cleared')
  }))

  step('the supervisor lists the student, confirms the five items, and sees them confirmed', () => as(supervisorWx, async () => {
    const find = async () => (await supervisor.students()).items.find((i) => i.student_no === STUDENT.student_no)
    const before = await find()
    expect(before).toMatchObject({ name: STUDENT.name, status: 'pending', confirmed_items: [] })
    const items = {}
    ITEMS.forEach((i) => { items[i.key] = true })
    const stage = await supervisor.confirm(STUDENT.student_no, items)
    expect(stage).toMatchObject({ code: 'supervisor', status: 'cleared' })
    const after = await find()
    expect(after.status).toBe('cleared')
    expect(confirmedKeys(after.confirmed_items).sort()).toEqual(ITEMS.map((i) => i.key).sort())
  }))

  step('a new staff member redeems an invite and gets the account back', () => as(adminWx, async () => {
    const invite = await api.post('/admin/staff', { name: 'E2E图书馆经办人', role: 'staff', stage: 'library' })
    expect(invite).toEqual({ id: expect.any(Number), invite_code: expect.any(String), invite_expires_at: expect.any(String) })
    await as(newStaffWx, async () => {
      const account = await staff.redeem(invite.invite_code)
      expect(account).toMatchObject({ id: invite.id, role: 'staff', stage: 'library', stage_name: '图书馆' })
      const session = await auth.login()
      expect(session.roles).toContain('staff')
    })
  }))
})
