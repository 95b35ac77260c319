const { setup, outcomes } = require('../helpers/cases')

const PDF = ['GET', '/api/v1/me/confirmation-form.pdf']

describe('form: download and open the confirmation form', () => {
  outcomes({
    page: 'form',
    route: PDF,
    reply: '%PDF-1.4',
    errorStatus: 404,
    errorCode: 'not_found',
    errorMessage: '未找到导师信息，请联系学院',
    act: (page) => page.onDownload(),
    ok: (page, wx) => {
      expect(wx.openDocument).toHaveBeenCalledTimes(1)
      const arg = wx.openDocument.mock.calls[0][0]
      expect(arg).toMatchObject({ fileType: 'pdf', showMenu: true })
      expect(wx.files[arg.filePath]).toBe('%PDF-1.4')
      expect(page.data.downloading).toBe(false)
    },
    failed: (page, wx) => {
      expect(wx.openDocument).not.toHaveBeenCalled()
      expect(page.data.downloading).toBe(false)
    },
  })

  test('a file that cannot be opened is explained', async () => {
    const { page, wx } = setup('form', { wx: { openFails: true }, routes: (b) => b.on(...PDF, { status: 200, body: '%PDF' }) })
    await page.onDownload()
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '无法打开文件，请稍后重试' }))
  })

  test('a second tap while downloading is ignored', async () => {
    const { page, backend } = setup('form', { routes: (b) => b.on(...PDF, { status: 200, body: '%PDF' }) })
    await Promise.all([page.onDownload(), page.onDownload()])
    expect(backend.callsTo(...PDF)).toHaveLength(1)
  })
})
