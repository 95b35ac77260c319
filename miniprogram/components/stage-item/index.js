// One stage row on the progress list: ✓/×, name, department, rejection reason, data freshness.
const { decorateStage } = require('../../utils/progress')

Component({
  properties: {
    stage: { type: Object, value: null },
  },
  data: { view: null },
  observers: {
    stage(stage) {
      this.setData({ view: stage ? decorateStage(stage) : null })
    },
  },
  methods: {
    onTap() {
      if (this.data.view) this.triggerEvent('select', { code: this.data.view.code })
    },
  },
})
