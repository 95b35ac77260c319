const fs = require('fs')
const path = require('path')
const status = require('../../utils/status')

// loadWxs evaluates the WXS module (an ES5 subset of JS) so it can be compared with the JS twin.
function loadWxs() {
  const src = fs.readFileSync(path.join(__dirname, '../../utils/status.wxs'), 'utf8')
  const module = { exports: {} }
  // eslint-disable-next-line no-new-func
  new Function('module', src)(module)
  return module.exports
}

describe('status', () => {
  test.each([
    ['cleared', '✓', '已通过', '#07c160', true],
    ['not_applicable', '✓', '无需办理', '#999999', true],
    ['pending', '×', '待办理', '#e34d59', false],
    ['rejected', '×', '已退回', '#e34d59', false],
    ['bogus', '?', '未知', '#999999', false],
  ])('%s → %s %s %s', (s, icon, label, color, done) => {
    expect(status.icon(s)).toBe(icon)
    expect(status.label(s)).toBe(label)
    expect(status.color(s)).toBe(color)
    expect(status.isDone(s)).toBe(done)
  })

  test('status.wxs says exactly what status.js says', () => {
    const wxs = loadWxs()
    expect(wxs.STATUS).toEqual(status.STATUS)
    expect(wxs.UNKNOWN).toEqual(status.UNKNOWN)
    Object.keys(status.STATUS).concat(['bogus']).forEach((s) => {
      expect([wxs.icon(s), wxs.label(s), wxs.color(s), wxs.isDone(s)])
        .toEqual([status.icon(s), status.label(s), status.color(s), status.isDone(s)])
    })
  })
})
