// One stage in full: tasks, notes, locations per campus (phones tappable), its history,
// and for the library the online "申请离校" self-service.
const progress = require('../../services/progress')
const { stageView, decorateStage } = require('../../utils/progress')
const { showError, toast } = require('../../utils/ui')

const SELF_SERVICE_STAGE = 'library'

function canApply(stage) {
  return stage.code === SELF_SERVICE_STAGE && (stage.status === 'pending' || stage.status === 'rejected')
}

Page({
  data: {
    code: '',
    loading: true,
    error: '',
    stage: null,
    student: null,
    history: [],
    isLibrary: false,
    canApply: false,
    applying: false,
  },

  onLoad(options) {
    const code = (options && options.code) || ''
    this.setData({ code, isLibrary: code === SELF_SERVICE_STAGE })
    return this.load()
  },

  async load() {
    this.setData({ loading: true, error: '' })
    try {
      const p = await progress.get()
      this.names = {}
      ;(p.stages || []).forEach((s) => { this.names[s.code] = s.name })
      const view = stageView(p, this.data.code)
      if (!view) {
        this.setData({ loading: false, error: '未找到该环节' })
        return
      }
      this.setData({
        loading: false,
        stage: view.stage,
        student: view.student,
        history: view.history,
        canApply: canApply(view.stage),
      })
      wx.setNavigationBarTitle({ title: view.stage.name })
    } catch (err) {
      this.setData({ loading: false, error: err.message })
      showError(err)
    }
  },

  async onApply() {
    if (this.data.applying || !this.data.canApply) return
    this.setData({ applying: true })
    try {
      const raw = await progress.applyLibrary()
      const stage = decorateStage(raw, this.data.student && this.data.student.campus, this.names)
      this.setData({ stage, canApply: canApply(stage) })
      toast(stage.done ? '图书馆环节已通过' : '申请已提交')
    } catch (err) {
      showError(err)
    } finally {
      this.setData({ applying: false })
    }
  },
})
