// Renders every page's WXML (official compiler) with the data its logic produces, so the
// templates and the view models stay in step.
const path = require('path')
const { text } = require('../helpers/component')
const { ROOT } = require('../helpers/page')
const { buildProgressView, stageView, decorateStage } = require('../../utils/progress')
const { sampleProgress, stage, STAFF_ME } = require('../helpers/fixtures')

// Pages are Page({...}); render them as components with the same data and methods.
global.Page = (def) => {
  const methods = {}
  Object.keys(def).forEach((k) => { if (typeof def[k] === 'function') methods[k] = def[k] })
  global.Component({ data: def.data, methods })
}

// Each page gets a fresh simulator: j-component keeps global registries, and a shared
// component (e.g. status-icon) loaded again by a second page loses its WXS module.
function renderPage(name, data) {
  let comp
  jest.isolateModules(() => {
    const simulate = require('miniprogram-simulate')
    const id = simulate.load(path.join(ROOT, 'pages', name, 'index'), name, { rootPath: ROOT })
    comp = simulate.render(id)
  })
  comp.attach(document.createElement('parent-wrapper'))
  if (data) comp.setData(data)
  return comp
}

function one(comp, selector) {
  const node = comp.querySelector(selector)
  if (!node) throw new Error(`no ${selector} in ${text(comp)}`)
  return text(node)
}

describe('pages render', () => {
  test('login: binding form with field errors, then the role choice', () => {
    const comp = renderPage('login', { mode: 'bind', errors: { id_last6: '身份证后六位应为6位数字，最后一位可为X' } })
    expect(text(comp)).toContain('绑定学生身份 学号')
    expect(text(comp)).toContain('身份证后六位应为6位数字，最后一位可为X')
    expect(text(comp)).toContain('我是教职工，使用邀请码绑定')
    comp.setData({ mode: 'choose', entries: [{ role: 'student', label: '我是学生：查看离校进度', url: '/pages/home/index' }] })
    expect(text(comp)).toContain('请选择身份 我是学生：查看离校进度')
    comp.setData({ mode: 'error', error: '网络异常，请检查网络后重试' })
    expect(text(comp)).toContain('网络异常，请检查网络后重试 重试')
  })

  test('home: summary, next step, flow, every stage and recent changes', () => {
    const view = buildProgressView(sampleProgress())
    const comp = renderPage('home', { loading: false, view, recent: view.history })
    const all = text(comp)
    expect(all).toContain('已完成 2 / 12 个环节')
    expect(one(comp, '#next')).toContain('学生公寓管理中心 （学生公寓管理中心） A区 本校区 学生公寓6舍一楼 ☎ 65111348')
    expect(one(comp, '#flow')).toContain('依次办理 × 导师 → × 学院研究生教务秘书')
    expect(comp.dom.querySelectorAll('stage-item')).toHaveLength(12)
    expect(all).toContain('退回原因：确认书缺少签字')
    expect(all).toContain('数据更新于 2026-06-02 09:30')
    expect(all).toContain('最近变动 财务处： 已通过')
  })

  test('home: loading and error states', () => {
    const comp = renderPage('home', { loading: true })
    expect(text(comp)).toBe('加载中…')
    comp.setData({ loading: false, error: '服务暂时不可用' })
    expect(text(comp)).toBe('服务暂时不可用 重试')
  })

  test('stage: the library with its self-service button', () => {
    const p = sampleProgress()
    const v = stageView(p, 'library')
    const comp = renderPage('stage', { loading: false, stage: v.stage, student: v.student, history: [], isLibrary: true, canApply: true })
    const all = text(comp)
    expect(all).toContain('图书馆 × 待办理')
    expect(all).toContain('需要办理 1. 办理图书馆手续')
    expect(all).toContain('数据更新于 2026-06-01 16:00')
    expect(all).toContain('线上申请离校')
    expect(all).toContain('申请离校')
  })

  test('stage: blocked stage names what comes first', () => {
    const v = stageView(sampleProgress(), 'grad_office')
    const comp = renderPage('stage', { loading: false, stage: v.stage, student: v.student, history: [] })
    expect(text(comp)).toContain('需先完成：导师、学院研究生教务秘书')
    expect(text(comp)).not.toContain('线上申请离校')
  })

  test('qrcode', () => {
    const comp = renderPage('qrcode', { loading: false, src: 'data:image/png;base64,iVBORw==', expiresText: '2026-06-01 10:05' })
    expect(text(comp)).toBe('请向窗口工作人员出示此二维码 二维码会自动刷新，有效期至 2026-06-01 10:05')
    expect(comp.querySelector('.qr-image')).toBeTruthy()
  })

  test('messages: subscribe prompt and inbox', () => {
    const comp = renderPage('messages', {
      loading: false,
      templates: [{ id: 'a', title: '环节通过提醒' }],
      quotaItems: [{ id: 'a', title: '环节通过提醒', n: 1 }],
      items: [{ id: 1, stage: 'dorm', title: '学生公寓管理中心已通过', body: '钥匙已归还', timeText: '2026-06-03 10:00' }],
    })
    expect(text(comp)).toContain('开启微信通知')
    expect(text(comp)).toContain('环节通过提醒：剩余 1 条')
    expect(one(comp, '.message')).toBe('学生公寓管理中心已通过 2026-06-03 10:00 钥匙已归还')
    comp.setData({ items: [], templates: [] })
    expect(text(comp)).toBe('暂无消息')
  })

  test('form', () => {
    expect(text(renderPage('form'))).toContain('研究生导师准许学生离校确认书 1. 下载并打印确认书')
  })

  test('staff-scan: the student card with warnings, then the reject form', () => {
    const p = sampleProgress()
    const comp = renderPage('staff-scan', {
      staff: Object.assign({}, STAFF_ME.staff, { campusLabel: 'A区' }),
      student: p.student,
      myStage: decorateStage(stage('dorm', '学生公寓管理中心', '后勤')),
      canAct: true,
      warnings: ['建议其他环节完成后再办理'],
      stages: buildProgressView(p).stages,
      actions: { canClear: true, canReject: true, canRevoke: false },
    })
    const all = text(comp)
    expect(all).not.toContain('你不能为该学生办理本环节')
    expect(all).toContain('学生公寓管理中心 李老师 · A区 待办名单 ›')
    expect(one(comp, '#student-card')).toContain('请注意 · 建议其他环节完成后再办理')
    expect(all.indexOf('请注意')).toBeLessThan(all.indexOf('通过 退回'))
    comp.setData({ mode: 'reject', reasonError: '请填写退回原因' })
    expect(text(comp)).toContain('退回原因（学生可见）')
    expect(text(comp)).toContain('请填写退回原因 确认退回 取消')
  })

  test('staff-scan: a student out of scope shows why and offers no action', () => {
    const p = sampleProgress()
    const all = text(renderPage('staff-scan', {
      staff: Object.assign({}, STAFF_ME.staff, { campusLabel: 'A区' }),
      student: p.student,
      myStage: decorateStage(stage('dorm', '学生公寓管理中心', '学生公寓管理中心')),
      canAct: false,
      warnings: ['该生属于外国语学院，不在你负责的学院（计算机学院）'],
      stages: buildProgressView(p).stages,
      actions: { canClear: false, canReject: false, canRevoke: false },
    }))
    expect(all).toContain('请注意 · 该生属于外国语学院，不在你负责的学院（计算机学院）')
    expect(all).toContain('你不能为该学生办理本环节，原因见上方提示。')
    expect(all).not.toContain('通过 退回')
  })

  test('staff-worklist: rows, bulk result and pager', () => {
    const comp = renderPage('staff-worklist', {
      loading: false,
      total: 45,
      page: 2,
      pages: 3,
      selected: ['1'],
      bulkResult: { text: '通过 1 人，无变化 1 人，失败 1 人', failures: [{ student_no: '2', code: 'stage_locked', message: '需先完成导师环节' }], notes: [{ student_no: '3', message: '已通过，无需重复办理' }] },
      items: [{ student_no: '1', name: '学生1', college: '计算机学院', degreeLabel: '硕士', campusLabel: 'A区', statusLabel: '待办理', color: '#e34d59', selectable: true, checked: true, reason: '' }],
    })
    const all = text(comp)
    expect(all).toContain('状态：待办理 ▾')
    expect(all).toContain('通过 1 人，无变化 1 人，失败 1 人 2：需先完成导师环节 3：已通过，无需重复办理')
    expect(all).toContain('共 45 人，已选 1 人')
    expect(all).toContain('学生1 1 待办理')
    expect(all).toContain('上一页 2 / 3 下一页 批量通过（1）')
  })

  test('staff-redeem', () => {
    expect(text(renderPage('staff-redeem', { error: '请输入邀请码' }))).toContain('请输入邀请码 绑定')
  })

  test('supervisor pages', () => {
    const list = renderPage('supervisor-students', {
      loading: false,
      items: [{ student_no: '2021000001', name: '张伟', college: '计算机学院', degreeLabel: '硕士', departureLabel: '毕业', status: 'pending' }],
    })
    expect(text(list)).toBe('张伟 2021000001 × 待办理 计算机学院 · 硕士 · 毕业')

    const confirm = renderPage('supervisor-confirm', {
      loading: false,
      student: { student_no: '2021000001', name: '张伟', college: '计算机学院', degreeLabel: '硕士', departureLabel: '毕业', status: 'pending' },
      items: [{ key: 'funds', label: '公款已归还', checked: true }],
    })
    expect(text(confirm)).toContain('请逐项确认')
    expect(text(confirm)).toContain('公款已归还 确认准许离校')
    confirm.setData({ done: true })
    expect(text(confirm)).toContain('公款已归还 已确认')
  })
})
