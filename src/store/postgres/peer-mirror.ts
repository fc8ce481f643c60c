import type { PeerSession } from '../../core/peers.js'

/** a session as another node sees it, with the monotonic moment its record runs out */
export interface Mirrored extends PeerSession {
  until: number
}

/**
 * What this node knows of the sessions other nodes hold, in memory, so that "is bob online?" is answered
 * without a round trip. Each session carries the moment its row runs out (its time-to-live, or its node's
 * last renewal): past it, the session reads as gone at once, before any re-read says so. Users whose sessions
 * there are gone keep the time they were last seen there.
 */
export class PeerMirror {
  #byUser = new Map<string, Mirrored[]>()
  /** users online elsewhere at the last look, to tell who came or went */
  readonly #onlineElsewhere = new Set<string>()
  /** when users whose sessions elsewhere are gone were last seen there (bounded) */
  readonly #gone = new Map<string, number>()

  ofUser(userId: string): PeerSession[] {
    const now = performance.now()
    return (this.#byUser.get(userId) ?? []).filter((s) => s.until > now)
  }

  all(): PeerSession[] {
    return [...this.#byUser.keys()].flatMap((u) => this.ofUser(u))
  }

  lastSeen(userId: string): number | undefined {
    return this.#gone.get(userId)
  }

  /**
   * Takes in what was just read of the other nodes' sessions, of some users or of everyone (`now`: this node's
   * clock). Returns who came online or went offline elsewhere since the last look.
   */
  update(sessions: Mirrored[], now: number, users?: string[]): string[] {
    const fresh = new Map<string, Mirrored[]>()
    for (const s of sessions) fresh.set(s.userId, [...(fresh.get(s.userId) ?? []), s])
    this.#noteGone(fresh, now, users)
    if (users) {
      for (const u of users) {
        if (fresh.has(u)) this.#byUser.set(u, fresh.get(u)!)
        else this.#byUser.delete(u)
      }
    } else this.#byUser = fresh
    return this.#whoChanged(users)
  }

  /** remembers when sessions that vanished since the last look were last seen: now, if something held them */
  #noteGone(fresh: Map<string, Mirrored[]>, now: number, users?: string[]): void {
    for (const u of users ?? [...this.#byUser.keys()]) {
      const still = new Set((fresh.get(u) ?? []).map((s) => s.id))
      for (const s of this.#byUser.get(u) ?? []) {
        if (still.has(s.id)) continue
        this.#gone.set(u, Math.max(this.#gone.get(u) ?? 0, s.held ? now : s.lastSeen))
      }
    }
    if (this.#gone.size > 100_000) this.#gone.delete(this.#gone.keys().next().value!)
  }

  /** users whose being online elsewhere differs from the last look (among `users`, or everyone) */
  #whoChanged(users?: string[]): string[] {
    const candidates = new Set(users ?? [...this.#onlineElsewhere, ...this.#byUser.keys()])
    const changed: string[] = []
    for (const u of candidates) {
      const online = this.ofUser(u).length > 0
      if (online !== this.#onlineElsewhere.has(u)) changed.push(u)
      if (online) this.#onlineElsewhere.add(u)
      else this.#onlineElsewhere.delete(u)
    }
    return changed
  }
}
