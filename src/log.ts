/** Structured logs: one line per event, `time tag event key=value…`, to stdout (journald on a Pi). */
export type Log = (tag: string, event: string, fields?: Record<string, unknown>) => void

/** how long a line may wait to share a write with those after it, and how much may wait */
const GATHER_MS = 20
const GATHER_BYTES = 64 * 1024

/**
 * A line after a quiet spell is written at once (a lone line, such as the last before a crash, never waits);
 * the lines that follow it within 20 ms (or 64 KiB) share one write: stdout to a pipe or a file is a synchronous
 * system call per write, and a busy server logs a line per message (one write per turn of the event loop still
 * cost ~3% of a warm send). Whatever is still gathered is written when the process exits, crash included.
 */
export function batchedStdout(): (line: string) => void {
  let lines: string[] = []
  let bytes = 0
  let window: NodeJS.Timeout | undefined
  const flush = () => {
    clearTimeout(window)
    window = undefined
    if (!lines.length) return
    const text = lines.join('')
    lines = []
    bytes = 0
    process.stdout.write(text)
  }
  process.on('exit', flush)
  return (line) => {
    if (window === undefined) {
      process.stdout.write(line)
      window = setTimeout(flush, GATHER_MS).unref()
      return
    }
    lines.push(line)
    bytes += line.length
    if (bytes >= GATHER_BYTES) flush()
  }
}

export function stdoutLog(write: (line: string) => void = batchedStdout(), now: () => number = Date.now): Log {
  const stamp = timestamps(now)
  return (tag, event, fields = {}) => {
    let line = `${stamp()} [${tag}] ${event}`
    for (const k in fields) {
      const v = fields[k]
      if (v === undefined) continue
      const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)
      line += ` ${k}=${NEEDS_QUOTES.test(s) ? JSON.stringify(s) : s}`
    }
    write(line + '\n')
  }
}

const NEEDS_QUOTES = /[\s"=]/

/** ISO times, formatted once per millisecond: a busy server writes many lines in the same one */
function timestamps(now: () => number): () => string {
  let last = NaN
  let text = ''
  return () => {
    const ms = now()
    if (ms !== last) {
      last = ms
      text = new Date(ms).toISOString()
    }
    return text
  }
}

export const silentLog: Log = () => {}
