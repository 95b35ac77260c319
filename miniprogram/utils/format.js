// Display formatting shared by pages and components.
const CAMPUS = { A: 'A区', B: 'B区', huxi: '虎溪' }
const DEGREE = { master: '硕士', doctor: '博士' }
const DEPARTURE = { graduated: '毕业', completed: '结业', incomplete: '肄业', withdrawn: '退学' }
const SOURCE = {
  staff: '经办人办理',
  integration: '系统数据同步',
  self_service: '线上自助申请',
  rule: '系统规则判定',
  admin: '管理员处理',
}
// The channel of a history entry (HistoryView.channel): through which door a change came in.
const CHANNEL = {
  scan: '现场办理',
  bulk: '批量办理',
  confirm: '导师确认',
  admin: '管理员处理',
  integration: '系统数据同步',
  self_service: '线上自助申请',
  rule: '系统规则判定',
}
const ROLE = { student: '学生', staff: '经办人', supervisor: '导师', admin: '管理员' }

// Offices are in China: show times in Beijing time whatever the phone's zone.
const BEIJING_OFFSET_MS = 8 * 3600 * 1000

function pad(n) {
  return n < 10 ? `0${n}` : `${n}`
}

// formatTime renders an RFC 3339 time as "YYYY-MM-DD HH:mm" in Beijing time.
function formatTime(iso) {
  if (!iso) return ''
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return ''
  const d = new Date(ms + BEIJING_OFFSET_MS)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

function lookup(table) {
  return (v) => (v && table[v]) || v || ''
}

// splitPhones turns "65105869、65102667" or "65105869, 65102667" into separate numbers.
function splitPhones(phone) {
  if (!phone) return []
  return String(phone).split(/[,，、;；/\s]+/).map((p) => p.trim()).filter(Boolean)
}

module.exports = {
  formatTime,
  campusLabel: lookup(CAMPUS),
  degreeLabel: lookup(DEGREE),
  departureLabel: lookup(DEPARTURE),
  sourceLabel: lookup(SOURCE),
  channelLabel: lookup(CHANNEL),
  roleLabel: lookup(ROLE),
  splitPhones,
}
