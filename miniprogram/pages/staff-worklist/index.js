// The staff member's stage as a list: filter by status and college, page through it, and
// clear several students at once.
const auth = require('../../services/auth')
const staff = require('../../services/staff')
const status = require('../../utils/status')
const { formatTime, campusLabel, degreeLabel } = require('../../utils/format')
const { showError, confirm } = require('../../utils/ui')

const STATUS_OPTIONS = [
  { value: '', label: '全部状态' },
  { value: 'pending', label: '待办理' },
  { value: 'rejected', label: '已退回' },
  { value: 'cleared', label: '已通过' },
  { value: 'not_applicable', label: '无需办理' },
]

function decorate(item, selected) {
  return Object.assign({}, item, {
    statusLabel: status.label(item.status),
    color: status.color(item.status),
    campusLabel: campusLabel(item.campus),
    degreeLabel: degreeLabel(item.degree),
    updatedText: formatTime(item.updated_at),
    selectable: item.status === 'pending' || item.status === 'rejected',
    checked: selected.indexOf(item.student_no) >= 0,
  })
}

// summarize turns a bulk-clear response into one line, the rows that failed (they carry an
// error `code`) and the notes on unchanged rows (a `message` without a code: already cleared,
// nothing to do, a repeated student number).
function summarize(res) {
  const r = res || {}
  const rows = r.results || []
  return {
    text: `通过 ${r.changed || 0} 人，无变化 ${r.unchanged || 0} 人，失败 ${r.failed || 0} 人`,
    failures: rows.filter((row) => row.code),
    notes: rows.filter((row) => !row.code && row.message),
  }
}

Page({
  data: {
    stage: '',
    stageName: '',
    statusOptions: STATUS_OPTIONS,
    statusIndex: 1,
    college: '',
    items: [],
    page: 1,
    pages: 1,
    total: 0,
    selected: [],
    loading: true,
    error: '',
    submitting: false,
    bulkResult: null,
  },

  async onLoad() {
    try {
      const me = await auth.me()
      if (!me || !me.staff || !me.staff.stage) {
        this.setData({ loading: false, error: '当前微信未绑定经办人账号' })
        return
      }
      this.setData({ stage: me.staff.stage, stageName: me.staff.stage_name || '', college: me.staff.college || '' })
      wx.setNavigationBarTitle({ title: `${me.staff.stage_name || ''}待办名单` })
    } catch (err) {
      this.setData({ loading: false, error: err.message })
      showError(err)
      return
    }
    await this.load(1)
  },

  onPullDownRefresh() {
    return this.load(this.data.page).then(() => wx.stopPullDownRefresh())
  },

  async load(page) {
    if (!this.data.stage) return
    this.setData({ loading: true, error: '' })
    try {
      const res = await staff.worklist(this.data.stage, {
        status: STATUS_OPTIONS[this.data.statusIndex].value,
        college: this.data.college.trim(),
        page,
      })
      const pageSize = res.page_size || 50
      const total = res.total || 0
      this.setData({
        loading: false,
        items: (res.items || []).map((i) => decorate(i, [])),
        selected: [],
        page: res.page || page,
        total,
        pages: Math.max(1, Math.ceil(total / pageSize)),
      })
    } catch (err) {
      this.setData({ loading: false, error: err.message })
      showError(err)
    }
  },

  onStatusChange(e) {
    this.setData({ statusIndex: Number(e.detail.value) || 0 })
    return this.load(1)
  },

  onCollegeInput(e) {
    this.setData({ college: e.detail.value })
  },

  onSearch() {
    return this.load(1)
  },

  onPrev() {
    if (this.data.page > 1) return this.load(this.data.page - 1)
    return Promise.resolve()
  },

  onNext() {
    if (this.data.page < this.data.pages) return this.load(this.data.page + 1)
    return Promise.resolve()
  },

  onSelectChange(e) {
    this.select(e.detail.value || [])
  },

  onSelectAll() {
    const all = this.data.items.filter((i) => i.selectable).map((i) => i.student_no)
    this.select(this.data.selected.length === all.length ? [] : all)
  },

  select(nos) {
    this.setData({ selected: nos, items: this.data.items.map((i) => decorate(i, nos)) })
  },

  async onBulkClear() {
    const nos = this.data.selected
    if (this.data.submitting) return
    if (!nos.length) {
      wx.showToast({ title: '请先选择学生', icon: 'none' })
      return
    }
    if (!(await confirm('批量通过', `确认通过选中的 ${nos.length} 名学生的「${this.data.stageName}」环节？`))) return
    this.setData({ submitting: true })
    try {
      const result = summarize(await staff.bulkClear(this.data.stage, nos))
      this.setData({ bulkResult: result })
      wx.showToast({ title: result.failures.length ? '部分未通过' : '已批量通过', icon: result.failures.length ? 'none' : 'success' })
      await this.load(this.data.page)
    } catch (err) {
      showError(err)
    } finally {
      this.setData({ submitting: false })
    }
  },
})

module.exports = { summarize }
