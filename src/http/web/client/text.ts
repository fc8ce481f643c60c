/**
 * How every string from the server or another user reaches the page: as text only (textContent, never HTML),
 * with bidi embeddings, overrides and isolates shown as visible codes rather than obeyed, so that a name or a
 * message cannot reorder what is drawn around it (U+202E turning "exe.txt" into "txt.exe").
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g

export function safeText(s: string): string {
  return s.replace(BIDI_CONTROLS, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase()}]`)
}

type Props = { class?: string; text?: string; [attr: string]: string | undefined }

/** an element with attributes and children; `text` is set through safeText and textContent */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined) continue
    if (name === 'text') node.textContent = safeText(value)
    else if (name === 'class') node.className = value
    // what a screen reader reads out is text too
    else node.setAttribute(name, name.startsWith('aria-') || name === 'title' ? safeText(value) : value)
  }
  for (const child of children) node.append(typeof child === 'string' ? safeText(child) : child)
  return node
}

/** replaces an element's content with a string, as text */
export function setText(node: HTMLElement, text: string): void {
  node.textContent = safeText(text)
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T
}

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const dateTime = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })

/** "14:03" today, "1 Jan, 14:03" on another day */
export function when(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  return d.toDateString() === new Date().toDateString() ? timeOnly.format(d) : dateTime.format(d)
}

export function timeElement(iso: string): HTMLTimeElement {
  return el('time', { datetime: iso, text: when(iso) })
}
