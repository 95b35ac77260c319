// What staff see after scanning: who the student is, the staff member's own stage, and
// the warnings (advice, missing prerequisites) to read before acting.
const { decorateStudent } = require('../../utils/progress')

Component({
  properties: {
    student: { type: Object, value: null },
    stage: { type: Object, value: null },
    warnings: { type: Array, value: [] },
  },
  data: { view: null },
  observers: {
    student(student) {
      this.setData({ view: student ? decorateStudent(student) : null })
    },
  },
})
