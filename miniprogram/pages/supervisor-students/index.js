// The supervisor's students and whether each has been confirmed for departure.
const supervisor = require('../../services/supervisor')
const { degreeLabel, departureLabel } = require('../../utils/format')
const { showError } = require('../../utils/ui')

function decorate(item) {
  return Object.assign({}, item, {
    degreeLabel: degreeLabel(item.degree),
    departureLabel: departureLabel(item.departure_type),
  })
}

Page({
  data: {
    loading: true,
    error: '',
    items: [],
  },

  onLoad() {
    this.loaded = false
    return this.load()
  },

  // Back from the confirmation page: show the new status.
  onShow() {
    if (this.loaded) return this.load({ silent: true })
    return undefined
  },

  onPullDownRefresh() {
    return this.load({ silent: true }).then(() => wx.stopPullDownRefresh())
  },

  async load(opts) {
    if (!(opts && opts.silent)) this.setData({ loading: true, error: '' })
    try {
      const res = await supervisor.students()
      this.loaded = true
      this.setData({ loading: false, error: '', items: ((res && res.items) || []).map(decorate) })
    } catch (err) {
      this.setData({ loading: false, error: err.message })
      showError(err)
    }
  },

  onOpen(e) {
    wx.navigateTo({ url: `/pages/supervisor-confirm/index?student_no=${encodeURIComponent(e.currentTarget.dataset.no)}` })
  },
})
