// Server-shaped sample data (API.md) used across unit tests.

// Code, name and department as in configs/stages.yaml (the handbook's order).
const STAGES = [
  ['supervisor', '导师', '导师'],
  ['college_secretary', '学院研究生教务秘书', '学院研究生教务秘书'],
  ['college_workgroup', '学院研究生工作组', '学院研究生工作组'],
  ['party', '学院党委或党总支', '学院党委或党总支'],
  ['finance', '财务处', '财务处'],
  ['loan', '国家助学贷款中心', '国家助学贷款中心'],
  ['library', '图书馆', '图书馆'],
  ['hospital', '校医院', '校医院'],
  ['dorm', '学生公寓管理中心', '学生公寓管理中心'],
  ['grad_service_center', '研究生院研究生教育服务中心', '研究生院研究生教育服务中心'],
  ['campus_card', '一卡通管理中心', '一卡通管理中心'],
  ['grad_office', '研究生院研工办', '研究生院研工办'],
]

function stage(code, name, department, over) {
  return Object.assign({
    code,
    name,
    department,
    status: 'pending',
    tasks: [`办理${name}手续`],
    notes: '',
    locations: [],
    blocked_by: [],
    advice: '',
    reason: '',
    updated_at: '2026-06-01T02:00:00Z',
    source: 'rule',
    data_as_of: null,
  }, over)
}

// progress returns a twelve-stage Progress; `over` patches stages by code.
function progress(over) {
  const patch = over || {}
  return {
    batch: { id: 1, name: '2026研究生离校' },
    student: { student_no: '2021000001', name: '张伟', college: '计算机学院', degree: 'master', departure_type: 'graduated', campus: 'A' },
    stages: STAGES.map(([code, name, dep]) => stage(code, name, dep, patch[code])),
    complete: false,
    next: ['supervisor', 'dorm'],
    history: [
      { stage: 'finance', from: 'pending', to: 'cleared', reason: '', at: '2026-06-02T01:30:00Z', channel: 'integration' },
    ],
  }
}

const DORM_LOCATIONS = [
  { campus: 'A', place: '学生公寓6舍一楼', phone: '65111348' },
  { campus: 'B', place: '学生8舍旁', phone: '65120639' },
  { campus: 'huxi', place: '综合楼DZ106-3号窗口', phone: '65678441' },
]

function sampleProgress() {
  return progress({
    supervisor: { status: 'rejected', reason: '确认书缺少签字' },
    college_secretary: { blocked_by: ['supervisor'] },
    finance: { status: 'cleared', source: 'integration', data_as_of: '2026-06-02T01:30:00Z' },
    loan: { status: 'not_applicable' },
    library: { data_as_of: '2026-06-01T08:00:00Z' },
    dorm: { locations: DORM_LOCATIONS },
    campus_card: { advice: '建议其他环节完成后再办理' },
    grad_office: { blocked_by: ['supervisor', 'college_secretary'] },
  })
}

const STAFF_ME = {
  openid_hint: 'o***1',
  roles: ['staff'],
  // Empty optional fields (college here) are left out by the server (omitempty).
  staff: { id: 7, name: '李老师', role: 'staff', stage: 'dorm', stage_name: '学生公寓管理中心', campus: 'A' },
}

module.exports = { STAGES, stage, progress, sampleProgress, DORM_LOCATIONS, STAFF_ME }
