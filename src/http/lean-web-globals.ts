/**
 * Keeps Node's bundled undici unloaded: a small `Headers`, and `Request`/`Response` that load the real ones
 * only when something needs one.
 *
 * Why: on Node 20 the first touch of `Headers`, `Request` or `Response` loads undici, the fetch engine,
 * with its WebAssembly HTTP parser: 12 MB of a server that idles at 41 MB. A server never calls fetch.
 * @hono/node-server already answers from light stand-ins (its own Request, headers read from Node's
 * message, a Response that keeps the body it was given), but it derives them from these globals when it
 * loads, and Hono builds every answer's headers with `new Headers()`. So this module must be evaluated
 * before @hono/node-server: every file that imports it imports this first.
 *
 * The real classes stay one step away: building a real Request or Response (a streamed body, a clone,
 * FormData) loads undici on the spot, and then the two kinds interoperate through their iterators.
 */
type Name = 'Headers' | 'Request' | 'Response'
type Class = (new (...args: unknown[]) => object) & { prototype: object }
const lazyGetters = new Map<Name, () => unknown>()
const real = new Map<Name, Class>()
const standIns = new Map<Name, Class>()

/** the real class; the first call loads undici and takes all three, leaving the globals as they are now */
function realClass(name: Name): Class {
  if (real.size === 0) {
    for (const [each, lazyGetter] of lazyGetters) {
      const current = Object.getOwnPropertyDescriptor(globalThis, each)!
      // Node's lazy getter replaces the global with the real class; put back what stood there.
      const cls = lazyGetter.call(globalThis) as Class
      Object.defineProperty(globalThis, each, current)
      real.set(each, cls)
      // Subclasses of a stand-in (@hono/node-server's Request) now inherit the real methods.
      const standIn = standIns.get(each)
      if (standIn) {
        Object.setPrototypeOf(standIn, cls)
        Object.setPrototypeOf(standIn.prototype, cls.prototype)
      }
    }
  }
  return real.get(name)!
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** CR, LF and NUL are refused by the standard; a character above U+00FF is no byte (undici refuses it too) */
const FORBIDDEN_VALUE = /[\0\r\n\u0100-\uffff]/

function headerName(name: unknown): string {
  const s = String(name)
  if (!TOKEN.test(s)) throw new TypeError(`Invalid header name: "${s}"`)
  return s.toLowerCase()
}

const isHttpWhitespace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d

/** the value with its leading and trailing tabs, spaces, CRs and LFs removed (a loop: a regex would backtrack) */
function headerValue(value: unknown): string {
  const raw = String(value)
  let start = 0
  let end = raw.length
  while (start < end && isHttpWhitespace(raw.charCodeAt(start))) start++
  while (end > start && isHttpWhitespace(raw.charCodeAt(end - 1))) end--
  const s = start === 0 && end === raw.length ? raw : raw.slice(start, end)
  if (FORBIDDEN_VALUE.test(s)) throw new TypeError(`Invalid header value: ${JSON.stringify(s.slice(0, 100))}`)
  return s
}

/** how repeated values of one header read as one: cookies with "; " (as undici and RFC 6265 do), others ", " */
const joined = (name: string, values: string[]) => values.join(name === 'cookie' ? '; ' : ', ')

type HeadersInit = Iterable<readonly [string, string]> | Record<string, string> | undefined | null

/** the Fetch standard's Headers: case-insensitive names, repeated values joined, set-cookie kept apart */
export class LeanHeaders {
  // name → values in the order appended
  #map = new Map<string, string[]>()

  constructor(init?: HeadersInit) {
    if (init == null) return
    if (typeof init !== 'object') throw new TypeError('Headers init must be an object or an iterable of pairs')
    if (Symbol.iterator in init) {
      for (const pair of init as Iterable<readonly [string, string]>) {
        if (pair.length !== 2) throw new TypeError('Each header pair must be a [name, value] pair')
        this.append(pair[0], pair[1])
      }
    } else {
      for (const key of Object.keys(init)) this.append(key, (init as Record<string, string>)[key])
    }
  }

  append(name: string, value: string): void {
    const key = headerName(name)
    const v = headerValue(value)
    const values = this.#map.get(key)
    if (values) values.push(v)
    else this.#map.set(key, [v])
  }

  set(name: string, value: string): void {
    this.#map.set(headerName(name), [headerValue(value)])
  }

  delete(name: string): void {
    this.#map.delete(headerName(name))
  }

  get(name: string): string | null {
    const key = headerName(name)
    const values = this.#map.get(key)
    return values ? joined(key, values) : null
  }

  has(name: string): boolean {
    return this.#map.has(headerName(name))
  }

  getSetCookie(): string[] {
    return [...(this.#map.get('set-cookie') ?? [])]
  }

  /** [name, value] pairs sorted by name; each set-cookie on its own, as the standard says */
  *entries(): IterableIterator<[string, string]> {
    for (const key of [...this.#map.keys()].sort()) {
      const values = this.#map.get(key)
      if (!values) continue
      if (key === 'set-cookie') for (const v of values) yield [key, v]
      else yield [key, joined(key, values)]
    }
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value
  }

  forEach(callback: (value: string, name: string, headers: LeanHeaders) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this)
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries()
  }

  get [Symbol.toStringTag](): string {
    return 'Headers'
  }

  // A real Headers is an instance too, so code that checks `instanceof Headers` takes either.
  static [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true
    const cls = real.get('Headers')
    return this === LeanHeaders && cls !== undefined && Function.prototype[Symbol.hasInstance].call(cls, value)
  }
}

/** a class whose instances are the real `name`, built (and undici loaded) only when one is asked for */
function deferredClass(name: 'Request' | 'Response'): Class {
  const Deferred = function (...args: unknown[]): object {
    if (new.target === undefined) throw new TypeError(`Class constructor ${name} cannot be invoked without 'new'`)
    const cls = realClass(name)
    return Reflect.construct(cls, args, (new.target as unknown) === Deferred ? cls : new.target)
  } as unknown as Class
  standIns.set(name, Deferred)
  Object.defineProperty(Deferred, 'name', { value: name })
  Object.defineProperty(Deferred, Symbol.hasInstance, {
    value(this: Class, value: unknown): boolean {
      if (Function.prototype[Symbol.hasInstance].call(this, value)) return true
      const cls = real.get(name)
      return this === Deferred && cls !== undefined && Function.prototype[Symbol.hasInstance].call(cls, value)
    },
  })
  for (const method of name === 'Response' ? ['error', 'json', 'redirect'] : []) {
    Object.defineProperty(Deferred, method, {
      value: (...args: unknown[]) => (realClass(name) as unknown as Record<string, (...a: unknown[]) => object>)[method](...args),
      writable: true,
      configurable: true,
    })
  }
  return Deferred
}

function install(): void {
  const names: Name[] = ['Headers', 'Request', 'Response']
  const descriptors = names.map((name) => Object.getOwnPropertyDescriptor(globalThis, name))
  // Only while all three are still Node's untouched lazy getters; otherwise undici is in and nothing is saved.
  if (!descriptors.every((d) => d?.get !== undefined)) return
  names.forEach((name, i) => lazyGetters.set(name, descriptors[i]!.get!))
  const lean = { Headers: LeanHeaders, Request: deferredClass('Request'), Response: deferredClass('Response') }
  for (const name of names) {
    Object.defineProperty(globalThis, name, { value: lean[name], writable: true, configurable: true, enumerable: false })
  }
}

install()

/** whether the stand-ins are in place (they are not if something touched the globals before this module) */
export const leanGlobalsInstalled = (): boolean => globalThis.Headers === (LeanHeaders as unknown)

/** whether undici has been loaded through these globals */
export const undiciLoaded = (): boolean => real.size > 0
