import { type Version, versionOf } from '../version.js'
import type { El } from '../xml/tree.js'
import { PUBLIC_IDS, supersetTable, tableOf, type TokenTable, XMLNS_TOKENS } from './tokens.js'

/** why a body is not WV-CSP WBXML we read; the sentence reaches the client and the log */
export class WbxmlRefused extends Error {}

const MAX_DEPTH = 32
const MAX_ELEMENTS = 20_000
const UTF8 = 0x6a
const utf8 = new TextDecoder('utf-8', { fatal: true })
/** PI and the extension tokens other than EXT_T_0: WV-CSP has no use for them */
const UNUSED = new Set([0x40, 0x41, 0x42, 0x43, 0x81, 0x82, 0xc0, 0xc1, 0xc2])
const BY_PUBLIC_ID = new Map(Object.entries(PUBLIC_IDS).map(([v, id]) => [id, v as Version]))

/** the ordered tree the XML parser gives, the version the header's public id named (if any), and the one read */
export interface Decoded {
  root: El
  publicIdVersion: Version | undefined
  /** the root's xmlns version, else the public id's, else 1.1: the token table the body was read with */
  version: Version
}

/**
 * Decodes a WV-CSP WBXML document (WBXML 1.1–1.3 header, UTF-8 only) into the XML parser's tree. The token table
 * is the version the root's xmlns names, else the public id's, else 1.1 (S60 reads an unknown id as 1.1); a token
 * that version lacks is looked up in AOSP's 1.3 superset, as AOSP does. Refused, never thrown past the caller:
 * truncated input, an index past the string table, an entity above U+10FFFF, bad UTF-8, PI and EXT tokens.
 */
export function decodeWbxml(bytes: Uint8Array): Decoded {
  const r = new Reader(bytes)
  const wbxmlVersion = r.byte('the WBXML version')
  if (wbxmlVersion < 0x01 || wbxmlVersion > 0x03) throw new WbxmlRefused(`WBXML version byte 0x${hex(wbxmlVersion)} is not 1.1–1.3`)
  const publicId = r.mbUint('the public id')
  if (publicId === 0) r.mbUint('the public id string index') // a public id given as a string: read as unknown
  const charset = r.mbUint('the charset')
  if (charset !== UTF8) throw new WbxmlRefused(`charset ${charset} is not UTF-8 (106)`)
  const tableLength = r.mbUint('the string table length')
  const strings = r.take(tableLength, 'the string table')
  const publicIdVersion = BY_PUBLIC_ID.get(publicId)
  const body = new Body(r, strings, publicIdVersion)
  const root = body.parse()
  return { root, publicIdVersion, version: body.version }
}

class Body {
  #table: TokenTable = supersetTable()
  version: Version = '1.1'
  #page = 0
  #count = 0
  constructor(private readonly r: Reader, private readonly strings: Uint8Array, private readonly publicIdVersion: Version | undefined) {}

  parse(): El {
    const stack: El[] = []
    let root: El | undefined
    for (;;) {
      if (root && stack.length === 0) {
        if (!this.r.done) throw new WbxmlRefused('data after the end of the document')
        return root
      }
      const t = this.r.byte(root ? 'an END' : 'the root element')
      const top = stack[stack.length - 1]
      if (t === 0x00) this.#page = this.r.byte('a code page')
      else if (t === 0x01) {
        if (!top) throw new WbxmlRefused('an END outside any element')
        stack.pop()
      } else if (t === 0x02) this.#text(top, this.#entity())
      else if (t === 0x03) this.#text(top, this.#decode(this.r.cstring('an inline string')))
      else if (t === 0x83) this.#text(top, this.#stringAt(this.r.mbUint('a string table index')))
      else if (t === 0x80) this.#text(top, this.#value(this.r.mbUint('a value token')))
      else if (t === 0xc3) this.#text(top, this.#opaque(top, this.r.take(this.r.mbUint('an OPAQUE length'), 'OPAQUE data')))
      else if (UNUSED.has(t)) {
        throw new WbxmlRefused(`token 0x${hex(t)} (PI or extension) is not used by WV-CSP`)
      } else {
        if (root && !top) throw new WbxmlRefused('a second root element')
        const el = this.#element(t, top)
        if (top) top.children.push(el)
        else root = el
        if (t & 0x40) {
          if (stack.length >= MAX_DEPTH) throw new WbxmlRefused(`elements nested deeper than ${MAX_DEPTH}`)
          stack.push(el)
        }
      }
    }
  }

  #element(t: number, parent: El | undefined): El {
    if (++this.#count > MAX_ELEMENTS) throw new WbxmlRefused(`more than ${MAX_ELEMENTS} elements`)
    const id = t & 0x3f
    let name: string
    if (id === 0x04) name = this.#stringAt(this.r.mbUint('a literal tag index'))
    else {
      const code = (this.#page << 8) | id
      const found = this.#table.tags.get(code) ?? supersetTable().tags.get(code)
      if (!found) throw new WbxmlRefused(`unknown tag 0x${hex(id)} on code page ${this.#page}`)
      name = found
    }
    const el: El = { name, ns: parent?.ns ?? '', children: [], text: '' }
    if (t & 0x80) {
      const xmlns = this.#attributes()
      if (xmlns !== undefined) el.ns = xmlns
    }
    if (!parent) this.#chooseTable(el)
    return el
  }

  /** reads an attribute list; only xmlns matters to WV-CSP, the rest is read and dropped */
  #attributes(): string | undefined {
    let xmlns: string | undefined
    let current: 'xmlns' | 'other' | undefined
    for (;;) {
      const t = this.r.byte('an attribute')
      if (t === 0x01) return xmlns
      if (t === 0x00) this.r.byte('an attribute code page')
      else if (t === 0x03 || t === 0x83 || t === 0x80 || t === 0x02 || t === 0xc3) {
        if (!current) throw new WbxmlRefused('an attribute value without an attribute')
        const part = t === 0x03 ? this.#decode(this.r.cstring('an attribute value'))
          : t === 0x83 ? this.#stringAt(this.r.mbUint('a string table index'))
            : t === 0x80 ? this.#value(this.r.mbUint('a value token'))
              : t === 0x02 ? this.#entity() : (this.r.take(this.r.mbUint('an OPAQUE length'), 'OPAQUE data'), '')
        if (current === 'xmlns') xmlns += part
      } else if (t === 0x04) {
        current = this.#stringAt(this.r.mbUint('a literal attribute index')) === 'xmlns' ? 'xmlns' : 'other'
        if (current === 'xmlns') xmlns = ''
      } else if (t < 0x80 && XMLNS_TOKENS[t] !== undefined) {
        current = 'xmlns'
        xmlns = XMLNS_TOKENS[t]
      } else throw new WbxmlRefused(`unknown attribute token 0x${hex(t)}`)
    }
  }

  /** the root's xmlns names the version (sendmsgreq1: id 0x10, xmlns 1.2); without one, the public id; else 1.1 */
  #chooseTable(root: El): void {
    const named = root.ns ? versionOf(root.ns) : undefined
    this.version = named ?? this.publicIdVersion ?? '1.1'
    this.#table = tableOf(this.version)
  }

  #text(top: El | undefined, s: string): void {
    if (!top) throw new WbxmlRefused('text outside the root element')
    top.text += s
  }

  #value(code: number): string {
    const v = this.#table.values.get(code) ?? supersetTable().values.get(code)
    if (v === undefined) throw new WbxmlRefused(`unknown value token 0x${hex(code)}`)
    return v
  }

  #entity(): string {
    const cp = this.r.mbUint('an entity')
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new WbxmlRefused(`entity ${cp} is not a Unicode character`)
    return String.fromCodePoint(cp)
  }

  /** OPAQUE: a DateTime's 6 packed bytes, an integer of 1–4 bytes, else UTF-8 text (ContentData is always text) */
  #opaque(top: El | undefined, data: Uint8Array): string {
    const name = top?.name
    if (name !== 'ContentData') {
      if (data.length === 6 && (name === 'DateTime' || name === 'DeliveryTime')) return packedDate(data)
      if (data.length >= 1 && data.length <= 4) return String(data.reduce((n, b) => n * 256 + b, 0))
    }
    return this.#decode(data)
  }

  #stringAt(index: number): string {
    if (index >= this.strings.length) throw new WbxmlRefused(`string table index ${index} is past its end (${this.strings.length} bytes)`)
    const end = this.strings.indexOf(0, index)
    if (end < 0) throw new WbxmlRefused('a string table entry is not terminated')
    return this.#decode(this.strings.subarray(index, end))
  }

  #decode(b: Uint8Array): string {
    try {
      return utf8.decode(b)
    } catch {
      throw new WbxmlRefused('a string is not valid UTF-8')
    }
  }
}

/** 2 reserved bits, year 12, month 4, day 5, hour 5, minute 6, second 6, then the zone character (WV-CSP WBXML) */
function packedDate(d: Uint8Array): string {
  const n = (d[0] * 2 ** 32) + ((d[1] << 24) >>> 0) + (d[2] << 16) + (d[3] << 8) + d[4]
  const bits = (from: number, width: number) => Math.floor(n / 2 ** (40 - from - width)) % 2 ** width
  const p = (v: number, w = 2) => String(v).padStart(w, '0')
  const zone = d[5] >= 0x41 && d[5] <= 0x5a ? String.fromCharCode(d[5]) : ''
  return `${p(bits(2, 12), 4)}${p(bits(14, 4))}${p(bits(18, 5))}T${p(bits(23, 5))}${p(bits(28, 6))}${p(bits(34, 6))}${zone}`
}

class Reader {
  #at = 0
  constructor(private readonly b: Uint8Array) {}

  get done(): boolean {
    return this.#at >= this.b.length
  }

  byte(what: string): number {
    if (this.#at >= this.b.length) throw new WbxmlRefused(`the body ends where ${what} should be (byte ${this.#at})`)
    return this.b[this.#at++]
  }

  /** a multi-byte unsigned integer: at most 5 bytes and 32 bits */
  mbUint(what: string): number {
    let n = 0
    for (let i = 0; i < 5; i++) {
      const b = this.byte(what)
      n = n * 128 + (b & 0x7f)
      if (!(b & 0x80)) {
        if (n > 0xffffffff) break
        return n
      }
    }
    throw new WbxmlRefused(`${what} is not a valid multi-byte integer`)
  }

  take(n: number, what: string): Uint8Array {
    if (n > this.b.length - this.#at) throw new WbxmlRefused(`${what} (${n} bytes) runs past the end of the body`)
    const out = this.b.subarray(this.#at, this.#at + n)
    this.#at += n
    return out
  }

  cstring(what: string): Uint8Array {
    const end = this.b.indexOf(0, this.#at)
    if (end < 0) throw new WbxmlRefused(`${what} is not terminated`)
    const out = this.b.subarray(this.#at, end)
    this.#at = end + 1
    return out
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0')
}
