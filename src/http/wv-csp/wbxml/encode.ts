import type { Version } from '../version.js'
import type { El } from '../xml/tree.js'
import { FREE_TEXT_ELEMENTS, INTEGER_ELEMENTS, PUBLIC_IDS, tableOf, type TokenTable, XMLNS_TOKENS } from './tokens.js'

/**
 * Encodes an element tree as WV-CSP WBXML in one version's tokens: header 03, the version's public id, UTF-8,
 * a string table holding only names that version has no token for (written as LITERAL, never as another
 * version's token). Every element gets the content flag and an END (AOSP's encoder does so too); xmlns travels
 * as its attribute token plus the rest as an inline string; exact value-table matches become EXT_T_0 (S60 loses
 * an inline "T"), except in free text; whole numbers in integer elements become OPAQUE; everything else,
 * DateTime included, is an inline string. Whitespace-only text is dropped, except inside ContentData.
 */
export function encodeWbxml(root: El, version: Version): Uint8Array<ArrayBuffer> {
  return new Encoder(tableOf(version)).document(root, PUBLIC_IDS[version])
}

/** bytes appended to a buffer that doubles when full: an answer is written without an array per token */
class ByteWriter {
  #buf = new Uint8Array(512)
  length = 0

  push(...bytes: number[]): void {
    this.#room(bytes.length)
    for (const b of bytes) this.#buf[this.length++] = b
  }

  /** `s` as UTF-8 */
  text(s: string): void {
    this.#room(s.length * 3)
    this.length += Buffer.from(this.#buf.buffer, this.#buf.byteOffset).write(s, this.length, 'utf8')
  }

  /** what was written, without a copy (valid until the next push) */
  view(): Uint8Array {
    return this.#buf.subarray(0, this.length)
  }

  #room(n: number): void {
    if (this.length + n <= this.#buf.length) return
    const grown = new Uint8Array(Math.max(this.#buf.length * 2, this.length + n))
    grown.set(this.#buf.subarray(0, this.length))
    this.#buf = grown
  }
}

class Encoder {
  readonly #out = new ByteWriter()
  readonly #strings = new Map<string, number>()
  readonly #stringTable = new ByteWriter()
  #page = 0
  constructor(private readonly table: TokenTable) {}

  document(root: El, publicId: number): Uint8Array<ArrayBuffer> {
    this.#element(root, '')
    const head = [0x03, ...mbUint(publicId), 0x6a, ...mbUint(this.#stringTable.length)]
    const table = this.#stringTable.view()
    const body = this.#out.view()
    const out = new Uint8Array(head.length + table.length + body.length)
    out.set(head)
    out.set(table, head.length)
    out.set(body, head.length + table.length)
    return out
  }

  #element(el: El, parentNs: string): void {
    const code = this.table.tagCodes.get(el.name)
    const attrs = el.ns !== parentNs && el.ns !== ''
    const flags = 0x40 | (attrs ? 0x80 : 0)
    if (code === undefined) {
      this.#out.push(0x04 | flags, ...mbUint(this.#literal(el.name)))
    } else {
      const page = code >> 8
      if (page !== this.#page) this.#out.push(0x00, page)
      this.#page = page
      this.#out.push((code & 0x3f) | flags)
    }
    if (attrs) this.#xmlns(el.ns)
    if (el.children.length) for (const c of el.children) this.#element(c, attrs ? el.ns : parentNs)
    else this.#content(el)
    this.#out.push(0x01)
  }

  #xmlns(ns: string): void {
    const split = xmlnsSplit(ns)
    if (split.token !== undefined) this.#out.push(split.token)
    else this.#out.push(0x04, ...mbUint(this.#literal('xmlns')))
    if (split.rest) this.#inline(split.rest)
    this.#out.push(0x01)
  }

  #content(el: El): void {
    const text = el.text
    if (text === '' || (el.name !== 'ContentData' && text.trim() === '')) return
    if (INTEGER_ELEMENTS.has(el.name) && /^\d{1,10}$/.test(text) && Number(text) <= 0xffffffff) {
      const bytes = intBytes(Number(text))
      this.#out.push(0xc3, ...mbUint(bytes.length), ...bytes)
      return
    }
    const token = FREE_TEXT_ELEMENTS.has(el.name) ? undefined : this.table.valueCodes.get(text)
    if (token !== undefined) this.#out.push(0x80, ...mbUint(token))
    else this.#inline(text)
  }

  /** STR_I; a NUL cannot travel inside one, so it becomes U+FFFD (the XML serializer does the same) */
  #inline(s: string): void {
    this.#out.push(0x03)
    this.#out.text(s.includes('\0') ? s.replace(/\0/g, '\ufffd') : s)
    this.#out.push(0x00)
  }

  #literal(name: string): number {
    let at = this.#strings.get(name)
    if (at === undefined) {
      at = this.#stringTable.length
      this.#strings.set(name, at)
      this.#stringTable.text(name.replace(/\0/g, '\ufffd'))
      this.#stringTable.push(0)
    }
    return at
  }
}

const xmlnsSplits = new Map<string, { token?: number; rest: string }>()

/** the longest attribute-start token whose value prefixes the namespace, and the rest (remembered: answers use a few) */
function xmlnsSplit(ns: string): { token?: number; rest: string } {
  let split = xmlnsSplits.get(ns)
  if (split) return split
  let best: [number, string] | undefined
  for (const [t, prefix] of Object.entries(XMLNS_TOKENS)) {
    if (ns.startsWith(prefix) && (!best || prefix.length > best[1].length)) best = [Number(t), prefix]
  }
  split = best ? { token: best[0], rest: ns.slice(best[1].length) } : { rest: ns }
  if (xmlnsSplits.size < 64) xmlnsSplits.set(ns, split)
  return split
}

/** big-endian, as few bytes as hold it (0 is one zero byte, as AOSP writes MessageCount 0) */
function intBytes(n: number): number[] {
  const out: number[] = []
  do {
    out.unshift(n % 256)
    n = Math.floor(n / 256)
  } while (n > 0)
  return out
}

export function mbUint(n: number): number[] {
  const out = [n & 0x7f]
  n = Math.floor(n / 128)
  while (n > 0) {
    out.unshift((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  return out
}
