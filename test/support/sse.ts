import { SseFrames } from '../../scripts/bench/sse-frames.js'

/** A test client's view of the event stream: parsed events, awaited one at a time. */
export interface SseEvent {
  event: string
  data: any
}

export class EventStream {
  readonly events: SseEvent[] = []
  #waiters: Array<() => void> = []
  #read = 0
  #controller = new AbortController()
  closed = false
  status = 0

  static async open(url: string, token: string): Promise<EventStream> {
    const s = new EventStream()
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: s.#controller.signal })
    s.status = res.status
    if (!res.ok || !res.body) {
      s.closed = true
      s.events.push({ event: 'http-error', data: await res.json() })
      return s
    }
    s.#pump(res.body).catch(() => {})
    return s
  }

  async #pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder()
    const frames = new SseFrames()
    try {
      for await (const chunk of body) {
        for (const e of frames.push(decoder.decode(chunk, { stream: true }))) {
          this.events.push(e)
          this.#wake()
        }
      }
    } finally {
      this.closed = true
      this.#wake()
    }
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w()
  }

  /** the next event not yet taken (waits for it; fails after `ms` of real time so a broken server cannot hang the suite) */
  async next(ms = 5000): Promise<SseEvent> {
    const deadline = Date.now() + ms
    while (this.#read >= this.events.length) {
      if (this.closed) throw new Error('the stream closed before the next event')
      if (Date.now() > deadline) throw new Error('no event arrived')
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()))
        this.#waiters.push(() => {
          clearTimeout(t)
          resolve()
        })
      })
    }
    return this.events[this.#read++]
  }

  /** the next event of a kind, skipping others (keep-alives, someone else's presence) */
  async nextOf(event: string, ms = 10_000): Promise<SseEvent> {
    const deadline = Date.now() + ms
    for (;;) {
      const e = await this.next(Math.max(1, deadline - Date.now()))
      if (e.event === event) return e
    }
  }

  async take(n: number): Promise<SseEvent[]> {
    const out: SseEvent[] = []
    for (let i = 0; i < n; i++) out.push(await this.next())
    return out
  }

  /** events already arrived and not yet taken */
  pending(): SseEvent[] {
    return this.events.slice(this.#read)
  }

  /** waits until the stream has closed */
  async ended(ms = 5000): Promise<void> {
    const deadline = Date.now() + ms
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('the stream did not close')
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50)
        this.#waiters.push(() => {
          clearTimeout(t)
          resolve()
        })
      })
    }
  }

  close(): void {
    this.#controller.abort()
  }
}
