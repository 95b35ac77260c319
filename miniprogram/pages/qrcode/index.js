// The student's QR code for the offices: full brightness while shown, refreshed shortly
// before the token expires, brightness restored when the page is left.
const qrcode = require('../../services/qrcode')
const config = require('../../config/index')
const { formatTime } = require('../../utils/format')
const { showError } = require('../../utils/ui')

// Never refresh more often than this, even for very short-lived tokens.
const MIN_REFRESH_MS = 5000
// Used when the server's expiry cannot be read.
const FALLBACK_REFRESH_MS = 60000

function refreshDelay(expiresAt, now) {
  const at = Date.parse(expiresAt)
  if (!Number.isFinite(at)) return FALLBACK_REFRESH_MS
  return Math.max(at - now - config.qrRefreshLeadMs, MIN_REFRESH_MS)
}

Page({
  data: {
    loading: true,
    error: '',
    src: '',
    expiresText: '',
  },

  onShow() {
    this.visible = true
    this.brighten()
    return this.refresh()
  },

  onHide() {
    this.leave()
  },

  onUnload() {
    this.leave()
  },

  leave() {
    this.visible = false
    this.stopTimer()
    this.restoreBrightness()
  },

  brighten() {
    wx.getScreenBrightness({
      success: (res) => {
        if (this.savedBrightness === undefined) this.savedBrightness = res.value
      },
      complete: () => {
        if (this.visible) wx.setScreenBrightness({ value: 1 })
      },
    })
    wx.setKeepScreenOn({ keepScreenOn: true })
  },

  restoreBrightness() {
    if (this.savedBrightness !== undefined) {
      wx.setScreenBrightness({ value: this.savedBrightness })
      this.savedBrightness = undefined
    }
    wx.setKeepScreenOn({ keepScreenOn: false })
  },

  stopTimer() {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  },

  // refresh fetches a new token (for its expiry) and the PNG; only the latest call wins.
  async refresh() {
    this.stopTimer()
    this.seq = (this.seq || 0) + 1
    const seq = this.seq
    if (!this.data.src) this.setData({ loading: true, error: '' })
    try {
      const t = await qrcode.token()
      const src = await qrcode.image()
      if (seq !== this.seq || !this.visible) return
      this.setData({ loading: false, error: '', src, expiresText: formatTime(t.expires_at) })
      this.timer = setTimeout(() => this.refresh(), refreshDelay(t.expires_at, Date.now()))
    } catch (err) {
      if (seq !== this.seq) return
      this.setData({ loading: false, error: err.message, src: '' })
      showError(err)
    }
  },
})

module.exports = { refreshDelay }
