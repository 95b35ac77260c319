const { setup, outcomes } = require('../helpers/cases')
const { shown } = require('../helpers/wx')
const { STAFF_ME } = require('../helpers/fixtures')
const { summarize } = require('../helpers/page').pageModule('staff-worklist')

const ME = ['GET', '/api/v1/me']
const LIST = ['GET', '/api/v1/staff/stages/dorm/students']
const BULK = ['POST', '/api/v1/staff/stages/dorm/bulk-clear']

const row = (no, status, over) => Object.assign({ student_no: no, name: `学生${no}`, college: '计算机学院', campus: 'A', degree: 'master', status, reason: '', updated_at: '2026-06-01T00:00:00Z' }, over)
const PAGE1 = { batch: { id: 1, name: '2026研究生离校' }, items: [row('1', 'pending'), row('2', 'rejected', { reason: '钥匙未还' }), row('3', 'cleared')], total: 45, page: 1, page_size: 20 }

async function loaded(opts) {
  const o = opts || {}
  const ctx = setup('staff-worklist', {
    roles: ['staff'],
    wx: o.wx,
    routes: (b) => {
      b.on(...ME, { status: 200, body: o.me || STAFF_ME })
      b.on(...LIST, ({ query }) => ({ status: 200, body: Object.assign({}, PAGE1, { page: Number((/page=(\d+)/.exec(query) || [])[1] || 1) }) }))
      if (o.routes) o.routes(b)
    },
  })
  await ctx.page.onLoad()
  return ctx
}

describe('staff-worklist: loading', () => {
  outcomes({
    page: 'staff-worklist',
    roles: ['staff'],
    route: LIST,
    reply: PAGE1,
    before: (b) => b.on(...ME, { status: 200, body: STAFF_ME }),
    act: (page) => page.onLoad(),
    ok: (page, wx, backend) => {
      expect(backend.callsTo(...LIST).pop().query).toBe('status=pending&page=1')
      expect(page.data).toMatchObject({ stage: 'dorm', total: 45, page: 1, pages: 3, loading: false })
      expect(page.data.items.map((i) => [i.student_no, i.statusLabel, i.selectable])).toEqual([['1', '待办理', true], ['2', '已退回', true], ['3', '已通过', false]])
      expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '学生公寓管理中心待办名单' })
    },
    failed: (page, wx, message) => expect(page.data).toMatchObject({ loading: false, error: message }),
  })

  test('a failing profile lookup is shown and nothing else is asked', async () => {
    const { page, wx, backend } = await loaded({ routes: (b) => b.on(...ME, { status: 500, body: { code: 'internal', message: '内部错误' } }) })
    expect(shown(wx, '内部错误')).toBe(true)
    expect(page.data.error).toBe('内部错误')
    expect(backend.callsTo(...LIST)).toHaveLength(0)
  })

  test('a college-bound staff member starts filtered by that college', async () => {
    const me = { roles: ['staff'], staff: Object.assign({}, STAFF_ME.staff, { college: '计算机学院' }) }
    const { backend } = await loaded({ me })
    expect(backend.callsTo(...LIST)[0].query).toBe('status=pending&college=%E8%AE%A1%E7%AE%97%E6%9C%BA%E5%AD%A6%E9%99%A2&page=1')
  })
})

describe('staff-worklist: filters and paging', () => {
  test('status and college filters restart at page 1', async () => {
    const { page, backend } = await loaded()
    await page.onStatusChange({ detail: { value: '0' } })
    expect(backend.callsTo(...LIST).pop().query).toBe('page=1')
    page.onCollegeInput({ detail: { value: ' 机械学院 ' } })
    await page.onSearch()
    expect(backend.callsTo(...LIST).pop().query).toBe(`college=${encodeURIComponent('机械学院')}&page=1`)
  })

  test('next and previous stay within the pages', async () => {
    const { page, backend } = await loaded()
    await page.onPrev()
    expect(backend.callsTo(...LIST)).toHaveLength(1)
    await page.onNext()
    await page.onNext()
    expect(page.data.page).toBe(3)
    await page.onNext()
    expect(backend.callsTo(...LIST)).toHaveLength(3)
    await page.onPrev()
    expect(page.data.page).toBe(2)
  })

  test('pull-to-refresh reloads the current page', async () => {
    const { page, wx, backend } = await loaded()
    await page.onNext()
    await page.onPullDownRefresh()
    expect(backend.callsTo(...LIST).pop().query).toBe('status=pending&page=2')
    expect(wx.stopPullDownRefresh).toHaveBeenCalled()
  })
})

describe('staff-worklist: bulk clear', () => {
  test('selection and select-all (only students that can be cleared)', async () => {
    const { page } = await loaded()
    page.onSelectChange({ detail: { value: ['2'] } })
    expect(page.data.selected).toEqual(['2'])
    expect(page.data.items.map((i) => i.checked)).toEqual([false, true, false])
    page.onSelectAll()
    expect(page.data.selected).toEqual(['1', '2'])
    page.onSelectAll()
    expect(page.data.selected).toEqual([])
  })

  test('nothing selected: told to select', async () => {
    const { page, wx, backend } = await loaded()
    await page.onBulkClear()
    expect(shown(wx, '请先选择学生')).toBe(true)
    expect(backend.callsTo(...BULK)).toHaveLength(0)
  })

  test('confirm, send, summarise the failures, reload', async () => {
    const result = { changed: 1, unchanged: 0, failed: 1, results: [
      { row: 1, student_no: '1', changed: true, status: 'cleared' },
      { row: 2, student_no: '2', changed: false, status: 'rejected', code: 'stage_locked', message: '「学生公寓管理中心」须先完成：导师' },
    ] }
    const { page, wx, backend } = await loaded({ routes: (b) => b.on(...BULK, { status: 200, body: result }) })
    page.onSelectAll()
    await page.onBulkClear()
    expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: '确认通过选中的 2 名学生的「学生公寓管理中心」环节？' }))
    expect(backend.callsTo(...BULK)[0].data).toEqual({ student_nos: ['1', '2'] })
    expect(page.data.bulkResult.text).toBe('通过 1 人，无变化 0 人，失败 1 人')
    expect(page.data.bulkResult.failures.map((f) => f.student_no)).toEqual(['2'])
    expect(page.data.bulkResult.notes).toEqual([])
    expect(backend.callsTo(...LIST)).toHaveLength(2)
    expect(page.data.selected).toEqual([])
    expect(page.data.submitting).toBe(false)
  })

  test('cancelling the confirmation sends nothing', async () => {
    const { page, backend } = await loaded({ wx: { modalConfirm: false } })
    page.onSelectAll()
    await page.onBulkClear()
    expect(backend.callsTo(...BULK)).toHaveLength(0)
  })

  test.each([
    ['server error', [{ status: 403, body: { code: 'forbidden', message: '只能办理本环节' } }], '只能办理本环节', 1],
    ['network failure', [{ network: true }], '网络异常，请检查网络后重试', 3],
  ])('%s is shown', async (_n, replies, message, calls) => {
    const { page, wx, backend } = await loaded({ routes: (b) => b.on(...BULK, ...replies) })
    page.onSelectAll()
    await page.onBulkClear()
    expect(shown(wx, message)).toBe(true)
    expect(backend.callsTo(...BULK)).toHaveLength(calls)
    expect(page.data.submitting).toBe(false)
  })

  test('401 logs in again and retries', async () => {
    const { page, backend } = await loaded({
      routes: (b) => {
        b.on(...BULK, { status: 401, body: { code: 'unauthenticated', message: 'x' } }, { status: 200, body: { changed: 2, unchanged: 0, failed: 0, results: [] } })
        b.on('POST', '/api/v1/auth/login', { status: 200, body: { token: 't2', expires_at: '2099-01-01T00:00:00Z', roles: ['staff'] } })
      },
    })
    page.onSelectAll()
    await page.onBulkClear()
    expect(backend.callsTo(...BULK).map((c) => c.header.Authorization)).toEqual(['Bearer t1', 'Bearer t2'])
    expect(page.data.bulkResult.text).toBe('通过 2 人，无变化 0 人，失败 0 人')
  })

  test('summarize: rows with a code failed; a message without a code is a note on an unchanged row', () => {
    const res = { changed: 1, unchanged: 2, failed: 1, results: [
      { row: 1, student_no: 'A1', changed: true, status: 'cleared' },
      { row: 2, student_no: 'A2', changed: false, status: 'cleared', message: '已通过，无需重复办理' },
      { row: 3, student_no: 'A1', changed: false, message: '与第 1 行重复，已按第 1 行办理' },
      { row: 4, student_no: 'ZZ', changed: false, code: 'not_found', message: '学生不存在' },
    ] }
    const s = summarize(res)
    expect(s.text).toBe('通过 1 人，无变化 2 人，失败 1 人')
    expect(s.failures.map((r) => r.row)).toEqual([4])
    expect(s.notes.map((r) => r.row)).toEqual([2, 3])
  })

  test('summarize tolerates an empty answer', () => {
    expect(summarize(null)).toEqual({ text: '通过 0 人，无变化 0 人，失败 0 人', failures: [], notes: [] })
  })
})
