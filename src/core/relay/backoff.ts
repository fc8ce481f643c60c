export interface Backoff {
  /** failed attempts in a row */
  failures: number
}

/**
 * How long to wait after the next failure: the minimum, doubled for each failure before it, capped, and spread
 * by up to a quarter either way, so that peers restarting together do not retry in step.
 */
export function nextDelay(backoff: Backoff, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(backoff.failures, 30))
  return Math.round(base * (0.75 + random() * 0.5))
}
