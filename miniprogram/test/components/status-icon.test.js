const { render, text, tap } = require('../helpers/component')

describe('status-icon', () => {
  test.each([
    ['cleared', '✓', '已通过', 'rgb(7, 193, 96)'],
    ['not_applicable', '✓', '无需办理', 'rgb(153, 153, 153)'],
    ['pending', '×', '待办理', 'rgb(227, 77, 89)'],
    ['rejected', '×', '已退回', 'rgb(227, 77, 89)'],
  ])('%s renders %s, colour and label', (status, icon, label, color) => {
    const bare = render('status-icon', { status })
    expect(text(bare)).toBe(icon)
    const labelled = render('status-icon', { status, showLabel: true })
    expect(text(labelled)).toBe(`${icon} ${label}`)
    const root = labelled.querySelector('.status-icon').dom
    expect(root.style.color).toBe(color)
  })

  test('updates when the status changes', () => {
    const comp = render('status-icon', { status: 'pending' })
    comp.setData({ status: 'cleared' })
    expect(text(comp)).toBe('✓')
  })
})
