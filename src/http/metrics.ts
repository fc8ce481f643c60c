import { Hono } from 'hono'
import { sameToken } from '../core/admin-sessions.js'
import { bearerToken } from './middleware.js'
import type { Core } from '../core/context.js'
import type { Histogram } from '../core/metrics.js'

/**
 * GET /metrics in the Prometheus text format. Off (404) unless PIGEONHOLE_METRICS_TOKEN is set; then the
 * scraper sends it as a bearer token. Counts since this start; gauges read now.
 */
export function metricsRoutes(core: Core): Hono {
  const app = new Hono()
  app.get('/metrics', async (c) => {
    const token = core.config.metricsToken
    if (!token) return c.text('Not found', 404)
    const given = bearerToken(c)
    if (!sameToken(given, token)) {
      c.header('WWW-Authenticate', 'Bearer realm="pigeonhole metrics"')
      return c.text('Unauthorized: send the metrics token as "Authorization: Bearer <token>"\n', 401)
    }
    return c.text(await render(core), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' })
  })
  return app
}

async function render(core: Core): Promise<string> {
  const stats = await core.store.stats()
  const m = core.metrics
  const byDoor = new Map<string, number>()
  for (const s of core.sessions.all()) byDoor.set(s.door, (byDoor.get(s.door) ?? 0) + 1)
  const out: string[] = []
  const metric = (name: string, type: string, help: string, samples: Array<[labels: string, value: number]>) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
    for (const [labels, value] of samples) out.push(`${name}${labels} ${value}`)
  }
  const byCode = (map: Map<number, number>) => [...map].sort(([a], [b]) => a - b).map(([code, n]) => [`{code="${code}"}`, n] as [string, number])
  metric('pigeonhole_sessions', 'gauge', 'Live sessions, by the door they came through.', [...byDoor].map(([door, n]) => [`{door="${door}"}`, n]))
  metric('pigeonhole_open_streams', 'gauge', 'Open event streams and other sinks attached to sessions.', [['', core.hub.sinkCount()]])
  metric('pigeonhole_users', 'gauge', 'Accounts.', [['', stats.users]])
  metric('pigeonhole_messages_waiting', 'gauge', 'Messages waiting for their recipients.', [['', stats.messages]])
  metric('pigeonhole_message_bytes_waiting', 'gauge', 'Body bytes of the messages waiting.', [['', stats.bytes]])
  metric('pigeonhole_reports_waiting', 'gauge', 'Delivery reports waiting for their senders.', [['', stats.reports]])
  metric('pigeonhole_store_bytes', 'gauge', 'Size of the store on disk.', [['', stats.diskBytes]])
  metric('pigeonhole_sends_total', 'counter', 'SendMessage outcomes per recipient, by code (200 delivered, 202 kept offline, 410, 507, 531, 532, 533, ...).', byCode(m.sends))
  metric('pigeonhole_settled_total', 'counter', 'Copies that reached a final state, by code (200 delivered, 538 rejected, 542 expired, 532 blocked).', byCode(m.settled))
  metric('pigeonhole_reports_total', 'counter', 'Delivery reports filed for senders, by code.', byCode(m.reports))
  metric('pigeonhole_logins_total', 'counter', 'Sessions started.', [['', m.logins]])
  histogram(out, 'pigeonhole_journal_commit_seconds', 'Time for one journal write (a batch of changes) to reach the disk.', m.commits)
  const memory = process.memoryUsage()
  metric('process_resident_memory_bytes', 'gauge', 'Resident memory of the server process.', [['', memory.rss]])
  metric('nodejs_heap_used_bytes', 'gauge', 'JavaScript heap in use.', [['', memory.heapUsed]])
  metric('nodejs_heap_total_bytes', 'gauge', 'JavaScript heap reserved from the system.', [['', memory.heapTotal]])
  metric('nodejs_external_memory_bytes', 'gauge', 'Memory held outside the JavaScript heap (buffers and the like).', [['', memory.external]])
  metric('pigeonhole_uptime_seconds', 'gauge', 'Seconds since this server started.', [['', Math.floor((core.clock.now() - core.startedAt) / 1000)]])
  return out.join('\n') + '\n'
}

function histogram(out: string[], name: string, help: string, h: Histogram): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`)
  let cumulative = 0
  h.buckets.forEach((le, i) => {
    cumulative += h.counts[i]
    out.push(`${name}_bucket{le="${le}"} ${cumulative}`)
  })
  out.push(`${name}_bucket{le="+Inf"} ${h.count}`, `${name}_sum ${h.sum}`, `${name}_count ${h.count}`)
}
