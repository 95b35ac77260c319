// Department staff: invites, scanning, clearing and the worklist.
const api = require('./request')

const seg = encodeURIComponent

// redeem resolves with the account now bound to this WeChat: {id, name, role, stage?, stage_name?,
// campus?, college?, staff_no?} (empty fields are left out).
function redeem(inviteCode) {
  return api.post('/staff/redeem', { invite_code: inviteCode })
}

// scan resolves with {student, progress, my_stage (the caller's stage code), can_act, warnings}.
function scan(qrToken) {
  return api.post('/staff/scan', { qr_token: qrToken })
}

// clear, reject and revoke resolve with the stage after the action (a Progress stage).
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

// bulkClear resolves with {changed, unchanged, failed, results: [{row, student_no, changed,
// status?, code?, message?}]}: a row with `code` failed; one without may carry a note.
function bulkClear(stage, studentNos) {
  return api.post(`/staff/stages/${seg(stage)}/bulk-clear`, { student_nos: studentNos })
}

// worklist resolves with {batch: {id, name}, items, total, page, page_size}; each item is
// {student_no, name, college, campus, degree, status, reason, updated_at}.
function worklist(stage, filters) {
  const f = filters || {}
  return api.get(`/staff/stages/${seg(stage)}/students`, { status: f.status, college: f.college, page: f.page })
}

module.exports = { redeem, scan, clear, reject, revoke, bulkClear, worklist }
