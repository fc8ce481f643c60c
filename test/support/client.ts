import { EventStream } from './sse.js'

export interface Answer {
  status: number
  body: any
  headers: Headers
}

/** A protocol client, as an app would be: JSON over HTTP with a bearer token. */
export class Client {
  token: string | undefined
  streams: EventStream[] = []
  constructor(readonly base: string, readonly userId: string, readonly password = `${userId}-password`) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(this.base + '/api/v1' + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await res.text()
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = text
    }
    return { status: res.status, body: parsed, headers: res.headers }
  }

  post(path: string, body?: unknown) {
    return this.call('POST', path, body)
  }

  get(path: string) {
    return this.call('GET', path)
  }

  async login(extra: Record<string, unknown> = {}): Promise<Answer> {
    const a = await this.post('/login', { userId: this.userId, password: this.password, ...extra })
    if (a.body?.token) this.token = a.body.token
    return a
  }

  async loginWith(deliveryMethod: 'push' | 'notify' | 'pull', extra: Record<string, unknown> = {}): Promise<Answer> {
    return this.login({ capabilities: { deliveryMethod }, ...extra })
  }

  send(to: string | string[], body: string, extra: Record<string, unknown> = {}) {
    return this.post('/messages', { to: Array.isArray(to) ? to : [to], body, ...extra })
  }

  /** puts someone in this user's default contact list (so that they may see this user's presence) */
  addContact(userId: string, nickname?: string) {
    return this.post('/contacts/lists/default', { add: [{ userId, nickname }] })
  }

  async openStream(): Promise<EventStream> {
    const s = await EventStream.open(this.base + '/api/v1/events', this.token!)
    this.streams.push(s)
    return s
  }

  closeStreams(): void {
    for (const s of this.streams) s.close()
    this.streams = []
  }
}
