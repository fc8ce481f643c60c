/** The ordered element tree both directions use: a parsed request, and an answer before it is written. */
export interface El {
  /** local name, without prefix */
  name: string
  /** namespace URI ('' for none); on answers, an `xmlns` to write when set */
  ns: string
  children: El[]
  /** the concatenated character data directly inside (ignored for elements with children) */
  text: string
}

export type Content = string | number | boolean | El | undefined | null | Content[]

/** builds an answer element: text for a leaf (a boolean is T or F), else children (undefined, null and false among them are skipped) */
export function e(name: string, content?: Content, ns = ''): El {
  const node: El = { name, ns, children: [], text: '' }
  if (typeof content === 'boolean') node.text = content ? 'T' : 'F'
  else add(node, content)
  return node
}

function add(node: El, c: Content): void {
  if (c === undefined || c === null || c === false) return
  if (Array.isArray(c)) for (const x of c) add(node, x)
  else if (typeof c === 'object') node.children.push(c)
  else node.text += String(c)
}

/** the first child of that name */
export function child(node: El | undefined, name: string): El | undefined {
  if (!node) return undefined
  for (const c of node.children) if (c.name === name) return c
  return undefined
}

export function children(node: El | undefined, name: string): El[] {
  return node ? node.children.filter((c) => c.name === name) : []
}

/** the trimmed text of a child (or of the path of children), undefined when absent */
export function textAt(node: El | undefined, ...path: string[]): string | undefined {
  let cur = node
  for (const p of path) cur = child(cur, p)
  return cur ? cur.text.trim() : undefined
}

/** a WV-CSP boolean: T or F */
export function boolAt(node: El | undefined, ...path: string[]): boolean | undefined {
  const t = textAt(node, ...path)
  if (t === undefined) return undefined
  return t.toUpperCase() === 'T'
}
