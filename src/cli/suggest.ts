/** the candidate nearest to a mistyped name (at most 2 edits away, or one it starts), if any */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const c of candidates) {
    const d = c.startsWith(name) && name.length >= 3 ? 1 : distance(name, c)
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  return best
}

/** "; did you mean X?" or nothing */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const n = nearest(name, candidates)
  return n ? `; did you mean ${n}?` : ''
}

/** Levenshtein distance, one row at a time */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = row
  }
  return previous[b.length]
}
