import type { Delivery, Sink } from './hub.js'

/**
 * A sink for a client that polls (WV-CSP over HTTP): deliveries wait here until the client's next request
 * takes them, and `wake` is called when the queue goes from empty to not empty, so that a door can nudge
 * the client (a CIR wake-up line). Bounded: a client that never polls cannot grow it without end; what is
 * dropped here is not lost, since a message waits in the store until confirmed and is listed again when
 * the client next attaches.
 */
export class PollQueue implements Sink {
  readonly #queue: Delivery[] = []
  #closed = false
  /** set when deliveries were dropped for want of room: the client should list what waits */
  overflowed = false

  constructor(
    private readonly wake: () => void = () => {},
    private readonly max = 1_000,
  ) {}

  deliver(d: Delivery): void {
    if (this.#closed && d.type !== 'Disconnect') return
    if (this.#queue.length >= this.max && d.type !== 'Disconnect') {
      this.overflowed = true
      return
    }
    this.#queue.push(d)
    if (this.#queue.length === 1) this.wake()
  }

  close(): void {
    this.#closed = true
  }

  get size(): number {
    return this.#queue.length
  }

  /** takes up to `max` deliveries, oldest first */
  take(max = Infinity): Delivery[] {
    return this.#queue.splice(0, Math.min(max, this.#queue.length))
  }
}
