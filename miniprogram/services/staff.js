// Department staff: invites, scanning, clearing and the worklist.
const api = require('./request')

const seg = encodeURIComponent

function redeem(inviteCode) {
  return api.post('/staff/redeem', { invite_code: inviteCode })
}

// scan resolves with {student, progress, my_stage (the caller's stage code), can_act, warnings}.
function scan(qrToken) {
  return api.post('/staff/scan', { qr_token: qrToken })
}

function clear(stage, studentNo, note) {
  const body = { student_no: studentNo }
  if (note) body.note = note
  return api.post(`/staff/stages/${seg(stage)}/clear`, body)
}

function reject(stage, studentNo, reason) {
  return api.post(`/staff/stages/${seg(stage)}/reject`, { student_no: studentNo, reason })
}

function revoke(stage, studentNo, reason) {
  return api.post(`/staff/stages/${seg(stage)}/revoke`, { student_no: studentNo, reason })
}

function bulkClear(stage, studentNos) {
  return api.post(`/staff/stages/${seg(stage)}/bulk-clear`, { student_nos: studentNos })
}

// worklist resolves with {items, total, page, page_size}.
function worklist(stage, filters) {
  const f = filters || {}
  return api.get(`/staff/stages/${seg(stage)}/students`, { status: f.status, college: f.college, page: f.page })
}

module.exports = { redeem, scan, clear, reject, revoke, bulkClear, worklist }
