/** Structured logs: one line per event, `time tag event key=value…`, to stdout (journald on a Pi). */
export type Log = (tag: string, event: string, fields?: Record<string, unknown>) => void

/**
 * Lines gathered over one turn of the event loop and written in one call (stdout to a pipe or a file is a
 * synchronous system call per write: two lines per request cost ~8% of a busy server's time). Whatever is
 * still gathered is written when the process exits, crash included.
 */
export function batchedStdout(): (line: string) => void {
  let lines: string[] = []
  let scheduled = false
  const flush = () => {
    scheduled = false
    if (!lines.length) return
    const text = lines.join('')
    lines = []
    process.stdout.write(text)
  }
  process.on('exit', flush)
  return (line) => {
    lines.push(line)
    if (!scheduled) {
      scheduled = true
      setImmediate(flush)
    }
  }
}

export function stdoutLog(write: (line: string) => void = batchedStdout()): Log {
  return (tag, event, fields = {}) => {
    const parts = [new Date().toISOString(), `[${tag}]`, event]
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue
      const s = typeof v === 'string' ? v : JSON.stringify(v)
      parts.push(`${k}=${/[\s"=]/.test(s) ? JSON.stringify(s) : s}`)
    }
    write(parts.join(' ') + '\n')
  }
}

export const silentLog: Log = () => {}
