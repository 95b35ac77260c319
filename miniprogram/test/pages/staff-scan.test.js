const { setup, outcomes } = require('../helpers/cases')
const { shown, loginOK } = require('../helpers/wx')
const { sampleProgress, stage, STAFF_ME } = require('../helpers/fixtures')

const ME = ['GET', '/api/v1/me']
const SCAN = ['POST', '/api/v1/staff/scan']
const CLEAR = ['POST', '/api/v1/staff/stages/dorm/clear']
const REJECT = ['POST', '/api/v1/staff/stages/dorm/reject']
const REVOKE = ['POST', '/api/v1/staff/stages/dorm/revoke']

const STUDENT = sampleProgress().student
const dorm = (over) => stage('dorm', '学生公寓管理中心', '后勤', over)
const scanReply = (myStage, warnings, canAct) => {
  const mine = myStage || dorm()
  const progress = sampleProgress()
  progress.stages = progress.stages.map((s) => (s.code === mine.code ? mine : s))
  return { student: STUDENT, progress, my_stage: mine.code, can_act: canAct !== false, warnings: warnings || [] }
}

// scanned returns a page that has loaded the staff profile and scanned a student.
async function scanned(opts) {
  const o = opts || {}
  const ctx = setup('staff-scan', {
    roles: ['staff'],
    wx: o.wx,
    routes: (b) => {
      b.on(...ME, { status: 200, body: STAFF_ME })
      b.on(...SCAN, { status: 200, body: scanReply(o.myStage, o.warnings, o.canAct) })
      b.on('POST', '/api/v1/auth/login', loginOK('t2', ['staff']))
      if (o.routes) o.routes(b)
    },
  })
  await ctx.page.onLoad()
  await ctx.page.onScan()
  return ctx
}

describe('staff-scan: profile', () => {
  outcomes({
    page: 'staff-scan',
    roles: ['staff'],
    route: ME,
    reply: STAFF_ME,
    act: (page) => page.onLoad(),
    ok: (page) => {
      expect(page.data.staff).toMatchObject({ stage: 'dorm', stage_name: '学生公寓管理中心', campusLabel: 'A区' })
      expect(page.data.error).toBe('')
    },
    failed: (page, wx, message) => expect(page.data.error).toBe(message),
  })

  test('an account without a staff profile is told so', async () => {
    const { page } = setup('staff-scan', { roles: [], routes: (b) => b.on(...ME, { status: 200, body: { roles: [] } }) })
    await page.onLoad()
    expect(page.data).toMatchObject({ staff: null, error: '当前微信未绑定经办人账号' })
  })
})

describe('staff-scan: scanning', () => {
  outcomes({
    page: 'staff-scan',
    roles: ['staff'],
    route: SCAN,
    reply: scanReply(dorm(), ['建议其他环节完成后再办理']),
    before: (b) => b.on(...ME, { status: 200, body: STAFF_ME }),
    wx: { scanResult: '  qr-abc  ' },
    act: async (page) => { await page.onLoad(); await page.onScan() },
    ok: (page, wx, backend) => {
      expect(wx.scanCode).toHaveBeenCalledWith(expect.objectContaining({ onlyFromCamera: true, scanType: ['qrCode'] }))
      expect(backend.callsTo(...SCAN).pop().data).toEqual({ qr_token: 'qr-abc' })
      expect(page.data.student.student_no).toBe('2021000001')
      expect(page.data.myStage).toMatchObject({ code: 'dorm', statusLabel: '待办理' })
      expect(page.data.warnings).toEqual(['建议其他环节完成后再办理'])
      expect(page.data.stages).toHaveLength(12)
      expect(page.data.actions).toEqual({ canClear: true, canReject: true, canRevoke: false })
      expect(page.data.scanning).toBe(false)
    },
    failed: (page) => {
      expect(page.data.student).toBeNull()
      expect(page.data.scanning).toBe(false)
    },
  })

  test('cancelling the scanner does nothing', async () => {
    const { backend, wx } = await scanned({ wx: { scanResult: null } })
    expect(backend.callsTo(...SCAN)).toHaveLength(0)
    expect(wx.showToast).not.toHaveBeenCalled()
  })

  test('an expired QR code shows the server message (after one re-login attempt)', async () => {
    const message = '二维码已过期，请学生刷新后重试'
    const { page, wx, backend } = await scanned({ routes: (b) => b.on(...SCAN, { status: 401, body: { code: 'unauthenticated', message } }) })
    expect(backend.callsTo(...SCAN)).toHaveLength(2)
    expect(shown(wx, message)).toBe(true)
    expect(page.data.student).toBeNull()
  })

  test.each([
    ['pending', { canClear: true, canReject: true, canRevoke: false }],
    ['rejected', { canClear: true, canReject: false, canRevoke: false }],
    ['cleared', { canClear: false, canReject: false, canRevoke: true }],
    ['not_applicable', { canClear: false, canReject: false, canRevoke: false }],
  ])('actions offered for a %s stage', async (status, actions) => {
    const { page } = await scanned({ myStage: dorm({ status }) })
    expect(page.data.actions).toEqual(actions)
    expect(page.data.canAct).toBe(true)
  })

  test('can_act false (a student out of scope): warnings shown, no action offered', async () => {
    const warnings = ['该生属于外国语学院，不在你负责的学院（计算机学院）']
    const { page } = await scanned({ myStage: dorm({ status: 'pending' }), warnings, canAct: false })
    expect(page.data.canAct).toBe(false)
    expect(page.data.warnings).toEqual(warnings)
    expect(page.data.actions).toEqual({ canClear: false, canReject: false, canRevoke: false })
  })

  test('an admin (no my_stage) sees the progress with no stage to act on', async () => {
    const { page } = await scanned({ routes: (b) => b.on(...SCAN, { status: 200, body: Object.assign(scanReply(), { my_stage: undefined }) }) })
    expect(page.data.student.student_no).toBe('2021000001')
    expect(page.data.myStage).toBeNull()
    expect(page.data.actions).toEqual({ canClear: false, canReject: false, canRevoke: false })
  })
})

describe('staff-scan: clearing', () => {
  outcomes({
    page: 'staff-scan',
    roles: ['staff'],
    route: CLEAR,
    reply: dorm({ status: 'cleared', source: 'staff' }),
    errorStatus: 409,
    errorCode: 'stage_locked',
    errorMessage: '该学生需先完成导师环节',
    before: (b) => { b.on(...ME, { status: 200, body: STAFF_ME }); b.on(...SCAN, { status: 200, body: scanReply() }) },
    act: async (page) => { await page.onLoad(); await page.onScan(); await page.onClear() },
    ok: (page, wx, backend) => {
      expect(backend.callsTo(...CLEAR).pop().data).toEqual({ student_no: '2021000001' })
      expect(page.data.myStage).toMatchObject({ status: 'cleared', statusLabel: '已通过' })
      expect(page.data.stages.find((s) => s.code === 'dorm').status).toBe('cleared')
      expect(page.data.actions.canRevoke).toBe(true)
      expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已通过' }))
      expect(page.data.acting).toBe(false)
    },
    failed: (page) => {
      expect(page.data.myStage.status).toBe('pending')
      expect(page.data.acting).toBe(false)
    },
  })

  test('warnings are confirmed before clearing; cancelling clears nothing', async () => {
    const warnings = ['建议其他环节完成后再办理', '需先完成：导师']
    const { page, wx, backend } = await scanned({ warnings, wx: { modalConfirm: false } })
    await page.onClear()
    expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: warnings.join('\n'), confirmText: '仍然通过' }))
    expect(backend.callsTo(...CLEAR)).toHaveLength(0)
  })

  test('warnings confirmed: the stage is cleared', async () => {
    const { page, backend } = await scanned({
      warnings: ['建议其他环节完成后再办理'],
      routes: (b) => b.on(...CLEAR, { status: 200, body: dorm({ status: 'cleared' }) }),
    })
    await page.onClear()
    expect(backend.callsTo(...CLEAR)).toHaveLength(1)
    expect(page.data.myStage.status).toBe('cleared')
  })
})

describe('staff-scan: rejecting and revoking', () => {
  outcomes({
    page: 'staff-scan',
    roles: ['staff'],
    route: REJECT,
    reply: dorm({ status: 'rejected', reason: '钥匙未归还' }),
    before: (b) => { b.on(...ME, { status: 200, body: STAFF_ME }); b.on(...SCAN, { status: 200, body: scanReply() }) },
    act: async (page) => {
      await page.onLoad()
      await page.onScan()
      page.onStartReject()
      page.onReasonInput({ detail: { value: ' 钥匙未归还 ' } })
      await page.onSubmitReason()
    },
    ok: (page, wx, backend) => {
      expect(backend.callsTo(...REJECT).pop().data).toEqual({ student_no: '2021000001', reason: '钥匙未归还' })
      expect(page.data.myStage).toMatchObject({ status: 'rejected', reason: '钥匙未归还' })
      expect(page.data.mode).toBe('')
      expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已退回' }))
    },
    failed: (page) => {
      expect(page.data.mode).toBe('reject')
      expect(page.data.reason).toBe(' 钥匙未归还 ')
    },
  })

  test('a reason is required', async () => {
    const { page, backend } = await scanned()
    page.onStartReject()
    page.onReasonInput({ detail: { value: '   ' } })
    await page.onSubmitReason()
    expect(page.data.reasonError).toBe('请填写退回原因')
    expect(backend.callsTo(...REJECT)).toHaveLength(0)
    page.onReasonInput({ detail: { value: '钥' } })
    expect(page.data.reasonError).toBe('')
    page.onCancelReason()
    expect(page.data.mode).toBe('')
  })

  test('revoking a cleared stage sends the reason', async () => {
    const { page, wx, backend } = await scanned({
      myStage: dorm({ status: 'cleared' }),
      routes: (b) => b.on(...REVOKE, { status: 200, body: dorm({ status: 'pending' }) }),
    })
    page.onStartRevoke()
    expect(page.data.mode).toBe('revoke')
    page.onReasonInput({ detail: { value: '误操作' } })
    await page.onSubmitReason()
    expect(backend.callsTo(...REVOKE)[0].data).toEqual({ student_no: '2021000001', reason: '误操作' })
    expect(page.data.myStage.status).toBe('pending')
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已撤销通过' }))
  })

  test('the worklist link navigates', async () => {
    const { page, wx } = setup('staff-scan', { roles: ['staff'] })
    page.onOpen({ currentTarget: { dataset: { url: '/pages/staff-worklist/index' } } })
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/staff-worklist/index' })
  })
})
