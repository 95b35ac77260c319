// The inbox, and the tap that asks WeChat for subscribe-message permission.
const notifications = require('../../services/notifications')
const { formatTime } = require('../../utils/format')
const { showError, toast } = require('../../utils/ui')

// WeChat takes at most three template ids per wx.requestSubscribeMessage call.
const MAX_TEMPLATES_PER_CALL = 3

// pickTemplateIds prefers the templates with the fewest messages left.
function pickTemplateIds(templates, quota) {
  const q = quota || {}
  return (templates || [])
    .map((t, i) => ({ id: t.id, n: q[t.id] || 0, i }))
    .sort((a, b) => a.n - b.n || a.i - b.i)
    .slice(0, MAX_TEMPLATES_PER_CALL)
    .map((t) => t.id)
}

function subscriptionView(res) {
  const templates = (res && res.templates) || []
  const quota = (res && res.quota) || {}
  return {
    templates,
    quota,
    quotaItems: templates.map((t) => ({ id: t.id, title: t.title, n: quota[t.id] || 0 })),
  }
}

Page({
  data: {
    loading: true,
    error: '',
    items: [],
    templates: [],
    quota: {},
    quotaItems: [],
    subscribing: false,
  },

  onLoad() {
    return Promise.all([this.load(), this.loadSubscriptions()])
  },

  onPullDownRefresh() {
    return this.load({ silent: true }).then(() => wx.stopPullDownRefresh())
  },

  async load(opts) {
    if (!(opts && opts.silent)) this.setData({ loading: true, error: '' })
    try {
      const res = await notifications.list()
      const items = ((res && res.items) || []).map((n) => Object.assign({}, n, { timeText: formatTime(n.created_at) }))
      this.setData({ loading: false, error: '', items })
    } catch (err) {
      this.setData({ loading: false, error: err.message })
      showError(err)
    }
  },

  // Loaded ahead of time: wx.requestSubscribeMessage must run straight from the tap.
  async loadSubscriptions() {
    try {
      this.setData(subscriptionView(await notifications.subscriptions()))
    } catch (err) {
      this.setData({ templates: [], quotaItems: [] })
    }
  },

  onSubscribe() {
    const ids = pickTemplateIds(this.data.templates, this.data.quota)
    if (!ids.length || this.data.subscribing) return Promise.resolve()
    this.setData({ subscribing: true })
    return new Promise((resolve) => {
      wx.requestSubscribeMessage({
        tmplIds: ids,
        success: (res) => resolve(ids.filter((id) => res && res[id] === 'accept')),
        fail: () => resolve(null),
      })
    }).then((accepted) => this.recordAccepted(accepted))
      .then(() => this.setData({ subscribing: false }))
  },

  async recordAccepted(accepted) {
    if (accepted === null) {
      wx.showModal({ title: '提示', content: '无法开启通知，请在小程序设置中允许接收订阅消息', showCancel: false })
      return
    }
    if (!accepted.length) {
      wx.showToast({ title: '未开启通知', icon: 'none' })
      return
    }
    try {
      this.setData(subscriptionView(await notifications.recordAccepted(accepted)))
      toast('已开启通知')
    } catch (err) {
      showError(err)
    }
  },

  onOpen(e) {
    const stage = e.currentTarget.dataset.stage
    if (stage) wx.navigateTo({ url: `/pages/stage/index?code=${stage}` })
  },
})

module.exports = { pickTemplateIds }
