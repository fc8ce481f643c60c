import { nanoid } from 'nanoid'

/** Time and identity are injected so that tests move a fake clock instead of sleeping. */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock tests move by hand. */
export class FakeClock implements Clock {
  constructor(private ms = Date.parse('2026-01-01T00:00:00.000Z')) {}
  now(): number {
    return this.ms
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000
  }
}

export interface Ids {
  /** message, report and session ids */
  id(): string
  /** bearer tokens: 32 url-safe characters, 192 bits */
  token(): string
}

export const nanoIds: Ids = { id: () => nanoid(), token: () => nanoid(32) }
