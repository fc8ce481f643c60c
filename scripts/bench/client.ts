import http from 'node:http'
import net from 'node:net'
import type { BenchServer } from './server.js'
import { SseFrames } from './sse-frames.js'

export interface Answer {
  status: number
  body: any
  /** the body's bytes (WBXML answers) */
  raw?: Buffer
}

/**
 * One HTTP/1.1 keep-alive connection with one request in flight, speaking just enough HTTP for this server's
 * answers (Content-Length bodies). node:http costs the load generator ~100 µs of CPU a request — as much as
 * the server spends — on a 2-core machine where both compete; this costs a fraction of that.
 */
/** Node's server closes a keep-alive connection after 5 s idle */
const IDLE_REPLACE_MS = 4000

class Connection {
  #socket: net.Socket | undefined
  #buf: Buffer = Buffer.alloc(0)
  #waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void } | undefined
  #lastUsed = 0

  constructor(readonly host: string, readonly port: number) {}

  request(head: string, payload: Buffer | undefined): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject }
      const socket = this.#connect()
      socket.write(payload ? Buffer.concat([Buffer.from(head), payload]) : head)
    })
  }

  close(): void {
    this.#socket?.destroy()
    this.#socket = undefined
  }

  #connect(): net.Socket {
    // a keep-alive connection the server ended while idle (its 5 s timeout) is replaced, not written to; one idle
    // for nearly that long is replaced too, or the request could cross the server's close on the wire
    const idleMs = performance.now() - this.#lastUsed
    this.#lastUsed = performance.now()
    if (this.#socket && idleMs > IDLE_REPLACE_MS) this.close()
    if (this.#socket && !this.#socket.destroyed && this.#socket.writable) return this.#socket
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true })
    this.#buf = Buffer.alloc(0)
    socket.on('data', (chunk: Buffer) => {
      this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk
      this.#parse()
    })
    const fail = (err?: Error) => {
      if (this.#socket !== socket) return // a socket closed or replaced here: any request went on a new one
      this.#socket = undefined
      const w = this.#waiting
      this.#waiting = undefined
      w?.reject(err ?? new Error('connection closed'))
    }
    socket.on('error', fail)
    socket.on('close', () => fail())
    this.#socket = socket
    return socket
  }

  #parse(): void {
    const end = this.#buf.indexOf('\r\n\r\n')
    if (end < 0) return
    const head = this.#buf.toString('latin1', 0, end)
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0)
    if (this.#buf.length < end + 4 + length) return
    const text = this.#buf.toString('utf8', end + 4, end + 4 + length)
    const raw = this.#buf.subarray(end + 4, end + 4 + length)
    this.#buf = this.#buf.subarray(end + 4 + length)
    let body: unknown = text
    if (text.startsWith('{')) {
      try {
        body = JSON.parse(text)
      } catch {}
    }
    if (/\r\nconnection: *close/i.test(head)) this.close()
    const w = this.#waiting
    this.#waiting = undefined
    w?.resolve({ status: Number(head.slice(9, 12)), body, raw })
  }
}

/**
 * One protocol client over its own keep-alive connection(s): what a phone app with a persistent connection
 * does. `connections` > 1 lets it have that many requests in flight (further calls queue).
 */
export class BenchClient {
  readonly #idle: Connection[] = []
  readonly #all: Connection[] = []
  readonly #queue: Array<() => void> = []
  token: string | undefined

  constructor(readonly server: BenchServer, readonly userId: string, readonly password = `${userId}-password`, readonly connections = 1) {}

  async call(method: string, path: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
    let head = `${method} /api/v1${path} HTTP/1.1\r\nHost: ${this.server.host}:${this.server.port}\r\n`
    if (payload) head += `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\n`
    else if (method !== 'GET') head += 'Content-Length: 0\r\n'
    if (this.token) head += `Authorization: Bearer ${this.token}\r\n`
    head += '\r\n'
    return this.#exchange(head, payload)
  }

  /** a POST of any body outside the JSON API (WV-CSP XML or WBXML to /imps); the answer's body is its text */
  post(path: string, contentType: string, text: string | Uint8Array): Promise<Answer> {
    const payload = Buffer.from(text)
    const head = `POST ${path} HTTP/1.1\r\nHost: ${this.server.host}:${this.server.port}\r\nContent-Type: ${contentType}\r\nContent-Length: ${payload.length}\r\n\r\n`
    return this.#exchange(head, payload)
  }

  async #exchange(head: string, payload: Buffer | undefined): Promise<Answer> {
    const conn = await this.#acquire()
    try {
      return await conn.request(head, payload)
    } finally {
      this.#release(conn)
    }
  }

  #acquire(): Promise<Connection> {
    const idle = this.#idle.pop()
    if (idle) return Promise.resolve(idle)
    if (this.#all.length < this.connections) {
      const c = new Connection(this.server.host, this.server.port)
      this.#all.push(c)
      return Promise.resolve(c)
    }
    return new Promise((resolve) => this.#queue.push(() => resolve(this.#idle.pop()!)))
  }

  #release(conn: Connection): void {
    this.#idle.push(conn)
    this.#queue.shift()?.()
  }

  async register(): Promise<void> {
    const a = await this.call('POST', '/users', { userId: this.userId, password: this.password })
    if (a.body?.result?.code !== 200) throw new Error(`registering ${this.userId}: ${JSON.stringify(a.body)}`)
  }

  async login(deliveryMethod: 'push' | 'notify' | 'pull' = 'push'): Promise<Answer> {
    const a = await this.call('POST', '/login', { userId: this.userId, password: this.password, capabilities: { deliveryMethod } })
    if (!a.body?.token) throw new Error(`login of ${this.userId}: ${JSON.stringify(a.body)}`)
    this.token = a.body.token
    return a
  }

  send(to: string, body: string): Promise<Answer> {
    return this.call('POST', '/messages', { to: [to], body })
  }

  /** opens the event stream; `onEvent` gets each event with the moment its bytes arrived */
  openStream(onEvent: (event: string, data: any, at: number) => void): Promise<EventStream> {
    return EventStream.open(this, onEvent)
  }

  close(): void {
    for (const c of this.#all) c.close()
  }
}

export class EventStream {
  private constructor(private readonly req: http.ClientRequest) {}

  static open(client: BenchClient, onEvent: (event: string, data: any, at: number) => void): Promise<EventStream> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: client.server.host, port: client.server.port, method: 'GET', path: '/api/v1/events',
          headers: { authorization: `Bearer ${client.token}`, accept: 'text/event-stream' },
        },
        (res) => {
          if (res.statusCode !== 200) return reject(new Error(`events: HTTP ${res.statusCode}`))
          const frames = new SseFrames()
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => {
            const at = performance.now()
            for (const e of frames.push(chunk)) onEvent(e.event, e.data, at)
          })
          res.on('error', () => {})
          resolve(stream)
        },
      )
      const stream = new EventStream(req)
      req.on('error', (err) => reject(err))
      req.end()
    })
  }

  close(): void {
    this.req.destroy()
  }
}

/** runs `fn` over items with at most `limit` at a time */
export async function pool<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      await fn(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

export function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
}

export function median(values: number[]): number {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (!s.length) return NaN
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}
