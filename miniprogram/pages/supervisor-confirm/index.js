// The five items of the confirmation form (确认书); all five must be ticked to confirm.
const supervisor = require('../../services/supervisor')
const { degreeLabel, departureLabel } = require('../../utils/format')
const { showError, toast } = require('../../utils/ui')

const ITEMS = [
  { key: 'instruments', label: '仪器已归还' },
  { key: 'equipment', label: '公共设备已归还' },
  { key: 'funds', label: '公款已归还' },
  { key: 'project', label: '课题已移交' },
  { key: 'classified', label: '涉密资料已移交' },
]

// confirmedKeys reads confirmed_items: the list of item keys of the latest confirmation
// (service.SupervisedStudent.ConfirmedItems, [] before any). Unknown keys are ignored.
function confirmedKeys(confirmed) {
  if (!Array.isArray(confirmed)) return []
  return confirmed.filter((k) => ITEMS.some((i) => i.key === k))
}

function itemsView(keys) {
  return ITEMS.map((i) => Object.assign({}, i, { checked: keys.indexOf(i.key) >= 0 }))
}

function allChecked(keys) {
  return ITEMS.every((i) => keys.indexOf(i.key) >= 0)
}

Page({
  data: {
    studentNo: '',
    student: null,
    items: itemsView([]),
    checked: [],
    allChecked: false,
    done: false,
    loading: true,
    error: '',
    submitting: false,
  },

  onLoad(options) {
    this.setData({ studentNo: decodeURIComponent((options && options.student_no) || '') })
    return this.load()
  },

  async load() {
    this.setData({ loading: true, error: '' })
    try {
      const res = await supervisor.students()
      const s = ((res && res.items) || []).find((i) => i.student_no === this.data.studentNo)
      if (!s) {
        this.setData({ loading: false, error: '未找到该学生' })
        return
      }
      const done = s.status === 'cleared' || s.status === 'not_applicable'
      const keys = done ? ITEMS.map((i) => i.key) : confirmedKeys(s.confirmed_items)
      this.setData({
        loading: false,
        student: Object.assign({}, s, { degreeLabel: degreeLabel(s.degree), departureLabel: departureLabel(s.departure_type) }),
        done,
        checked: keys,
        items: itemsView(keys),
        allChecked: allChecked(keys),
      })
    } catch (err) {
      this.setData({ loading: false, error: err.message })
      showError(err)
    }
  },

  onChange(e) {
    const keys = e.detail.value || []
    this.setData({ checked: keys, items: itemsView(keys), allChecked: allChecked(keys) })
  },

  async onSubmit() {
    if (this.data.submitting || this.data.done) return
    if (!this.data.allChecked) {
      wx.showToast({ title: '请逐项确认全部五项', icon: 'none' })
      return
    }
    const items = {}
    ITEMS.forEach((i) => { items[i.key] = true })
    this.setData({ submitting: true })
    try {
      const stage = await supervisor.confirm(this.data.studentNo, items)
      this.setData({ done: true, student: Object.assign({}, this.data.student, { status: stage.status }) })
      toast('已确认离校')
      wx.navigateBack({ fail: () => {} })
    } catch (err) {
      showError(err)
    } finally {
      this.setData({ submitting: false })
    }
  },
})

module.exports = { ITEMS, confirmedKeys }
