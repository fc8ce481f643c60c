import { SaxesParser } from 'saxes'
import type { El } from './tree.js'

/** why a body is not a WV-CSP XML document we read; the sentence reaches the client */
export class XmlRefused extends Error {}

const MAX_DEPTH = 32
const MAX_ELEMENTS = 20_000

/**
 * Parses a document into an ordered element tree, namespaces resolved. Refused: anything not well-formed, a
 * DTD with an internal subset (entity declarations: no XXE, no billion laughs), any entity but XML's five and
 * character references, and documents deeper or larger than a WV-CSP message ever is. An external DOCTYPE
 * line alone (libwbxml's examples carry one) is accepted and never fetched.
 */
export function parseXml(text: string): El {
  // namespaces are resolved here rather than by saxes (its namespace mode was a third of the parse)
  const parser = new SaxesParser({ position: false })
  const stack: El[] = []
  const scopes: Scope[] = [{ def: '', prefixes: undefined }]
  let root: El | undefined
  let count = 0
  let failure: Error | undefined
  parser.on('error', (err) => {
    failure ??= err
  })
  parser.on('doctype', (doctype) => {
    if (doctype.includes('[')) failure ??= new XmlRefused('a DTD with declarations is not accepted (no entities)')
  })
  parser.on('opentag', (tag) => {
    if (++count > MAX_ELEMENTS) failure ??= new XmlRefused(`more than ${MAX_ELEMENTS} elements`)
    if (stack.length >= MAX_DEPTH) failure ??= new XmlRefused(`elements nested deeper than ${MAX_DEPTH}`)
    const scope = scopeOf(scopes[scopes.length - 1], tag.attributes as Record<string, string>)
    scopes.push(scope)
    const colon = tag.name.indexOf(':')
    let ns = scope.def
    if (colon >= 0) {
      const bound = scope.prefixes?.[tag.name.slice(0, colon)]
      if (bound === undefined) failure ??= new XmlRefused(`the prefix of <${tag.name.slice(0, 60)}> is not bound to a namespace`)
      ns = bound ?? ''
    }
    const node: El = { name: colon >= 0 ? tag.name.slice(colon + 1) : tag.name, ns, children: [], text: '' }
    const parent = stack[stack.length - 1]
    if (parent) parent.children.push(node)
    else root = node
    stack.push(node)
  })
  parser.on('closetag', () => {
    stack.pop()
    scopes.pop()
  })
  parser.on('text', (t) => {
    const top = stack[stack.length - 1]
    if (top) top.text += t
  })
  parser.on('cdata', (t) => {
    const top = stack[stack.length - 1]
    if (top) top.text += t
  })
  try {
    parser.write(text)
    if (!failure) parser.close()
  } catch (err) {
    failure ??= err as Error
  }
  if (failure) throw failure instanceof XmlRefused ? failure : new XmlRefused(cleanMessage(failure.message))
  if (!root) throw new XmlRefused('no root element')
  return root
}

interface Scope {
  /** the default namespace in force */
  def: string
  prefixes: Record<string, string> | undefined
}

/** the namespaces in force inside an element: its own xmlns declarations over its parent's */
function scopeOf(parent: Scope, attributes: Record<string, string>): Scope {
  let scope = parent
  for (const name in attributes) {
    if (name === 'xmlns') scope = { ...scope, def: attributes[name] }
    else if (name.startsWith('xmlns:')) scope = { ...scope, prefixes: { ...scope.prefixes, [name.slice(6)]: attributes[name] } }
  }
  return scope
}

/** saxes prefixes its messages with a position; keep the sentence short and single-line */
function cleanMessage(message: string): string {
  return message.replace(/\s+/g, ' ').slice(0, 160)
}
