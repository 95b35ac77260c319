// Turns the server's Progress into what the pages render. Pure functions, no wx.
const status = require('./status')
const fmt = require('./format')

// Stages decided by another university system's data; the student sees how fresh it is.
const DATA_STAGES = ['finance', 'library', 'loan', 'hospital']
// The handbook's only chain: the secretary collects the supervisor-signed form.
const SEQUENCE = ['supervisor', 'college_secretary']
// The last stage, possible only when every other one is done.
const LAST = 'grad_office'
// Advised (not required) after the other parallel stages.
const ADVISED_LATE = 'campus_card'

function decorateLocation(loc) {
  return {
    campus: loc.campus || '',
    campusLabel: fmt.campusLabel(loc.campus) || '各校区',
    place: loc.place || '',
    phone: loc.phone || '',
    phones: fmt.splitPhones(loc.phone),
  }
}

// locationsFor keeps the locations of the student's campus (or campus-less ones); when
// none match it shows them all rather than nothing.
function locationsFor(locations, campus) {
  const list = locations || []
  const mine = list.filter((l) => !l.campus || l.campus === campus)
  return (mine.length ? mine : list).map(decorateLocation)
}

function decorateStage(stage, campus, nameByCode) {
  const st = status.info(stage.status)
  const names = nameByCode || {}
  const showAsOf = DATA_STAGES.indexOf(stage.code) >= 0 && !!stage.data_as_of
  const blockedNames = (stage.blocked_by || []).map((c) => names[c] || c)
  return Object.assign({}, stage, {
    tasks: stage.tasks || [],
    statusLabel: st.label,
    icon: st.icon,
    color: st.color,
    done: st.done,
    isRejected: stage.status === 'rejected',
    advisedLate: stage.code === ADVISED_LATE,
    dataAsOfText: showAsOf ? `数据更新于 ${fmt.formatTime(stage.data_as_of)}` : '',
    updatedText: fmt.formatTime(stage.updated_at),
    sourceText: fmt.sourceLabel(stage.source),
    blockedNames,
    blockedText: blockedNames.join('、'),
    myLocations: locationsFor(stage.locations, campus),
    allLocations: (stage.locations || []).map(decorateLocation),
  })
}

// buildFlow groups stages for the flow view: parallel ones, the supervisor → secretary
// chain, and the last stage. Unknown codes count as parallel.
function buildFlow(stages) {
  const list = stages || []
  const byCode = {}
  list.forEach((s) => { byCode[s.code] = s })
  const node = (s) => Object.assign({ code: s.code, name: s.name, status: s.status }, {
    icon: status.icon(s.status),
    color: status.color(s.status),
    advisedLate: s.code === ADVISED_LATE,
  })
  return {
    parallel: list.filter((s) => SEQUENCE.indexOf(s.code) < 0 && s.code !== LAST).map(node),
    sequence: SEQUENCE.filter((c) => byCode[c]).map((c) => node(byCode[c])),
    last: byCode[LAST] ? [node(byCode[LAST])] : [],
  }
}

function decorateHistory(entry, names) {
  return Object.assign({}, entry, {
    stageName: names[entry.stage] || entry.stage,
    fromLabel: entry.from ? status.label(entry.from) : '',
    toLabel: status.label(entry.to),
    toColor: status.color(entry.to),
    atText: fmt.formatTime(entry.at),
    channelText: fmt.channelLabel(entry.channel),
  })
}

function decorateStudent(student) {
  const s = student || {}
  return Object.assign({}, s, {
    campusLabel: fmt.campusLabel(s.campus),
    degreeLabel: fmt.degreeLabel(s.degree),
    departureLabel: fmt.departureLabel(s.departure_type),
  })
}

// buildProgressView is the whole home-page model, stages in the server's order.
function buildProgressView(progress) {
  const p = progress || {}
  const campus = p.student && p.student.campus
  const raw = p.stages || []
  const names = {}
  raw.forEach((s) => { names[s.code] = s.name })
  const stages = raw.map((s) => decorateStage(s, campus, names))
  const byCode = {}
  stages.forEach((s) => { byCode[s.code] = s })
  return {
    batch: p.batch || {},
    student: decorateStudent(p.student),
    stages,
    flow: buildFlow(stages),
    next: (p.next || []).map((c) => byCode[c]).filter(Boolean),
    history: (p.history || []).map((h) => decorateHistory(h, names)),
    complete: !!p.complete,
    doneCount: stages.filter((s) => s.done).length,
    total: stages.length,
  }
}

// stageView picks one stage (by code) out of a Progress, with its own history.
function stageView(progress, code) {
  const view = buildProgressView(progress)
  const stage = view.stages.find((s) => s.code === code)
  if (!stage) return null
  return {
    stage,
    student: view.student,
    history: view.history.filter((h) => h.stage === code),
  }
}

module.exports = {
  DATA_STAGES,
  SEQUENCE,
  LAST,
  ADVISED_LATE,
  locationsFor,
  decorateStage,
  decorateStudent,
  buildFlow,
  buildProgressView,
  stageView,
}
