// The flow view: stages that can be done at the same time, the supervisor → secretary
// chain, and 研工办 last.
const { buildFlow } = require('../../utils/progress')

Component({
  properties: {
    stages: { type: Array, value: [] },
  },
  data: { flow: { parallel: [], sequence: [], last: [] } },
  observers: {
    stages(stages) {
      this.setData({ flow: buildFlow(stages) })
    },
  },
  methods: {
    onTap(e) {
      this.triggerEvent('select', { code: e.currentTarget.dataset.code })
    },
  },
})
