/**
 * Lets a checkpoint see only durable state. Commits pass the gate before they change a box in memory and stay
 * "in flight" until their journal write is on disk (or failed and undone). A checkpoint closes the gate, waits
 * until nothing is in flight, takes its snapshot, and opens the gate again.
 */
export class CommitGate {
  #closed: Promise<void> | undefined
  #open: () => void = () => {}
  #inFlight = 0
  #idle: Array<() => void> = []

  get closed(): boolean {
    return this.#closed !== undefined
  }

  /** resolves when the gate is open */
  wait(): Promise<void> {
    return this.#closed ?? Promise.resolve()
  }

  enter(): void {
    this.#inFlight++
  }

  leave(): void {
    if (--this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve()
  }

  /** closes the gate; resolves once every commit that got through is durable or undone */
  async close(): Promise<void> {
    this.#closed = new Promise((resolve) => (this.#open = resolve))
    if (this.#inFlight > 0) await new Promise<void>((resolve) => this.#idle.push(resolve))
  }

  open(): void {
    this.#closed = undefined
    this.#open()
  }
}
