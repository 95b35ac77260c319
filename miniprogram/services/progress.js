// The student's own progress and the library self-service application.
const api = require('./request')

function get(batchId) {
  return api.get('/me/progress', { batch: batchId })
}

// applyLibrary submits the online library departure application and resolves with the stage.
function applyLibrary() {
  return api.post('/me/stages/library/apply')
}

module.exports = { get, applyLibrary }
