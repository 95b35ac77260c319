// Staff scan a student's QR code, read the warnings, then clear, reject or revoke their
// own stage. Rejecting and revoking need a reason.
const auth = require('../../services/auth')
const staff = require('../../services/staff')
const { buildProgressView, decorateStage } = require('../../utils/progress')
const { checkReason } = require('../../utils/validate')
const { showError, toast, confirm } = require('../../utils/ui')
const { campusLabel } = require('../../utils/format')

// scanCode resolves with the scanned text, or '' when the user cancelled.
function scanCode() {
  return new Promise((resolve, reject) => {
    wx.scanCode({
      onlyFromCamera: true,
      scanType: ['qrCode'],
      success: (res) => resolve(((res && res.result) || '').trim()),
      fail: (err) => {
        if (err && /cancel/.test(err.errMsg || '')) resolve('')
        else reject(new Error('扫码失败，请重试'))
      },
    })
  })
}

// actionsFor offers what the stage's status allows, and nothing when the server says the
// caller may not act on this student (can_act false: e.g. another college's student).
function actionsFor(stage, canAct) {
  const s = canAct && stage ? stage.status : ''
  return {
    canClear: s === 'pending' || s === 'rejected',
    canReject: s === 'pending',
    canRevoke: s === 'cleared',
  }
}

Page({
  data: {
    staff: null,
    error: '',
    scanning: false,
    student: null,
    myStage: null,
    canAct: false,
    warnings: [],
    stages: [],
    actions: { canClear: false, canReject: false, canRevoke: false },
    mode: '', // '' | reject | revoke
    reason: '',
    reasonError: '',
    acting: false,
  },

  onLoad() {
    return this.loadMe()
  },

  async loadMe() {
    try {
      const me = await auth.me()
      if (!me || !me.staff) {
        this.setData({ error: '当前微信未绑定经办人账号' })
        return
      }
      this.setData({ staff: Object.assign({}, me.staff, { campusLabel: campusLabel(me.staff.campus) }), error: '' })
    } catch (err) {
      this.setData({ error: err.message })
      showError(err)
    }
  },

  async onScan() {
    if (this.data.scanning) return
    let token
    try {
      token = await scanCode()
    } catch (err) {
      showError(err)
      return
    }
    if (token) await this.lookup(token)
  },

  async lookup(token) {
    this.setData({ scanning: true })
    try {
      const res = await staff.scan(token)
      this.progress = res.progress || {}
      this.canAct = res.can_act === true
      // my_stage is the code of the caller's own stage; its state is in the progress.
      const mine = (this.progress.stages || []).find((s) => s.code === res.my_stage) || null
      this.showResult(res.student, mine, res.warnings || [])
    } catch (err) {
      showError(err)
    } finally {
      this.setData({ scanning: false })
    }
  },

  showResult(student, myStage, warnings) {
    const view = buildProgressView(this.progress)
    const stage = myStage ? decorateStage(myStage, student && student.campus) : null
    this.setData({
      student,
      myStage: stage,
      canAct: this.canAct,
      warnings,
      stages: view.stages,
      actions: actionsFor(stage, this.canAct),
      mode: '',
      reason: '',
      reasonError: '',
    })
  },

  // applyStage shows the server's new state of the staff member's stage.
  applyStage(raw) {
    const stages = (this.progress.stages || []).map((s) => (s.code === raw.code ? raw : s))
    this.progress = Object.assign({}, this.progress, { stages })
    this.showResult(this.data.student, raw, this.data.warnings)
  },

  async onClear() {
    const { student, myStage, warnings, acting } = this.data
    if (acting || !student || !myStage) return
    if (warnings.length && !(await confirm('请先确认', warnings.join('\n'), '仍然通过'))) return
    await this.act(() => staff.clear(myStage.code, student.student_no), '已通过')
  },

  onStartReject() {
    this.setData({ mode: 'reject', reason: '', reasonError: '' })
  },

  onStartRevoke() {
    this.setData({ mode: 'revoke', reason: '', reasonError: '' })
  },

  onCancelReason() {
    this.setData({ mode: '', reason: '', reasonError: '' })
  },

  onReasonInput(e) {
    this.setData({ reason: e.detail.value, reasonError: '' })
  },

  async onSubmitReason() {
    const { student, myStage, mode, acting } = this.data
    if (acting || !student || !myStage || !mode) return
    const { value, error } = checkReason(this.data.reason)
    if (error) {
      this.setData({ reasonError: error })
      return
    }
    if (mode === 'reject') {
      await this.act(() => staff.reject(myStage.code, student.student_no, value), '已退回')
    } else {
      await this.act(() => staff.revoke(myStage.code, student.student_no, value), '已撤销通过')
    }
  },

  async act(call, doneText) {
    this.setData({ acting: true })
    try {
      this.applyStage(await call())
      toast(doneText)
    } catch (err) {
      showError(err)
    } finally {
      this.setData({ acting: false })
    }
  },

  onOpen(e) {
    wx.navigateTo({ url: e.currentTarget.dataset.url })
  },
})
