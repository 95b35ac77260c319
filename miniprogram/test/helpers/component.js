// Renders a shared component with miniprogram-simulate and the official WXML compiler.
const path = require('path')
const simulate = require('miniprogram-simulate')

const ROOT = path.join(__dirname, '..', '..')
const ids = {}

function render(name, props) {
  if (!ids[name]) ids[name] = simulate.load(path.join(ROOT, 'components', name, 'index'), name, { rootPath: ROOT })
  const comp = simulate.render(ids[name], props)
  comp.attach(document.createElement('parent-wrapper'))
  return comp
}

// text gives the rendered text nodes, each trimmed, joined by one space.
function text(comp) {
  const parts = []
  const walk = (node) => {
    if (node.nodeType === 3) {
      const t = node.nodeValue.replace(/\s+/g, ' ').trim()
      if (t) parts.push(t)
    }
    node.childNodes.forEach(walk)
  }
  walk(comp.dom)
  return parts.join(' ')
}

// tap fires a tap on a node and waits for the (asynchronous) handlers.
async function tap(node) {
  node.dispatchEvent('tap')
  await simulate.sleep(10)
}

module.exports = { render, text, tap, simulate }
