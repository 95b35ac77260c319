// Loads a Page({...}) definition with a stubbed Page/getApp, and builds instances whose
// setData applies "a.b" and "list[0].x" paths like the real one.
const path = require('path')

const ROOT = path.join(__dirname, '..', '..')
const definitions = {}

function setPath(target, key, value) {
  const parts = key.replace(/\[(\d+)\]/g, '.$1').split('.')
  let obj = target
  for (let i = 0; i < parts.length - 1; i++) {
    if (obj[parts[i]] === undefined || obj[parts[i]] === null) obj[parts[i]] = /^\d+$/.test(parts[i + 1]) ? [] : {}
    obj = obj[parts[i]]
  }
  obj[parts[parts.length - 1]] = value
}

function definitionOf(page) {
  if (!definitions[page]) {
    let captured = null
    global.Page = (def) => { captured = def }
    global.getApp = () => ({ globalData: {} })
    require(path.join(ROOT, 'pages', page, 'index.js'))
    if (!captured) throw new Error(`pages/${page} did not call Page()`)
    definitions[page] = captured
  }
  return definitions[page]
}

// createPage installs wx globally and returns a fresh instance of pages/<page>.
function createPage(page, wx) {
  global.wx = wx
  const def = definitionOf(page)
  const inst = { route: `pages/${page}/index`, data: JSON.parse(JSON.stringify(def.data || {})), updates: [] }
  Object.keys(def).forEach((k) => {
    if (k !== 'data') inst[k] = def[k]
  })
  inst.setData = function setData(patch, cb) {
    this.updates.push(patch)
    Object.keys(patch).forEach((k) => setPath(this.data, k, patch[k]))
    if (cb) cb()
  }
  return inst
}

// pageModule gives what a page file exports besides calling Page() (its pure helpers).
function pageModule(page) {
  definitionOf(page)
  return require(path.join(ROOT, 'pages', page, 'index.js'))
}

module.exports = { createPage, pageModule, ROOT }
