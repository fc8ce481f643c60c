import type { ActivityEntry } from '../src/core/activity.js'
import type { AdminSession } from '../src/core/admin-sessions.js'
import { inboxFill, type Overview, type UserRow } from '../src/core/admin-queries.js'
import { Empty, Usage } from './components.js'
import { ago, bytes, count, duration } from './format.js'
import { Layout } from './layout.js'
import { PeersCard } from './peers.js'

export interface OverviewProps {
  o: Overview
  activity: ActivityEntry[]
  now: number
  csrf: string
}

export function OverviewPage(props: OverviewProps & { session: AdminSession }) {
  return (
    <Layout title="Overview" nav="overview" session={props.session}>
      <h1>Overview</h1>
      <OverviewLive {...props} />
    </Layout>
  )
}

/** the part that refreshes itself every 2 s */
export function OverviewLive({ o, activity, now, csrf }: OverviewProps) {
  return (
    <div id="overview-live" hx-get="/admin/overview/live" hx-trigger="every 2s" hx-swap="outerHTML">
      <div class="cards">
        <Stat label="Users" value={String(o.users)} note={o.disabled ? `${o.disabled} disabled` : 'none disabled'} href="/admin/users" />
        <Stat label="Online now" value={String(o.online)} note={`${count(o.sessions, 'session')}, ${count(o.streams, 'stream')}`} href="/admin/users?sort=online&dir=desc" />
        <Stat label="Messages waiting" value={String(o.messages)} note={`${count(o.reports, 'report')} waiting`} />
        <Stat label="Bytes waiting" value={bytes(o.bytes)} note="in offline stores" />
        <Stat label="Store on disk" value={bytes(o.diskBytes)} note="journal, mailboxes, accounts" />
        <Stat label="Uptime" value={duration(o.uptimeSeconds)} note="since start" />
      </div>
      <div class="grid2">
        <section class="card">
          <h2>Fullest offline stores</h2>
          {o.fullest.length ? <FillTable rows={o.fullest} kind="inbox" /> : <Empty>No messages are waiting for anyone.</Empty>}
        </section>
        <section class="card">
          <h2>Senders nearest their queue limit</h2>
          {o.nearQueueLimit.length ? <FillTable rows={o.nearQueueLimit} kind="outbox" /> : <Empty>No sender has messages waiting offline.</Empty>}
        </section>
      </div>
      {o.peers.length ? <PeersCard peers={o.peers} now={now} csrf={csrf} /> : null}
      <section class="card">
        <h2>Recent activity</h2>
        {activity.length ? (
          <ul class="activity">
            {activity.map((a) => (
              <li class={`act-${a.kind}`}>
                <time>{ago(a.at, now)}</time> <a href={`/admin/users/${encodeURIComponent(a.user)}`}>{a.user}</a> {a.text}
              </li>
            ))}
          </ul>
        ) : (
          <Empty>Nothing has happened since the server started.</Empty>
        )}
      </section>
    </div>
  )
}

function Stat(props: { label: string; value: string; note: string; href?: string }) {
  const inner = (
    <>
      <span class="stat-label">{props.label}</span>
      <span class="stat-value">{props.value}</span>
      <span class="stat-note">{props.note}</span>
    </>
  )
  return props.href ? <a class="stat" href={props.href}>{inner}</a> : <div class="stat">{inner}</div>
}

function FillTable(props: { rows: UserRow[]; kind: 'inbox' | 'outbox' }) {
  return (
    <table class="compact">
      <tbody>
        {props.rows.map((r) => (
          <tr>
            <td><a href={`/admin/users/${encodeURIComponent(r.id)}`}>{r.id}</a></td>
            <td class="wide">
              {props.kind === 'inbox'
                ? <Usage value={Math.round(inboxFill(r) * 1000)} max={1000} label={`${r.inbox.messages} / ${r.limits.inboxMaxMessages} · ${bytes(r.inbox.bytes)} / ${bytes(r.limits.inboxMaxBytes)}`} title="the fuller of messages and bytes" />
                : <Usage value={r.outbox} max={r.limits.outboxMaxMessages} label={`${r.outbox} / ${r.limits.outboxMaxMessages} queued`} />}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
