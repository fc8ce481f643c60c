import type pg from 'pg'
import { reason, withTimeout } from './db.js'

export interface ListenerOptions {
  url: string
  channel: string
  /** shown in pg_stat_activity, so that an admin (or a test) can tell this connection apart */
  applicationName: string
  /** a NOTIFY on the channel */
  onHint(payload: string | undefined): void
  /** after every successful LISTEN, the first and each one after a loss: notifications sent meanwhile are lost */
  onListening(): void
  /** the connection was lost: hints sent from now until the next onListening are not heard */
  onLost?(): void
  log(event: string, fields: Record<string, unknown>): void
  /** the wait before the first retry after a loss, doubled up to `maxBackoffMs` */
  minBackoffMs?: number
  maxBackoffMs?: number
}

/**
 * One dedicated connection that LISTENs (a pooled connection would be handed back and stop hearing), and
 * reconnects with a growing pause whenever it is lost: the database restarted, an admin ended the backend, the
 * network dropped. It never throws: a node without its listener still serves, its sessions only hear late.
 */
export class NotifyListener {
  #client: pg.Client | undefined
  #closed = false
  #retry: NodeJS.Timeout | undefined
  #backoff: number
  /** takes the current connection as lost (set while it listens) */
  #lose: ((err: Error) => void) | undefined

  constructor(private readonly opts: ListenerOptions) {
    this.#backoff = opts.minBackoffMs ?? 100
  }

  start(): void {
    void this.#connect()
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#retry)
    const client = this.#client
    this.#client = undefined
    await client?.end().catch(() => {})
  }

  /**
   * Asks the database over the listening connection. One that gives no answer within `ms` is taken as lost and
   * replaced: a connection whose other end went away without a word (a stopped server, a NAT that forgot it)
   * would otherwise leave this node deaf until TCP's keep-alive probes give up, minutes later.
   */
  async check(ms: number): Promise<void> {
    const client = this.#client
    const lose = this.#lose
    if (!client || !lose) return
    try {
      await withTimeout(client.query('SELECT 1'), ms, `the listening connection gave no answer within ${ms} ms`)
    } catch (err) {
      if (this.#client === client) lose(err as Error)
    }
  }

  async #connect(): Promise<void> {
    if (this.#closed) return
    const { default: { Client } } = await import('pg')
    const client = new Client({
      connectionString: this.opts.url, application_name: this.opts.applicationName, connectionTimeoutMillis: 10_000,
      // a connection that died without a word (a cable pulled, a NAT that forgot it) is noticed by TCP
      // keep-alives, probed after 10 s of silence rather than the system's two hours
      keepAlive: true, keepAliveInitialDelayMillis: 10_000,
    })
    let lost = false
    const onLost = (err?: Error) => {
      if (lost) return
      lost = true
      if (this.#client === client) this.#client = undefined
      client.end().catch(() => {})
      if (this.#closed) return
      this.opts.log('listen_lost', { error: err ? reason(err) : 'the connection ended', retryMs: this.#backoff })
      this.opts.onLost?.()
      this.#retry = setTimeout(() => void this.#connect(), this.#backoff)
      this.#backoff = Math.min(this.#backoff * 2, this.opts.maxBackoffMs ?? 5_000)
    }
    client.on('error', onLost)
    client.on('end', () => onLost())
    client.on('notification', (n) => {
      if (n.channel !== this.opts.channel) return
      // a throw here would escape into the client's event emitter and end the process
      try {
        this.opts.onHint(n.payload)
      } catch (err) {
        this.opts.log('hint_failed', { error: reason(err) })
      }
    })
    try {
      await client.connect()
      // a database that takes the connection but never answers must not leave this node deaf for good
      await withTimeout(client.query(`LISTEN ${client.escapeIdentifier(this.opts.channel)}`), 10_000, 'LISTEN got no answer within 10 s')
    } catch (err) {
      onLost(err as Error)
      return
    }
    if (lost || this.#closed) return void client.end().catch(() => {})
    this.#client = client
    this.#lose = onLost
    this.#backoff = this.opts.minBackoffMs ?? 100
    this.opts.log('listening', { channel: this.opts.channel })
    this.opts.onListening()
  }
}
