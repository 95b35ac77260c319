// Staff and supervisors bind their WeChat account with the invite code an admin gave them.
const auth = require('../../services/auth')
const staff = require('../../services/staff')
const { checkInvite } = require('../../utils/validate')
const { showError } = require('../../utils/ui')

const HOME_BY_ROLE = {
  staff: '/pages/staff-scan/index',
  supervisor: '/pages/supervisor-students/index',
}

Page({
  data: {
    code: '',
    error: '',
    submitting: false,
  },

  onInput(e) {
    this.setData({ code: e.detail.value, error: '' })
  },

  async onSubmit() {
    if (this.data.submitting) return
    const { value, error } = checkInvite(this.data.code)
    if (error) {
      this.setData({ error })
      return
    }
    this.setData({ submitting: true })
    try {
      // The answer is the account now bound: {id, name, role, stage?, stage_name?, ...}.
      const account = await staff.redeem(value)
      await auth.login() // a fresh token carries the new role
      wx.showToast({ title: '绑定成功', icon: 'success' })
      const url = HOME_BY_ROLE[account && account.role]
      if (url) wx.reLaunch({ url })
      else wx.showModal({ title: '绑定成功', content: '管理员账号请在电脑上使用离校通管理后台。', showCancel: false })
    } catch (err) {
      showError(err)
    } finally {
      this.setData({ submitting: false })
    }
  },
})
