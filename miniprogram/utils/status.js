// Stage status → label, icon and colour. The one source of truth for JS; utils/status.wxs
// mirrors it for WXML and a test keeps the two identical.
const STATUS = {
  pending: { label: '待办理', icon: '×', color: '#e34d59', done: false },
  rejected: { label: '已退回', icon: '×', color: '#e34d59', done: false },
  cleared: { label: '已通过', icon: '✓', color: '#07c160', done: true },
  not_applicable: { label: '无需办理', icon: '✓', color: '#999999', done: true },
}

const UNKNOWN = { label: '未知', icon: '?', color: '#999999', done: false }

function info(status) {
  return STATUS[status] || UNKNOWN
}

module.exports = {
  STATUS,
  UNKNOWN,
  info,
  label: (s) => info(s).label,
  icon: (s) => info(s).icon,
  color: (s) => info(s).color,
  isDone: (s) => info(s).done,
}
