/**
 * Group commit in the node: calls made in the same tick, or while earlier ones are in flight, go to the
 * database together, as one statement in one round trip. Alone, a call goes at the end of its tick (no timer, no
 * added latency); under load, each round trip and each commit serves every call that queued meanwhile. A send's commit waits for the
 * disk, and commits that NOTIFY are serialised by PostgreSQL: one per send capped the nodes near the disk's
 * flushes per second (~1,200 here), one per batch does not.
 */
export class Batcher<I, O> {
  readonly #queue: Array<{ item: I; resolve: (o: O) => void; reject: (err: unknown) => void }> = []
  #inFlight = 0
  #scheduled = false

  /**
   * `run` answers each item of a batch, in order, as settled results (one item's failure need not fail the
   * others); at most `maxInFlight` batches of at most `maxItems` run at once.
   */
  constructor(
    readonly run: (items: I[]) => Promise<Array<PromiseSettledResult<O>>>,
    readonly maxInFlight = 1,
    readonly maxItems = 256,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject })
      if (this.#scheduled) return
      this.#scheduled = true
      // the calls of one Promise.all (a sender and recipients looked up together) join the same batch
      queueMicrotask(() => {
        this.#scheduled = false
        this.#pump()
      })
    })
  }

  #pump(): void {
    while (this.#inFlight < this.maxInFlight && this.#queue.length) {
      const batch = this.#queue.splice(0, this.maxItems)
      this.#inFlight++
      this.run(batch.map((b) => b.item))
        .then(
          (results) => results.forEach((r, i) => (r.status === 'fulfilled' ? batch[i].resolve(r.value) : batch[i].reject(r.reason))),
          (err) => batch.forEach((b) => b.reject(err)),
        )
        .finally(() => {
          this.#inFlight--
          this.#pump()
        })
    }
  }
}

/** every item answered by the same value (for a `run` whose batch succeeds or fails as a whole) */
export const fulfilled = <O>(values: O[]): Array<PromiseSettledResult<O>> => values.map((value) => ({ status: 'fulfilled', value }))
