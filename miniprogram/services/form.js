// The pre-filled supervisor confirmation form (确认书).
const api = require('./request')

// download resolves with a local temp path of the PDF.
function download() {
  return api.download('/me/confirmation-form.pdf')
}

module.exports = { download }
