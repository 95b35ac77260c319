const { setup, outcomes } = require('../helpers/cases')
const { loginOK } = require('../helpers/wx')

const REDEEM = ['POST', '/api/v1/staff/redeem']

function typed(page, code) {
  page.onInput({ detail: { value: code } })
  return page.onSubmit()
}

describe('staff-redeem', () => {
  outcomes({
    page: 'staff-redeem',
    roles: [],
    route: REDEEM,
    reply: { id: 3, name: '李老师', role: 'staff', stage: 'dorm', stage_name: '学生公寓管理中心' },
    errorStatus: 404,
    errorCode: 'not_found',
    errorMessage: '邀请码无效或已使用',
    loginsAfter: 1, // a fresh token carries the new role
    act: (page) => typed(page, ' INV-123 '),
    ok: (page, wx, backend) => {
      expect(backend.callsTo(...REDEEM).pop().data).toEqual({ invite_code: 'INV-123' })
      expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/staff-scan/index' })
      expect(page.data.submitting).toBe(false)
    },
    failed: (page, wx) => {
      expect(wx.reLaunch).not.toHaveBeenCalled()
      expect(page.data.submitting).toBe(false)
    },
  })

  test('an empty code is refused before the server', async () => {
    const { page, backend } = setup('staff-redeem', { roles: [] })
    await typed(page, '  ')
    expect(page.data.error).toBe('请输入邀请码')
    expect(backend.calls).toHaveLength(0)
  })

  test.each([
    ['supervisor', '/pages/supervisor-students/index'],
    ['admin', null],
  ])('a %s invite goes to the right place and refreshes the token', async (role, url) => {
    const { page, wx, backend } = setup('staff-redeem', {
      roles: [],
      routes: (b) => {
        b.on(...REDEEM, { status: 200, body: { id: 1, name: '王老师', role } })
        b.on('POST', '/api/v1/auth/login', loginOK('t9', [role]))
      },
    })
    await typed(page, 'INV')
    expect(backend.callsTo('POST', '/api/v1/auth/login')).toHaveLength(1)
    if (url) expect(wx.reLaunch).toHaveBeenCalledWith({ url })
    else expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: '管理员账号请在电脑上使用离校通管理后台。' }))
  })
})
