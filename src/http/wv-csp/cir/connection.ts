import type { Socket } from 'node:net'
import type { Core } from '../../../core/context.js'
import type { WvSession, WvSessions } from '../sessions.js'

/** a line longer than this is refused: HELO with a SessionID is well under it */
const MAX_LINE = 1024
/** a bound phone PINGs every 15–20 min; the socket may stay quiet a little longer than its time-to-live */
const GRACE_MS = 60_000

/**
 * One STCP CIR connection: `HELO <SessionID>` binds it (an unknown session closes it), `OK` answers HELO and PING,
 * and `WVCI <version> <SessionCookie>` goes out in one write when something waits. While bound and alive it holds
 * its session like an event stream; silent past the session's time-to-live, it is closed and the hold released.
 * Anything else (an unknown command, a line over 1 KB, binary) closes it: the port is reachable from the LAN.
 */
export class CirConnection {
  #buffer = ''
  #bound: { wv: WvSession; release: (lastHeard?: number) => void; waker: () => void } | undefined
  #lastSeen: number

  constructor(private readonly core: Core, private readonly sessions: WvSessions, private readonly socket: Socket, helloMs: number) {
    this.#lastSeen = core.clock.now()
    socket.setNoDelay(true)
    socket.setEncoding('latin1')
    socket.setTimeout(helloMs)
    socket.on('timeout', () => this.#drop('idle'))
    socket.on('data', (chunk: string) => this.#data(chunk))
    socket.on('error', () => socket.destroy())
    socket.once('close', () => this.#unbind())
  }

  close(): void {
    this.socket.end()
    this.socket.destroySoon()
  }

  /** the clock-driven check (sweep): a bound phone that stopped PINGing no longer holds its session */
  expireIfSilent(): void {
    const b = this.#bound
    if (!b || this.core.clock.now() - this.#lastSeen <= b.wv.session.ttlSeconds * 1000) return
    // a channel found dead says the phone was last heard at its last PING: the session is judged from then
    this.#drop('no PING within the time-to-live', this.#lastSeen)
  }

  #data(chunk: string): void {
    this.#buffer += chunk
    let nl: number
    while ((nl = this.#buffer.indexOf('\n')) >= 0) {
      const line = this.#buffer.slice(0, nl).replace(/\r$/, '')
      this.#buffer = this.#buffer.slice(nl + 1)
      if (line.length > MAX_LINE) return this.#drop('a line longer than 1 KB')
      if (!this.#line(line)) return
    }
    if (this.#buffer.length > MAX_LINE) this.#drop('a line longer than 1 KB')
  }

  /** false when the connection was closed */
  #line(line: string): boolean {
    const m = /^(HELO|PING)(?: (\S{1,512}))?\s*$/.exec(line)
    if (!m) return this.#drop('not a CIR line'), false
    this.#lastSeen = this.core.clock.now()
    if (m[1] === 'PING') {
      this.socket.write('OK\r\n')
      return true
    }
    const wv = m[2] ? this.sessions.find(m[2]) : undefined
    if (!wv) return this.#drop('HELO names no live session'), false
    this.#unbind()
    const waker = () => this.#wake(wv)
    const release = this.core.hub.attach(wv.session, { deliver: () => {}, close: () => this.close() }, { holdsSession: true })
    wv.wakers.add(waker)
    this.#bound = { wv, release, waker }
    this.socket.setTimeout(wv.session.ttlSeconds * 1000 + GRACE_MS)
    this.socket.write('OK\r\n')
    this.core.log('cir', 'bound', { session: wv.session.id })
    if (this.sessions.waiting(wv)) waker()
    return true
  }

  /** one TCP write per line: S60 prefix-matches each buffer, and ignores a WVCI without its SessionCookie */
  #wake(wv: WvSession): void {
    if (!this.socket.writable) return
    this.socket.write(wv.cookie ? `WVCI ${wv.version} ${wv.cookie}\r\n` : `WVCI ${wv.version}\r\n`)
  }

  #unbind(lastHeard?: number): void {
    const b = this.#bound
    if (!b) return
    this.#bound = undefined
    b.wv.wakers.delete(b.waker)
    b.release(lastHeard)
  }

  #drop(reason: string, lastHeard?: number): void {
    this.core.log('cir', 'closed', { reason, address: this.socket.remoteAddress, session: this.#bound?.wv.session.id })
    this.#unbind(lastHeard)
    this.socket.destroy()
  }
}
