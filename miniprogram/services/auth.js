// Login, student binding and the caller's profile.
const api = require('./request')

// login always fetches a new token (and so the caller's current roles).
function login() {
  return api.login()
}

// bind links this WeChat account to an imported student, then logs in again so the
// session carries the new student role.
async function bind(form) {
  const profile = await api.post('/me/binding', {
    student_no: form.student_no,
    name: form.name,
    id_last6: form.id_last6,
  })
  const session = await api.login()
  return { profile, session }
}

function me() {
  return api.get('/me')
}

async function logout() {
  try {
    await api.post('/auth/logout')
  } finally {
    api.clearSession()
  }
}

function session() {
  return api.getSession()
}

function hasRole(sess, role) {
  return !!(sess && Array.isArray(sess.roles) && sess.roles.indexOf(role) >= 0)
}

module.exports = { login, bind, me, logout, session, hasRole }
