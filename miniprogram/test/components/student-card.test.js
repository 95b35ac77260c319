const { render, text, tap } = require('../helpers/component')
const { stage } = require('../helpers/fixtures')

const student = { student_no: '2021000001', name: '张伟', college: '计算机学院', degree: 'doctor', departure_type: 'completed', campus: 'huxi' }

describe('student-card', () => {
  test('shows the student, the staff stage status and the warnings', () => {
    const comp = render('student-card', {
      student,
      stage: stage('dorm', '学生公寓管理中心', '后勤'),
      warnings: ['建议其他环节完成后再办理', '需先完成：导师'],
    })
    expect(text(comp.querySelector('.head'))).toBe('张伟 2021000001')
    expect(text(comp.querySelector('.meta'))).toBe('计算机学院 · 博士 · 结业 · 虎溪')
    expect(text(comp.querySelector('.my-stage'))).toBe('学生公寓管理中心 × 待办理')
    expect(comp.querySelectorAll('.warning-item').map(text)).toEqual(['· 建议其他环节完成后再办理', '· 需先完成：导师'])
  })

  test('a rejected stage shows its reason; no warnings box without warnings', () => {
    const comp = render('student-card', { student, stage: stage('dorm', '学生公寓管理中心', '后勤', { status: 'rejected', reason: '钥匙未还' }) })
    expect(text(comp.querySelector('.reason'))).toBe('退回原因：钥匙未还')
    expect(comp.querySelector('.warnings')).toBeFalsy()
  })

  test('a cleared stage', () => {
    const comp = render('student-card', { student, stage: stage('dorm', '学生公寓管理中心', '后勤', { status: 'cleared' }) })
    expect(text(comp.querySelector('.my-stage'))).toBe('学生公寓管理中心 ✓ 已通过')
  })

  test('renders nothing without a student', () => {
    expect(text(render('student-card', {}))).toBe('')
  })
})
