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

class Encoder {
  readonly #out: number[] = []
  readonly #strings = new Map<string, number>()
  #stringBytes: number[] = []
  #page = 0
  constructor(private readonly table: TokenTable) {}

  document(root: El, publicId: number): Uint8Array<ArrayBuffer> {
    this.#element(root, '')
    const body = this.#out
    const head = [0x03, ...mbUint(publicId), 0x6a, ...mbUint(this.#stringBytes.length), ...this.#stringBytes]
    const out = new Uint8Array(head.length + body.length)
    out.set(head)
    out.set(body, head.length)
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

  /** the longest attribute-start token whose value prefixes the namespace, then the rest inline */
  #xmlns(ns: string): void {
    let best: [number, string] | undefined
    for (const [t, prefix] of Object.entries(XMLNS_TOKENS)) {
      if (ns.startsWith(prefix) && (!best || prefix.length > best[1].length)) best = [Number(t), prefix]
    }
    if (best) this.#out.push(best[0])
    else this.#out.push(0x04, ...mbUint(this.#literal('xmlns')))
    const rest = best ? ns.slice(best[1].length) : ns
    if (rest) this.#inline(rest)
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
    for (const b of Buffer.from(s.replace(/\0/g, '\ufffd'), 'utf8')) this.#out.push(b)
    this.#out.push(0x00)
  }

  #literal(name: string): number {
    let at = this.#strings.get(name)
    if (at === undefined) {
      at = this.#stringBytes.length
      this.#strings.set(name, at)
      this.#stringBytes = [...this.#stringBytes, ...Buffer.from(name.replace(/\0/g, '\ufffd'), 'utf8'), 0]
    }
    return at
  }
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
