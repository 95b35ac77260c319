// Byte helpers that work in the mini-program runtime (which may lack TextDecoder) and in Node.

function utf8Decode(buffer) {
  const bytes = new Uint8Array(buffer)
  if (typeof TextDecoder !== 'undefined') {
    return new TextDecoder('utf-8').decode(bytes)
  }
  let binary = ''
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i])
  try {
    return decodeURIComponent(escape(binary))
  } catch (e) {
    return binary
  }
}

// isArrayBuffer also recognises buffers from another realm (instanceof would not).
function isArrayBuffer(v) {
  return Object.prototype.toString.call(v) === '[object ArrayBuffer]'
}

// parseBody turns whatever wx.request handed back (object, JSON text, ArrayBuffer) into a value.
function parseBody(data) {
  if (data === undefined || data === null) return null
  let text = data
  if (isArrayBuffer(data)) text = utf8Decode(data)
  else if (ArrayBuffer.isView(data)) text = utf8Decode(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength))
  if (typeof text !== 'string') return text
  try {
    return JSON.parse(text)
  } catch (e) {
    return text
  }
}

function buildQuery(params) {
  if (!params) return ''
  const parts = []
  Object.keys(params).forEach((key) => {
    const value = params[key]
    if (value === undefined || value === null || value === '') return
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
  })
  return parts.length ? `?${parts.join('&')}` : ''
}

module.exports = { utf8Decode, parseBody, buildQuery, isArrayBuffer }
