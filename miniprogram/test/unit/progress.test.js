const { buildProgressView, buildFlow, stageView, locationsFor, decorateStage } = require('../../utils/progress')
const { sampleProgress, progress, STAGES, DORM_LOCATIONS } = require('../helpers/fixtures')

describe('buildProgressView', () => {
  const view = buildProgressView(sampleProgress())
  const byCode = Object.fromEntries(view.stages.map((s) => [s.code, s]))

  test('keeps the server order of all twelve stages', () => {
    expect(view.stages.map((s) => s.code)).toEqual(STAGES.map((s) => s[0]))
    expect(view.total).toBe(12)
  })

  test.each([
    ['finance', '✓', '#07c160', '已通过'],
    ['loan', '✓', '#999999', '无需办理'],
    ['dorm', '×', '#e34d59', '待办理'],
    ['supervisor', '×', '#e34d59', '已退回'],
  ])('%s shows %s in %s (%s)', (code, icon, color, label) => {
    expect(byCode[code]).toMatchObject({ icon, color, statusLabel: label })
  })

  test('counts cleared and not-applicable stages as done', () => {
    expect(view.doneCount).toBe(2)
  })

  test('a rejected stage carries its reason', () => {
    expect(byCode.supervisor).toMatchObject({ isRejected: true, reason: '确认书缺少签字' })
  })

  test('data_as_of is shown only for data-driven stages that have it', () => {
    expect(byCode.finance.dataAsOfText).toBe('数据更新于 2026-06-02 09:30')
    expect(byCode.library.dataAsOfText).toBe('数据更新于 2026-06-01 16:00')
    expect(byCode.hospital.dataAsOfText).toBe('')
    expect(decorateStage({ code: 'dorm', status: 'pending', data_as_of: '2026-06-01T00:00:00Z' }).dataAsOfText).toBe('')
  })

  test('blocked_by codes are named', () => {
    expect(byCode.grad_office.blockedText).toBe('导师、学院研究生教务秘书')
  })

  test('next lists the stages to do now, with the student campus locations', () => {
    expect(view.next.map((s) => s.code)).toEqual(['supervisor', 'dorm'])
    const dorm = view.next[1]
    expect(dorm.myLocations).toEqual([{ campus: 'A', campusLabel: 'A区', place: '学生公寓6舍一楼', phone: '65111348', phones: ['65111348'] }])
    expect(dorm.allLocations).toHaveLength(3)
  })

  test('history is decorated, newest first as given', () => {
    expect(view.history[0]).toMatchObject({ stageName: '财务处', fromLabel: '待办理', toLabel: '已通过', atText: '2026-06-02 09:30', channelText: '系统数据同步' })
  })

  test('a staff change is labelled by its channel, not as a source', () => {
    const p = Object.assign({}, sampleProgress(), {
      history: [{ stage: 'dorm', from: 'pending', to: 'cleared', reason: '', at: '2026-06-03T02:00:00Z', channel: 'scan' }],
    })
    expect(buildProgressView(p).history[0]).toMatchObject({ stageName: '学生公寓管理中心', channelText: '现场办理' })
  })

  test('student labels', () => {
    expect(view.student).toMatchObject({ campusLabel: 'A区', degreeLabel: '硕士', departureLabel: '毕业' })
  })

  test('tolerates an empty progress', () => {
    expect(buildProgressView({})).toMatchObject({ stages: [], next: [], history: [], complete: false, total: 0 })
  })
})

describe('buildFlow', () => {
  test('parallel stages, the supervisor → secretary chain, grad_office last', () => {
    const flow = buildFlow(progress().stages)
    expect(flow.sequence.map((n) => n.code)).toEqual(['supervisor', 'college_secretary'])
    expect(flow.last.map((n) => n.code)).toEqual(['grad_office'])
    expect(flow.parallel.map((n) => n.code)).toEqual(['college_workgroup', 'party', 'finance', 'loan', 'library', 'hospital', 'dorm', 'grad_service_center', 'campus_card'])
    expect(flow.parallel.find((n) => n.code === 'campus_card').advisedLate).toBe(true)
  })

  test('unknown stages are parallel, missing ones are left out', () => {
    const flow = buildFlow([{ code: 'extra', name: '其他', status: 'cleared' }, { code: 'grad_office', name: '研工办', status: 'pending' }])
    expect(flow).toEqual({
      parallel: [{ code: 'extra', name: '其他', status: 'cleared', icon: '✓', color: '#07c160', advisedLate: false }],
      sequence: [],
      last: [{ code: 'grad_office', name: '研工办', status: 'pending', icon: '×', color: '#e34d59', advisedLate: false }],
    })
  })
})

describe('locationsFor', () => {
  const ONLINE = { campus: '', place: '线上办理', phone: '' }
  test.each([
    ['the student campus only', DORM_LOCATIONS, 'B', ['B']],
    ['campus-less entries count for everyone', DORM_LOCATIONS.concat([ONLINE]), 'huxi', ['huxi', '']],
    ['all of them when nothing matches', DORM_LOCATIONS, 'Z', ['A', 'B', 'huxi']],
    ['none', undefined, 'A', []],
  ])('%s', (_n, locs, campus, want) => {
    expect(locationsFor(locs, campus).map((l) => l.campus)).toEqual(want)
  })
})

describe('stageView', () => {
  test('finds one stage with its own history', () => {
    const v = stageView(sampleProgress(), 'finance')
    expect(v.stage.name).toBe('财务处')
    expect(v.history).toHaveLength(1)
    expect(stageView(sampleProgress(), 'dorm').history).toHaveLength(0)
    expect(stageView(sampleProgress(), 'nope')).toBeNull()
  })
})
