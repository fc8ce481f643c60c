/**
 * A tiny STCP CIR client, as a phone holds one: connect, `HELO <SessionID>`, read lines (`OK`, `WVCI …`), `PING`.
 * The tests, the bench and `npm run wv -- cir` use it.
 */
import { connect, type Socket } from 'node:net'

export class CirClient {
  readonly lines: string[] = []
  #waiting: Array<(line: string) => void> = []
  #buffer = ''
  closed = false
  /** when each line arrived (performance.now()), for the bench */
  readonly arrivals: number[] = []

  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      this.#buffer += chunk
      let nl: number
      while ((nl = this.#buffer.indexOf('\n')) >= 0) {
        const line = this.#buffer.slice(0, nl).replace(/\r$/, '')
        this.#buffer = this.#buffer.slice(nl + 1)
        const w = this.#waiting.shift()
        if (w) w(line)
        else this.lines.push(line)
        this.arrivals.push(performance.now())
      }
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      this.closed = true
      for (const w of this.#waiting.splice(0)) w('')
    })
  }

  static connect(host: string, port: number): Promise<CirClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port }, () => resolve(new CirClient(s)))
      s.once('error', reject)
    })
  }

  write(line: string): void {
    this.socket.write(line)
  }

  /** the next line ('' once the server closed the connection); rejects after timeoutMs */
  next(timeoutMs = 2000): Promise<string> {
    const ready = this.lines.shift()
    if (ready !== undefined) return Promise.resolve(ready)
    if (this.closed) return Promise.resolve('')
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = this.#waiting.filter((w) => w !== done)
        reject(new Error(`no CIR line within ${timeoutMs} ms`))
      }, timeoutMs)
      const done = (line: string) => {
        clearTimeout(timer)
        resolve(line)
      }
      this.#waiting.push(done)
    })
  }

  /** HELO, and the server's answer (OK, or '' when it closed the connection) */
  async hello(sessionId: string): Promise<string> {
    this.write(`HELO ${sessionId}\r\n`)
    return this.next()
  }

  async ping(): Promise<string> {
    this.write('PING\r\n')
    return this.next()
  }

  /** resolves once the server has closed the connection */
  ended(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise((resolve) => this.socket.once('close', () => resolve()))
  }

  close(): void {
    this.socket.destroy()
  }
}
