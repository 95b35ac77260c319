// The pre-filled supervisor confirmation form: download it with the token, open it to print.
const form = require('../../services/form')
const { showError } = require('../../utils/ui')

function openPdf(filePath) {
  return new Promise((resolve, reject) => {
    wx.openDocument({
      filePath,
      fileType: 'pdf',
      showMenu: true,
      success: resolve,
      fail: () => reject(new Error('无法打开文件，请稍后重试')),
    })
  })
}

Page({
  data: {
    downloading: false,
  },

  async onDownload() {
    if (this.data.downloading) return
    this.setData({ downloading: true })
    try {
      await openPdf(await form.download())
    } catch (err) {
      showError(err)
    } finally {
      this.setData({ downloading: false })
    }
  },
})
