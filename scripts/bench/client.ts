import http from 'node:http'
import type { BenchServer } from './server.js'

export interface Answer {
  status: number
  body: any
}

/**
 * One protocol client over its own keep-alive connection(s) (node:http, no dependency): what a phone app
 * with a persistent connection does. `connections` > 1 lets it have that many requests in flight.
 */
export class BenchClient {
  readonly agent: http.Agent
  token: string | undefined

  constructor(readonly server: BenchServer, readonly userId: string, readonly password = `${userId}-password`, connections = 1) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections })
  }

  call(method: string, path: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const headers: Record<string, string | number> = {}
    if (payload !== undefined) {
      headers['content-type'] = 'application/json'
      headers['content-length'] = Buffer.byteLength(payload)
    }
    if (this.token) headers.authorization = `Bearer ${this.token}`
    return new Promise((resolve, reject) => {
      const req = http.request(
        { agent: this.agent, host: this.server.host, port: this.server.port, method, path: '/api/v1' + path, headers },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            let parsed: unknown = text
            try {
              parsed = JSON.parse(text)
            } catch {}
            resolve({ status: res.statusCode ?? 0, body: parsed })
          })
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end(payload)
    })
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
    this.agent.destroy()
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
          let buf = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => {
            const at = performance.now()
            buf += chunk
            let end: number
            while ((end = buf.indexOf('\n\n')) >= 0) {
              const block = buf.slice(0, end)
              buf = buf.slice(end + 2)
              const event = /^event: (.*)$/m.exec(block)?.[1]
              const data = /^data: (.*)$/m.exec(block)?.[1]
              if (event && data !== undefined) onEvent(event, JSON.parse(data), at)
            }
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
