// The in-app inbox and the subscribe-message quota.
const api = require('./request')

function list() {
  return api.get('/me/notifications')
}

// subscriptions resolves with {templates: [{id, title}], quota: {id: n}}.
function subscriptions() {
  return api.get('/me/subscriptions')
}

// recordAccepted tells the server which templates wx.requestSubscribeMessage accepted.
function recordAccepted(ids) {
  return api.post('/me/subscriptions', { accepted: ids })
}

module.exports = { list, subscriptions, recordAccepted }
