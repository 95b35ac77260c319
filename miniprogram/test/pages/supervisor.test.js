const { setup, outcomes } = require('../helpers/cases')
const { shown, loginOK } = require('../helpers/wx')
const { confirmedKeys } = require('../helpers/page').pageModule('supervisor-confirm')
const { stage } = require('../helpers/fixtures')

const LIST = ['GET', '/api/v1/supervisor/students']
const CONFIRM = ['POST', '/api/v1/supervisor/students/2021000001/confirm']
const ALL = ['instruments', 'equipment', 'funds', 'project', 'classified']

const student = (over) => Object.assign({ student_no: '2021000001', name: '张伟', college: '计算机学院', degree: 'master', departure_type: 'graduated', status: 'pending', confirmed_items: [] }, over)
const LIST_REPLY = { batch: { id: 1, name: '2026研究生离校' }, items: [student(), student({ student_no: '2021000002', name: '李娜', degree: 'doctor', status: 'cleared', confirmed_items: ALL })] }

describe('supervisor-students', () => {
  outcomes({
    page: 'supervisor-students',
    roles: ['supervisor'],
    route: LIST,
    reply: LIST_REPLY,
    act: (page) => page.onLoad(),
    ok: (page) => {
      expect(page.data.items.map((i) => [i.name, i.degreeLabel, i.departureLabel, i.status])).toEqual([['张伟', '硕士', '毕业', 'pending'], ['李娜', '博士', '毕业', 'cleared']])
      expect(page.data.loading).toBe(false)
    },
    failed: (page, wx, message) => expect(page.data).toMatchObject({ loading: false, error: message, items: [] }),
  })

  test('opening a student, reloading on return and on pull-down', async () => {
    const { page, wx, backend } = setup('supervisor-students', { roles: ['supervisor'], routes: (b) => b.on(...LIST, { status: 200, body: LIST_REPLY }) })
    await page.onShow()
    expect(backend.calls).toHaveLength(0)
    await page.onLoad()
    page.onOpen({ currentTarget: { dataset: { no: '2021000001' } } })
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/supervisor-confirm/index?student_no=2021000001' })
    await page.onShow()
    await page.onPullDownRefresh()
    expect(backend.callsTo(...LIST)).toHaveLength(3)
    expect(wx.stopPullDownRefresh).toHaveBeenCalled()
  })
})

describe('supervisor-confirm: loading', () => {
  outcomes({
    page: 'supervisor-confirm',
    roles: ['supervisor'],
    route: LIST,
    reply: { items: [student({ confirmed_items: ['funds'] })] },
    act: (page) => page.onLoad({ student_no: '2021000001' }),
    ok: (page) => {
      expect(page.data.student).toMatchObject({ name: '张伟', degreeLabel: '硕士' })
      expect(page.data.items.map((i) => i.checked)).toEqual([false, false, true, false, false])
      expect(page.data).toMatchObject({ allChecked: false, done: false })
    },
    failed: (page, wx, message) => expect(page.data).toMatchObject({ loading: false, error: message, student: null }),
  })

  test('an unknown student says so', async () => {
    const { page } = setup('supervisor-confirm', { roles: ['supervisor'], routes: (b) => b.on(...LIST, { status: 200, body: LIST_REPLY }) })
    await page.onLoad({ student_no: '999' })
    expect(page.data.error).toBe('未找到该学生')
  })

  test('an already confirmed student shows all items ticked and done', async () => {
    const { page } = setup('supervisor-confirm', { roles: ['supervisor'], routes: (b) => b.on(...LIST, { status: 200, body: LIST_REPLY }) })
    await page.onLoad({ student_no: '2021000002' })
    expect(page.data).toMatchObject({ done: true, allChecked: true })
  })

  test.each([
    ['a list', ['funds', 'project'], ['funds', 'project']],
    ['all five, as after a confirmation', ['instruments', 'equipment', 'funds', 'project', 'classified'], ['instruments', 'equipment', 'funds', 'project', 'classified']],
    ['an unknown key', ['funds', 'keys'], ['funds']],
    ['nothing', null, []],
  ])('confirmed_items as %s', (_n, input, want) => {
    expect(confirmedKeys(input)).toEqual(want)
  })
})

describe('supervisor-confirm: confirming', () => {
  const ready = async (replies, ticked) => {
    const ctx = setup('supervisor-confirm', {
      roles: ['supervisor'],
      routes: (b) => {
        b.on(...LIST, { status: 200, body: LIST_REPLY })
        b.on(...CONFIRM, ...replies)
        b.on('POST', '/api/v1/auth/login', loginOK('t2', ['supervisor']))
      },
    })
    await ctx.page.onLoad({ student_no: '2021000001' })
    ctx.page.onChange({ detail: { value: ticked || ALL } })
    return ctx
  }
  const cleared = stage('supervisor', '导师', '导师', { status: 'cleared', source: 'staff', reason: '导师已逐项确认' })

  test('four of five ticked cannot be submitted', async () => {
    const { page, wx, backend } = await ready([{ status: 200, body: cleared }], ALL.slice(0, 4))
    expect(page.data.allChecked).toBe(false)
    await page.onSubmit()
    expect(shown(wx, '请逐项确认全部五项')).toBe(true)
    expect(backend.callsTo(...CONFIRM)).toHaveLength(0)
  })

  test('all five ticked: confirmed, then back to the list', async () => {
    const { page, wx, backend } = await ready([{ status: 200, body: cleared }])
    expect(page.data.allChecked).toBe(true)
    await page.onSubmit()
    expect(backend.callsTo(...CONFIRM)[0].data).toEqual({ items: { instruments: true, equipment: true, funds: true, project: true, classified: true } })
    expect(page.data).toMatchObject({ done: true, submitting: false })
    expect(page.data.student.status).toBe('cleared')
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已确认离校' }))
    expect(wx.navigateBack).toHaveBeenCalled()
  })

  test.each([
    ['server error', [{ status: 400, body: { code: 'invalid_argument', message: '五项均须确认' } }], '五项均须确认', 1],
    ['network failure', [{ network: true }], '网络异常，请检查网络后重试', 3],
  ])('%s is shown', async (_n, replies, message, calls) => {
    const { page, wx, backend } = await ready(replies)
    await page.onSubmit()
    expect(shown(wx, message)).toBe(true)
    expect(backend.callsTo(...CONFIRM)).toHaveLength(calls)
    expect(page.data).toMatchObject({ done: false, submitting: false })
  })

  test('401 logs in again and retries', async () => {
    const { page, backend } = await ready([{ status: 401, body: { code: 'unauthenticated', message: 'x' } }, { status: 200, body: cleared }])
    await page.onSubmit()
    expect(backend.callsTo(...CONFIRM).map((c) => c.header.Authorization)).toEqual(['Bearer t1', 'Bearer t2'])
    expect(page.data.done).toBe(true)
  })
})
