import type { El } from './tree.js'

/**
 * Writes an element tree as an XML document. Text is escaped; characters XML 1.0 cannot carry (control
 * characters, lone surrogates) become U+FFFD, so that an answer is always well-formed whatever a message held.
 */
export function serialize(root: El): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>']
  write(root, out)
  return out.join('')
}

function write(node: El, out: string[]): void {
  out.push('<', node.name)
  if (node.ns) out.push(' xmlns="', escape(node.ns).replace(/"/g, '&quot;'), '"')
  if (node.children.length === 0 && node.text === '') {
    out.push('/>')
    return
  }
  out.push('>')
  if (node.children.length) for (const c of node.children) write(c, out)
  else out.push(escape(node.text))
  out.push('</', node.name, '>')
}

// eslint-disable-next-line no-control-regex
const UNSAFE = /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

function escape(s: string): string {
  return s.replace(UNSAFE, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '\r' ? '&#13;' : '\ufffd'))
}
