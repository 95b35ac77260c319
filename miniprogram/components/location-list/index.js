// Where to go and whom to call; every phone number is tappable. With `campus` set, the
// student's campus comes first and is marked.
const { splitPhones, campusLabel } = require('../../utils/format')

function build(locations, campus) {
  const list = (locations || []).map((l) => ({
    campus: l.campus || '',
    campusLabel: campusLabel(l.campus) || '各校区',
    place: l.place || '',
    phones: splitPhones(l.phone),
    mine: !!campus && (l.campus === campus || !l.campus),
  }))
  return list.filter((l) => l.mine).concat(list.filter((l) => !l.mine))
}

Component({
  properties: {
    locations: { type: Array, value: [] },
    campus: { type: String, value: '' },
  },
  data: { items: [] },
  observers: {
    'locations, campus': function (locations, campus) {
      this.setData({ items: build(locations, campus) })
    },
  },
  methods: {
    onCall(e) {
      const phone = e.currentTarget.dataset.phone
      if (phone) wx.makePhoneCall({ phoneNumber: phone, fail: () => {} })
    },
  },
})
