// Entry page: log in with wx.login, then go to the caller's home by role, or bind a
// student account when the WeChat user has no role yet.
const auth = require('../../services/auth')
const { checkBinding, hasErrors } = require('../../utils/validate')
const { showError } = require('../../utils/ui')

const ENTRIES = [
  { role: 'student', label: '我是学生：查看离校进度', url: '/pages/home/index' },
  { role: 'staff', label: '我是经办人：扫码办理', url: '/pages/staff-scan/index' },
  { role: 'supervisor', label: '我是导师：确认学生离校', url: '/pages/supervisor-students/index' },
]

function entriesFor(roles) {
  const list = roles || []
  return ENTRIES.filter((e) => list.indexOf(e.role) >= 0)
}

Page({
  data: {
    mode: 'loading', // loading | error | bind | choose | admin | redirect
    error: '',
    entries: [],
    form: { student_no: '', name: '', id_last6: '' },
    errors: {},
    submitting: false,
  },

  onLoad() {
    return this.signIn()
  },

  async signIn() {
    this.setData({ mode: 'loading', error: '' })
    try {
      const session = await auth.login()
      this.route(session)
    } catch (err) {
      this.setData({ mode: 'error', error: err.message })
      showError(err)
    }
  },

  route(session) {
    const roles = (session && session.roles) || []
    const entries = entriesFor(roles)
    if (entries.length === 1) {
      this.setData({ mode: 'redirect' })
      wx.reLaunch({ url: entries[0].url })
    } else if (entries.length > 1) {
      this.setData({ mode: 'choose', entries })
    } else {
      this.setData({ mode: roles.indexOf('admin') >= 0 ? 'admin' : 'bind' })
    }
  },

  onInput(e) {
    const field = e.currentTarget.dataset.field
    this.setData({ [`form.${field}`]: e.detail.value, [`errors.${field}`]: '' })
  },

  async onBind() {
    if (this.data.submitting) return
    const { value, errors } = checkBinding(this.data.form)
    if (hasErrors(errors)) {
      this.setData({ errors })
      return
    }
    this.setData({ submitting: true })
    try {
      const { session } = await auth.bind(value)
      wx.showToast({ title: '绑定成功', icon: 'success' })
      this.route(session)
    } catch (err) {
      showError(err)
    } finally {
      this.setData({ submitting: false })
    }
  },

  onChoose(e) {
    wx.reLaunch({ url: e.currentTarget.dataset.url })
  },

  onRedeem() {
    wx.navigateTo({ url: '/pages/staff-redeem/index' })
  },
})
