/** one of this node's sessions that ended here, as far as its row in the database goes */
interface Ended {
  userId: string
  /** 200 logout or 601 forced out: ended on every node; undefined: timed out here only */
  endedWith: number | undefined
  /** the heartbeat count when its row's delete reached the database */
  settledAt?: number
  /** the delete failed: the next heartbeat asks again */
  failed?: boolean
}

/**
 * The sessions of this node that ended, until their rows are surely gone. A heartbeat renews the sessions it
 * read a moment before; one that ended meanwhile (a logout between the read and the write) must not be brought
 * back, and a delete that failed must be asked again, everywhere if the session ended for good.
 */
export class EndedSessions {
  readonly #ended = new Map<string, Ended>()
  #beats = 0

  ended(id: string, userId: string, endedWith: number | undefined): void {
    this.#ended.set(id, { userId, endedWith })
  }

  settled(id: string): void {
    const e = this.#ended.get(id)
    if (e) Object.assign(e, { settledAt: this.#beats, failed: false })
  }

  failed(id: string): void {
    const e = this.#ended.get(id)
    if (e) e.failed = true
  }

  /** the session lives on this node again (taken up anew): its row is wanted */
  revived(id: string): void {
    this.#ended.delete(id)
  }

  /** a heartbeat begins: its number, and the sessions whose rows it must neither renew nor keep */
  beat(): { beat: number; ids: string[] } {
    return { beat: ++this.#beats, ids: [...this.#ended.keys()] }
  }

  /** heartbeat `beat` went through: rows deleted before it began are gone for good; returns the deletes to ask again */
  after(beat: number): Array<{ id: string; userId: string; endedWith: number | undefined }> {
    const again = []
    for (const [id, e] of this.#ended) {
      if (e.settledAt !== undefined && e.settledAt < beat) this.#ended.delete(id)
      else if (e.failed) again.push({ id, userId: e.userId, endedWith: e.endedWith })
    }
    return again
  }
}
