// Client-side field checks; the server checks again and its message wins.
const ID_LAST6 = /^\d{5}[\dXx]$/
// The server's rule (service/binding.go): 1–20 letters or digits.
const STUDENT_NO = /^[0-9A-Za-z]{1,20}$/

function trim(v) {
  return typeof v === 'string' ? v.trim() : ''
}

// checkBinding returns {value, errors}; errors is empty when the form may be sent.
function checkBinding(form) {
  const value = {
    student_no: trim(form.student_no),
    name: trim(form.name),
    id_last6: trim(form.id_last6).toUpperCase(),
  }
  const errors = {}
  if (!value.student_no) errors.student_no = '请输入学号'
  else if (!STUDENT_NO.test(value.student_no)) errors.student_no = '学号格式不正确'
  if (!value.name) errors.name = '请输入姓名'
  if (!value.id_last6) errors.id_last6 = '请输入身份证后六位'
  else if (!ID_LAST6.test(value.id_last6)) errors.id_last6 = '身份证后六位应为6位数字，最后一位可为X'
  return { value, errors }
}

function checkInvite(code) {
  const value = trim(code)
  return { value, error: value ? '' : '请输入邀请码' }
}

function checkReason(reason) {
  const value = trim(reason)
  return { value, error: value ? '' : '请填写退回原因' }
}

function hasErrors(errors) {
  return Object.keys(errors).length > 0
}

module.exports = { checkBinding, checkInvite, checkReason, hasErrors }
