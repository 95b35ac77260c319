// ✓ / × for a stage status, coloured by utils/status.wxs; optionally with its label.
Component({
  properties: {
    status: { type: String, value: '' },
    showLabel: { type: Boolean, value: false },
  },
})
