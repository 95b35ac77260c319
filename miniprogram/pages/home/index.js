// The student's home: every stage as ✓ / ×, the flow, and what to do next.
const progress = require('../../services/progress')
const auth = require('../../services/auth')
const { buildProgressView } = require('../../utils/progress')
const { showError } = require('../../utils/ui')

// How many recent status changes the home page lists.
const RECENT_HISTORY = 5

Page({
  data: {
    loading: true,
    error: '',
    view: null,
    recent: [],
    showFlow: true,
  },

  onLoad() {
    this.loaded = false
    return this.load()
  },

  // Coming back from a stage page (e.g. after the library application) shows fresh data.
  onShow() {
    if (this.loaded) return this.load({ silent: true })
    return undefined
  },

  onPullDownRefresh() {
    return this.load({ silent: true }).then(() => wx.stopPullDownRefresh())
  },

  async load(opts) {
    const silent = opts && opts.silent
    if (!silent) this.setData({ loading: true, error: '' })
    try {
      const p = await progress.get()
      this.loaded = true
      const view = buildProgressView(p)
      this.setData({ loading: false, error: '', view, recent: view.history.slice(0, RECENT_HISTORY) })
    } catch (err) {
      this.setData({ loading: false, error: this.data.view ? '' : err.message })
      if (err.code === 'forbidden' && !auth.hasRole(auth.session(), 'student')) {
        wx.reLaunch({ url: '/pages/login/index' })
        return
      }
      showError(err)
    }
  },

  onSelect(e) {
    wx.navigateTo({ url: `/pages/stage/index?code=${e.detail.code}` })
  },

  onToggleFlow() {
    this.setData({ showFlow: !this.data.showFlow })
  },

  onOpen(e) {
    wx.navigateTo({ url: e.currentTarget.dataset.url })
  },
})
