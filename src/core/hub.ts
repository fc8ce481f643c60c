import type { Result } from './codes.js'
import type { Session, SessionTable } from './sessions.js'
import type { StoredMessage, StoredReport } from './types.js'

/** What the hub sends down an event stream; the HTTP layer renders it. */
export type ServerEvent =
  | { event: 'message'; message: StoredMessage }
  | { event: 'notification'; messages: StoredMessage[] }
  | { event: 'report'; report: StoredReport }
  | { event: 'session'; result: Result }

export interface Sink {
  send(e: ServerEvent): void
  close(): void
  /** a promise while the stream cannot take more (a long backlog is written at the pace the client reads) */
  ready?(): Promise<void> | undefined
}

/** Who is connected: the open event streams of each session. */
export class Hub {
  readonly #sinks = new Map<Session, Set<Sink>>()

  constructor(private readonly sessions: SessionTable) {}

  /** registers a stream; the returned function unregisters it */
  attach(session: Session, sink: Sink): () => void {
    let set = this.#sinks.get(session)
    if (!set) this.#sinks.set(session, (set = new Set()))
    set.add(sink)
    session.streams++
    let attached = true
    return () => {
      if (!attached) return
      attached = false
      set.delete(sink)
      if (set.size === 0) this.#sinks.delete(session)
      session.streams--
      // the time-to-live counts from the moment the last stream went away
      this.sessions.touch(session)
    }
  }

  /** the user's live sessions that have at least one open stream */
  connectedSessions(userId: string): Session[] {
    return this.sessions.ofUser(userId).filter((s) => this.#sinks.has(s))
  }

  emit(session: Session, e: ServerEvent): void {
    for (const sink of this.#sinks.get(session) ?? []) sink.send(e)
  }

  /** tells a session's streams why it ended, then closes them */
  closeSession(session: Session, result: Result): void {
    for (const sink of [...(this.#sinks.get(session) ?? [])]) {
      sink.send({ event: 'session', result })
      sink.close()
    }
  }

  closeAll(result: Result): void {
    for (const session of [...this.#sinks.keys()]) this.closeSession(session, result)
  }

  streamCount(): number {
    let n = 0
    for (const set of this.#sinks.values()) n += set.size
    return n
  }
}
