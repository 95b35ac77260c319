// 离校通 mini-program entry. Session state lives in storage (services/request.js);
// globalData only caches what pages share within one launch.
App({
  globalData: {
    me: null,
  },
})
