/**
 * How recently settled copies ended (200 delivered, 538 rejected, …), so that a client repeating itself — a
 * MessageDelivered retried after a lost answer, or sent twice at once — is answered as the first time was.
 * Settlements still being written are awaited. Bounded; oldest forgotten first.
 */
export class SettledMemo {
  readonly #codes = new Map<string, number>()
  readonly #inFlight = new Map<string, Promise<number | undefined>>()
  constructor(private readonly max = 50_000) {}

  /** records a settlement in progress; it counts once `outcome` resolves to its code (undefined: not settled) */
  track(user: string, id: string, outcome: Promise<number | undefined>): void {
    const key = `${user}\n${id}`
    const earlier = this.#inFlight.get(key)
    const tracked = outcome.then(
      async (code) => {
        if (code !== undefined) this.#remember(key, code)
        // a second attempt that found the copy gone ends the way the first one does
        return code ?? (await earlier)
      },
      () => earlier,
    )
    this.#inFlight.set(key, tracked)
    tracked.finally(() => {
      if (this.#inFlight.get(key) === tracked) this.#inFlight.delete(key)
    })
  }

  /** how the copy was settled, waiting for a settlement in progress; undefined if it was not */
  async outcome(user: string, id: string): Promise<number | undefined> {
    const key = `${user}\n${id}`
    const pending = this.#inFlight.get(key)
    if (pending) await pending
    return this.#codes.get(key)
  }

  #remember(key: string, code: number): void {
    this.#codes.delete(key)
    this.#codes.set(key, code)
    if (this.#codes.size > this.max) this.#codes.delete(this.#codes.keys().next().value!)
  }
}
