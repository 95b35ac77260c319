// The short-lived QR token the student shows at each office.
const api = require('./request')

// token resolves with {token, expires_at}.
function token() {
  return api.get('/me/qrcode')
}

// image resolves with the server-rendered PNG as a data URI usable in <image src>.
async function image() {
  const buf = await api.request({ path: `${api.API_PREFIX}/me/qrcode.png`, responseType: 'arraybuffer' })
  return `data:image/png;base64,${wx.arrayBufferToBase64(buf)}`
}

module.exports = { token, image }
