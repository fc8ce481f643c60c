/** Structured logs: one line per event, `time tag event key=value…`, to stdout (journald on a Pi). */
export type Log = (tag: string, event: string, fields?: Record<string, unknown>) => void

export function stdoutLog(write: (line: string) => void = (l) => process.stdout.write(l)): Log {
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
