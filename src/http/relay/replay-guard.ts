/**
 * Signatures seen within the freshness window: a request replayed inside the window is refused, one replayed
 * after it is stale anyway. Memory is bounded by what a window can hold.
 */
export class ReplayGuard {
  readonly #seen = new Map<string, number>()
  constructor(private readonly windowMs: number, private readonly max = 100_000) {}

  /** false if this signature was seen within the window; remembers it otherwise */
  firstSight(signature: string, now: number): boolean {
    this.#forgetBefore(now - 2 * this.windowMs)
    if (this.#seen.has(signature)) return false
    this.#seen.set(signature, now)
    if (this.#seen.size > this.max) this.#seen.delete(this.#seen.keys().next().value!)
    return true
  }

  #forgetBefore(cutoff: number): void {
    for (const [signature, at] of this.#seen) {
      if (at >= cutoff) break
      this.#seen.delete(signature)
    }
  }
}
