import type { AdminSession } from '../src/core/admin-sessions.js'
import type { Page } from '../src/core/admin-queries.js'
import type { StoredReport } from '../src/core/types.js'
import { Empty, Outcome, OUTCOME_FILTERS, Pager } from './components.js'
import { ago, iso, qs } from './format.js'
import { Layout } from './layout.js'

export interface ReportsProps {
  reports: Page<StoredReport>
  outcome: number | undefined
  now: number
}

export function ReportsPage(props: ReportsProps & { session: AdminSession }) {
  return (
    <Layout title="Reports" nav="reports" session={props.session}>
      <h1>Delivery reports</h1>
      <p class="hint">Reports for senders who asked for one, newest first. A report leaves once its sender has acknowledged it.</p>
      <form method="get" action="/admin/reports" class="toolbar" hx-get="/admin/reports/table" hx-trigger="change" hx-target="#reports-table" hx-swap="outerHTML">
        <label class="row">
          Outcome
          <select name="outcome">
            <option value="" selected={props.outcome === undefined}>all</option>
            {OUTCOME_FILTERS.map((f) => (
              <option value={String(f.code)} selected={props.outcome === f.code}>{f.code} {f.label}</option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      <ReportsTable {...props} />
    </Layout>
  )
}

export function ReportsTable({ reports, outcome, now }: ReportsProps) {
  return (
    <div id="reports-table" class="card" hx-get={`/admin/reports/table${qs({ outcome, page: reports.page })}`} hx-trigger="every 2s" hx-swap="outerHTML">
      {reports.total === 0 ? (
        <Empty>{outcome === undefined ? 'No delivery reports are waiting.' : `No reports with outcome ${outcome}.`}</Empty>
      ) : (
        <>
          <div class="table-wrap">
            <table class="reports stack">
              <thead>
                <tr><th>When</th><th>Sender</th><th>Recipient</th><th>Outcome</th><th>Message</th></tr>
              </thead>
              <tbody>
                {reports.items.map((r) => (
                  <tr class="report" data-code={String(r.code)}>
                    <td data-label="When"><time title={iso(r.at)}>{ago(r.at, now)}</time></td>
                    <td data-label="Sender"><a href={`/admin/users/${encodeURIComponent(r.owner)}`}>{r.owner}</a></td>
                    <td data-label="Recipient"><a href={`/admin/users/${encodeURIComponent(r.recipient)}`}>{r.recipient}</a></td>
                    <td data-label="Outcome"><Outcome code={r.code} text={r.text} /></td>
                    <td class="full" data-label="Message"><code>{r.messageId}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={reports} href={(p) => `/admin/reports${qs({ outcome, page: p })}`} noun="report" />
        </>
      )}
    </div>
  )
}
