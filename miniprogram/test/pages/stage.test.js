const { setup, outcomes } = require('../helpers/cases')
const { shown } = require('../helpers/wx')
const { sampleProgress, stage } = require('../helpers/fixtures')

const PROGRESS = ['GET', '/api/v1/me/progress']
const APPLY = ['POST', '/api/v1/me/stages/library/apply']

describe('stage: loading', () => {
  outcomes({
    page: 'stage',
    route: PROGRESS,
    reply: sampleProgress(),
    act: (page) => page.onLoad({ code: 'dorm' }),
    ok: (page, wx) => {
      expect(page.data.stage).toMatchObject({ code: 'dorm', name: '学生公寓管理中心', statusLabel: '待办理' })
      expect(page.data.stage.myLocations.map((l) => l.campus)).toEqual(['A'])
      expect(page.data.isLibrary).toBe(false)
      expect(page.data.canApply).toBe(false)
      expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '学生公寓管理中心' })
    },
    failed: (page, wx, message) => {
      expect(page.data).toMatchObject({ loading: false, error: message, stage: null })
    },
  })

  test('an unknown stage says so', async () => {
    const { page } = setup('stage', { routes: (b) => b.on(...PROGRESS, { status: 200, body: sampleProgress() }) })
    await page.onLoad({ code: 'nope' })
    expect(page.data).toMatchObject({ loading: false, error: '未找到该环节', stage: null })
  })
})

describe('stage: library self-service', () => {
  const loaded = async (applyReplies, progress) => {
    const ctx = setup('stage', {
      routes: (b) => {
        b.on(...PROGRESS, { status: 200, body: progress || sampleProgress() })
        b.on(...APPLY, ...applyReplies)
        b.on('POST', '/api/v1/auth/login', { status: 200, body: { token: 't2', expires_at: '2099-01-01T00:00:00Z', roles: ['student'] } })
      },
    })
    await ctx.page.onLoad({ code: 'library' })
    return ctx
  }
  const cleared = stage('library', '图书馆', '图书馆', { status: 'cleared', source: 'self_service' })

  test('a pending library stage offers 申请离校; success clears it', async () => {
    const { page, wx, backend } = await loaded([{ status: 200, body: cleared }])
    expect(page.data).toMatchObject({ isLibrary: true, canApply: true })
    await page.onApply()
    expect(backend.callsTo(...APPLY)).toHaveLength(1)
    expect(page.data.stage).toMatchObject({ status: 'cleared', statusLabel: '已通过', sourceText: '线上自助申请' })
    expect(page.data).toMatchObject({ canApply: false, applying: false })
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '图书馆环节已通过' }))
  })

  test('stage_locked shows the message naming what is missing', async () => {
    const message = '尚有2本图书未归还，请先还书后再申请'
    const { page, wx } = await loaded([{ status: 409, body: { code: 'stage_locked', message, blocked_by: [] } }])
    await page.onApply()
    expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: message }))
    expect(page.data).toMatchObject({ canApply: true, applying: false })
  })

  test('401 logs in again and retries the application', async () => {
    const { page, backend } = await loaded([{ status: 401, body: { code: 'unauthenticated', message: 'x' } }, { status: 200, body: cleared }])
    await page.onApply()
    expect(backend.callsTo(...APPLY).map((c) => c.header.Authorization)).toEqual(['Bearer t1', 'Bearer t2'])
    expect(page.data.stage.status).toBe('cleared')
  })

  test('a network failure is shown', async () => {
    const { page, wx } = await loaded([{ network: true }])
    await page.onApply()
    expect(shown(wx, '网络异常，请检查网络后重试')).toBe(true)
    expect(page.data.applying).toBe(false)
  })

  test('a cleared library stage offers nothing to apply for', async () => {
    const p = sampleProgress()
    p.stages = p.stages.map((s) => (s.code === 'library' ? Object.assign({}, s, { status: 'cleared' }) : s))
    const { page, backend } = await loaded([{ status: 200, body: cleared }], p)
    expect(page.data.canApply).toBe(false)
    await page.onApply()
    expect(backend.callsTo(...APPLY)).toHaveLength(0)
  })
})
