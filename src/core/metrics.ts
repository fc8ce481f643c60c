import type { CoreEvent } from './bus.js'

/** buckets for the journal's write latency, seconds: an SD card's fsync is milliseconds, a failing one seconds */
const COMMIT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

/** A latency histogram with fixed buckets, as Prometheus reads it. */
export class Histogram {
  readonly counts = new Array<number>(COMMIT_BUCKETS.length).fill(0)
  readonly buckets = COMMIT_BUCKETS
  sum = 0
  count = 0

  observe(seconds: number): void {
    this.sum += seconds
    this.count++
    const i = this.buckets.findIndex((b) => seconds <= b)
    if (i >= 0) this.counts[i]++
  }
}

/**
 * What the server has done since it started, counted from the bus (no protocol code knows it exists):
 * send outcomes per recipient by code, settled copies by code, reports filed by code, logins; and the
 * journal's write latency, which the store reports.
 */
export class Metrics {
  readonly sends = new Map<number, number>()
  readonly settled = new Map<number, number>()
  readonly reports = new Map<number, number>()
  logins = 0
  readonly commits = new Histogram()

  observe(e: CoreEvent): void {
    if (e.type === 'MessageSent') for (const [, code] of e.outcomes) bump(this.sends, code)
    else if (e.type === 'MessageSettled') {
      bump(this.settled, e.code)
      if (e.report) bump(this.reports, e.code)
    } else if (e.type === 'SessionStarted') this.logins++
  }
}

function bump(map: Map<number, number>, key: number): void {
  map.set(key, (map.get(key) ?? 0) + 1)
}
