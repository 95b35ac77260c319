const { setup, outcomes } = require('../helpers/cases')
const { shown } = require('../helpers/wx')
const { pickTemplateIds } = require('../helpers/page').pageModule('messages')

const LIST = ['GET', '/api/v1/me/notifications']
const SUBS = ['GET', '/api/v1/me/subscriptions']
const ACCEPT = ['POST', '/api/v1/me/subscriptions']

const INBOX = { items: [
  { id: 2, kind: 'stage_cleared', stage: 'dorm', title: '学生公寓管理中心已通过', body: '你的宿舍钥匙已归还', created_at: '2026-06-03T02:00:00Z' },
  { id: 1, kind: 'stage_rejected', stage: 'supervisor', title: '导师环节被退回', body: '确认书缺少签字', created_at: '2026-06-02T02:00:00Z' },
] }
const TEMPLATES = {
  templates: [{ id: 'tpl-cleared', title: '环节通过提醒' }, { id: 'tpl-rejected', title: '环节退回提醒' }],
  quota: { 'tpl-cleared': 2 },
}

describe('messages: the inbox', () => {
  outcomes({
    page: 'messages',
    route: LIST,
    reply: INBOX,
    before: (b) => b.on(...SUBS, { status: 200, body: TEMPLATES }),
    act: (page) => page.onLoad(),
    ok: (page) => {
      expect(page.data.items.map((i) => i.id)).toEqual([2, 1])
      expect(page.data.items[0].timeText).toBe('2026-06-03 10:00')
      expect(page.data.quotaItems).toEqual([
        { id: 'tpl-cleared', title: '环节通过提醒', n: 2 },
        { id: 'tpl-rejected', title: '环节退回提醒', n: 0 },
      ])
    },
    failed: (page, wx, message) => {
      expect(page.data).toMatchObject({ loading: false, error: message, items: [] })
    },
  })

  test('pull-to-refresh reloads and stops', async () => {
    const { page, wx, backend } = setup('messages', { routes: (b) => { b.on(...LIST, { status: 200, body: INBOX }); b.on(...SUBS, { status: 200, body: TEMPLATES }) } })
    await page.onLoad()
    await page.onPullDownRefresh()
    expect(backend.callsTo(...LIST)).toHaveLength(2)
    expect(wx.stopPullDownRefresh).toHaveBeenCalled()
  })

  test('a failing subscription lookup just hides the prompt', async () => {
    const { page, wx } = setup('messages', { routes: (b) => { b.on(...LIST, { status: 200, body: INBOX }); b.on(...SUBS, { status: 500, body: { code: 'internal', message: '内部错误' } }) } })
    await page.onLoad()
    expect(page.data.templates).toEqual([])
    expect(shown(wx, '内部错误')).toBe(false)
  })

  test('a message opens its stage', () => {
    const { page, wx } = setup('messages')
    page.onOpen({ currentTarget: { dataset: { stage: 'dorm' } } })
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/stage/index?code=dorm' })
    page.onOpen({ currentTarget: { dataset: {} } })
    expect(wx.navigateTo).toHaveBeenCalledTimes(1)
  })
})

describe('messages: subscribing', () => {
  const loaded = async (wxOpts, acceptReplies) => {
    const ctx = setup('messages', {
      wx: wxOpts,
      routes: (b) => {
        b.on(...LIST, { status: 200, body: INBOX })
        b.on(...SUBS, { status: 200, body: TEMPLATES })
        b.on(...ACCEPT, ...(acceptReplies || [{ status: 200, body: { templates: TEMPLATES.templates, quota: { 'tpl-cleared': 3, 'tpl-rejected': 1 } } }]))
        b.on('POST', '/api/v1/auth/login', { status: 200, body: { token: 't2', expires_at: '2099-01-01T00:00:00Z', roles: ['student'] } })
      },
    })
    await ctx.page.onLoad()
    return ctx
  }

  test('the tap asks WeChat, then records what was accepted', async () => {
    const { page, wx, backend } = await loaded()
    await page.onSubscribe()
    expect(wx.requestSubscribeMessage).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['tpl-rejected', 'tpl-cleared'] }))
    expect(backend.callsTo(...ACCEPT)[0].data).toEqual({ accepted: ['tpl-rejected', 'tpl-cleared'] })
    expect(page.data.quotaItems.map((q) => q.n)).toEqual([3, 1])
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已开启通知' }))
    expect(page.data.subscribing).toBe(false)
  })

  test('only accepted templates are recorded', async () => {
    const { page, backend } = await loaded({ subscribeResult: { 'tpl-cleared': 'reject' } })
    await page.onSubscribe()
    expect(backend.callsTo(...ACCEPT)[0].data).toEqual({ accepted: ['tpl-rejected'] })
  })

  test('nothing accepted: nothing recorded', async () => {
    const { page, wx, backend } = await loaded({ subscribeResult: { 'tpl-cleared': 'reject', 'tpl-rejected': 'reject' } })
    await page.onSubscribe()
    expect(backend.callsTo(...ACCEPT)).toHaveLength(0)
    expect(shown(wx, '未开启通知')).toBe(true)
  })

  test('WeChat refusing the request is explained', async () => {
    const { page, wx, backend } = await loaded({ subscribeResult: null })
    await page.onSubscribe()
    expect(backend.callsTo(...ACCEPT)).toHaveLength(0)
    expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: '无法开启通知，请在小程序设置中允许接收订阅消息' }))
  })

  test('a server error recording the acceptance is shown', async () => {
    const { page, wx } = await loaded({}, [{ status: 400, body: { code: 'invalid_argument', message: '未知的模板' } }])
    await page.onSubscribe()
    expect(shown(wx, '未知的模板')).toBe(true)
    expect(page.data.subscribing).toBe(false)
  })

  test('401 while recording logs in again and retries', async () => {
    const { page, backend } = await loaded({}, [{ status: 401, body: { code: 'unauthenticated', message: 'x' } }, { status: 200, body: TEMPLATES }])
    await page.onSubscribe()
    expect(backend.callsTo(...ACCEPT).map((c) => c.header.Authorization)).toEqual(['Bearer t1', 'Bearer t2'])
  })

  test('a network failure while recording is shown', async () => {
    const { page, wx } = await loaded({}, [{ network: true }])
    await page.onSubscribe()
    expect(shown(wx, '网络异常，请检查网络后重试')).toBe(true)
  })

  test.each([
    ['at most three, fewest left first', [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }], { a: 5, b: 0, c: 1, d: 0 }, ['b', 'd', 'c']],
    ['keeps order on ties', [{ id: 'a' }, { id: 'b' }], {}, ['a', 'b']],
    ['none', [], {}, []],
  ])('pickTemplateIds: %s', (_n, templates, quota, want) => {
    expect(pickTemplateIds(templates, quota)).toEqual(want)
  })
})
