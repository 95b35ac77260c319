// Every service function calls the contract's method, path and body.
const auth = require('../../services/auth')
const progress = require('../../services/progress')
const qrcode = require('../../services/qrcode')
const notifications = require('../../services/notifications')
const form = require('../../services/form')
const staff = require('../../services/staff')
const supervisor = require('../../services/supervisor')
const { createBackend, createWx, loginOK } = require('../helpers/wx')

const SESSION = { lixiao_session: { token: 't', expires_at: '2099-01-01T00:00:00Z', roles: [] } }

function setup() {
  const backend = createBackend()
  global.wx = createWx({ backend, storage: SESSION })
  return backend
}

describe('services call the contract', () => {
  test.each([
    ['auth.me', () => auth.me(), 'GET', '/api/v1/me', '', undefined],
    ['progress.get', () => progress.get(), 'GET', '/api/v1/me/progress', '', undefined],
    ['progress.get(batch)', () => progress.get(3), 'GET', '/api/v1/me/progress', 'batch=3', undefined],
    ['progress.applyLibrary', () => progress.applyLibrary(), 'POST', '/api/v1/me/stages/library/apply', '', {}],
    ['qrcode.token', () => qrcode.token(), 'GET', '/api/v1/me/qrcode', '', undefined],
    ['notifications.list', () => notifications.list(), 'GET', '/api/v1/me/notifications', '', undefined],
    ['notifications.subscriptions', () => notifications.subscriptions(), 'GET', '/api/v1/me/subscriptions', '', undefined],
    ['notifications.recordAccepted', () => notifications.recordAccepted(['t1']), 'POST', '/api/v1/me/subscriptions', '', { accepted: ['t1'] }],
    ['staff.redeem', () => staff.redeem('INV1'), 'POST', '/api/v1/staff/redeem', '', { invite_code: 'INV1' }],
    ['staff.scan', () => staff.scan('qr'), 'POST', '/api/v1/staff/scan', '', { qr_token: 'qr' }],
    ['staff.clear', () => staff.clear('dorm', '2021000001'), 'POST', '/api/v1/staff/stages/dorm/clear', '', { student_no: '2021000001' }],
    ['staff.clear with note', () => staff.clear('dorm', '2021000001', '钥匙已交'), 'POST', '/api/v1/staff/stages/dorm/clear', '', { student_no: '2021000001', note: '钥匙已交' }],
    ['staff.reject', () => staff.reject('dorm', '2021000001', '钥匙未还'), 'POST', '/api/v1/staff/stages/dorm/reject', '', { student_no: '2021000001', reason: '钥匙未还' }],
    ['staff.revoke', () => staff.revoke('dorm', '2021000001', '误操作'), 'POST', '/api/v1/staff/stages/dorm/revoke', '', { student_no: '2021000001', reason: '误操作' }],
    ['staff.bulkClear', () => staff.bulkClear('library', ['1', '2']), 'POST', '/api/v1/staff/stages/library/bulk-clear', '', { student_nos: ['1', '2'] }],
    ['staff.worklist', () => staff.worklist('dorm', { status: 'pending', college: '计算机学院', page: 2 }), 'GET', '/api/v1/staff/stages/dorm/students', 'status=pending&college=%E8%AE%A1%E7%AE%97%E6%9C%BA%E5%AD%A6%E9%99%A2&page=2', undefined],
    ['supervisor.students', () => supervisor.students(), 'GET', '/api/v1/supervisor/students', '', undefined],
    ['supervisor.confirm', () => supervisor.confirm('2021 1', { funds: true }), 'POST', '/api/v1/supervisor/students/2021%201/confirm', '', { items: { funds: true } }],
  ])('%s', async (_name, call, method, path, query, body) => {
    const backend = setup()
    backend.on(method, path, { status: 200, body: { ok: true } })
    await expect(call()).resolves.toEqual({ ok: true })
    expect(backend.calls).toHaveLength(1)
    expect(backend.calls[0]).toMatchObject({ method, path, query })
    expect(backend.calls[0].data).toEqual(body)
  })

  test('auth.bind binds, then logs in again for the new role', async () => {
    const backend = setup()
    backend.on('POST', '/api/v1/me/binding', { status: 200, body: { student_no: '2021000001' } })
    backend.on('POST', '/api/v1/auth/login', loginOK('t2', ['student']))
    const res = await auth.bind({ student_no: '2021000001', name: '张伟', id_last6: '12345X', extra: 1 })
    expect(backend.calls[0].data).toEqual({ student_no: '2021000001', name: '张伟', id_last6: '12345X' })
    expect(res.session.roles).toEqual(['student'])
    expect(auth.hasRole(auth.session(), 'student')).toBe(true)
  })

  test('auth.logout revokes and forgets the token even when the server fails', async () => {
    const backend = setup()
    backend.on('POST', '/api/v1/auth/logout', { status: 500, body: { code: 'internal', message: '内部错误' } })
    await expect(auth.logout()).rejects.toMatchObject({ code: 'internal' })
    expect(auth.session()).toBeNull()
  })

  test('qrcode.image fetches the PNG with the token and returns a data URI', async () => {
    const backend = setup()
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47])
    backend.on('GET', '/api/v1/me/qrcode.png', { status: 200, body: png.buffer.slice(png.byteOffset, png.byteOffset + 4) })
    await expect(qrcode.image()).resolves.toBe('data:image/png;base64,iVBORw==')
    expect(backend.calls[0].header.Authorization).toBe('Bearer t')
  })

  test('form.download resolves with a local path', async () => {
    const backend = setup()
    backend.on('GET', '/api/v1/me/confirmation-form.pdf', { status: 200, body: '%PDF' })
    await expect(form.download()).resolves.toMatch(/^wxfile:\/\//)
  })

  test('hasRole', () => {
    expect(auth.hasRole({ roles: ['staff'] }, 'staff')).toBe(true)
    expect(auth.hasRole({ roles: [] }, 'staff')).toBe(false)
    expect(auth.hasRole(null, 'staff')).toBe(false)
  })
})
