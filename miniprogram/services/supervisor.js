// The supervisor's students and the five-item departure confirmation.
const api = require('./request')

function students() {
  return api.get('/supervisor/students')
}

function confirm(studentNo, items) {
  return api.post(`/supervisor/students/${encodeURIComponent(studentNo)}/confirm`, { items })
}

module.exports = { students, confirm }
