// One way to tell the user about an error: the server's Chinese message, as a toast
// when it is short and as a dialog when it would be cut off.
const TOAST_MAX_CHARS = 14

function messageOf(err) {
  return (err && err.message) || '操作失败，请稍后重试'
}

function showError(err) {
  const message = messageOf(err)
  if (message.length <= TOAST_MAX_CHARS) {
    wx.showToast({ title: message, icon: 'none', duration: 2500 })
  } else {
    wx.showModal({ title: '提示', content: message, showCancel: false, confirmText: '知道了' })
  }
}

function toast(title) {
  wx.showToast({ title, icon: 'success' })
}

// confirm resolves true when the user taps the confirm button.
function confirm(title, content, confirmText) {
  return new Promise((resolve) => {
    wx.showModal({
      title,
      content,
      confirmText: confirmText || '确定',
      success: (res) => resolve(!!(res && res.confirm)),
      fail: () => resolve(false),
    })
  })
}

module.exports = { showError, toast, confirm, messageOf }
