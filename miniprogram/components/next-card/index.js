// "下一步": the stages the student can do now, with where to go on the student's campus.
const { locationsFor } = require('../../utils/progress')

Component({
  properties: {
    stages: { type: Array, value: [] },
    campus: { type: String, value: '' },
    complete: { type: Boolean, value: false },
  },
  data: { items: [] },
  observers: {
    'stages, campus': function (stages, campus) {
      const items = (stages || []).map((s) => ({
        code: s.code,
        name: s.name,
        department: s.department,
        advice: s.advice || '',
        locations: locationsFor(s.locations, campus).map((l) => ({ campus: l.campus, place: l.place, phone: l.phone })),
      }))
      this.setData({ items })
    },
  },
  methods: {
    onTap(e) {
      this.triggerEvent('select', { code: e.currentTarget.dataset.code })
    },
  },
})
