import type { AdminSession } from '../src/core/admin-sessions.js'
import { inboxFill, type Page, type UserRow, type UserSort } from '../src/core/admin-queries.js'
import { Badge, Csrf, Empty, Pager, Usage } from './components.js'
import { bytes, qs } from './format.js'
import { Layout } from './layout.js'

export interface UsersQuery {
  q: string
  sort: UserSort
  desc: boolean
  page: number
}

export interface UsersProps {
  rows: Page<UserRow>
  query: UsersQuery
  /** how many users there are before the search */
  all: number
}

export function UsersPage(props: UsersProps & { session: AdminSession }) {
  const { query } = props
  return (
    <Layout title="Users" nav="users" session={props.session}>
      <h1>Users <small>{props.all}</small></h1>
      <div class="toolbar">
        <form method="get" action="/admin/users" class="search" role="search">
          <input
            type="search" name="q" value={query.q} placeholder="Search by user id" aria-label="Search users"
            hx-get="/admin/users-table" hx-trigger="input changed delay:200ms, search" hx-target="#users-table"
            hx-swap="outerHTML" hx-include="closest form"
          />
          <input type="hidden" name="sort" value={query.sort} />
          <input type="hidden" name="dir" value={query.desc ? 'desc' : 'asc'} />
          <button type="submit">Search</button>
        </form>
        <details class="create">
          <summary>New user</summary>
          <form method="post" action="/admin/users" class="stack">
            <Csrf token={props.session.csrf} />
            <label>User id <input name="userId" required pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,63}" autocomplete="off" /></label>
            <label>Password <input name="password" type="password" minlength={8} autocomplete="new-password" placeholder="leave empty to generate" /></label>
            <button type="submit">Create user</button>
          </form>
        </details>
      </div>
      <UsersTable {...props} />
    </Layout>
  )
}

const COLUMNS: Array<{ key: UserSort; label: string; firstDesc: boolean }> = [
  { key: 'id', label: 'User', firstDesc: false },
  { key: 'online', label: 'Online', firstDesc: true },
  { key: 'inbox', label: 'Offline store', firstDesc: true },
  { key: 'outbox', label: 'Queued as sender', firstDesc: true },
]

/** the table, refreshed every 2 s with the same search, sort and page */
export function UsersTable({ rows, query, all }: UsersProps) {
  const here = { q: query.q, sort: query.sort, dir: query.desc ? 'desc' : 'asc' }
  const href = (page: number) => `/admin/users${qs({ ...here, page })}`
  return (
    <div id="users-table" class="card" hx-get={`/admin/users-table${qs({ ...here, page: query.page })}`} hx-trigger="every 2s" hx-swap="outerHTML">
      {rows.total === 0 ? (
        all === 0
          ? <Empty>No users yet. Create one with “New user” above, or on the server: <code>pigeonhole user add NAME</code>.</Empty>
          : <Empty>No user id contains “{query.q}”.</Empty>
      ) : (
        <>
          <div class="table-wrap">
            <table class="users">
              <thead>
                <tr>
                  {COLUMNS.map((c) => {
                    const active = query.sort === c.key
                    const desc = active ? !query.desc : c.firstDesc
                    return (
                      <th scope="col" aria-sort={active ? (query.desc ? 'descending' : 'ascending') : undefined}>
                        <a href={`/admin/users${qs({ q: query.q, sort: c.key, dir: desc ? 'desc' : 'asc' })}`}>
                          {c.label}{active ? (query.desc ? ' ▾' : ' ▴') : ''}
                        </a>
                      </th>
                    )
                  })}
                  <th scope="col">Reports</th>
                </tr>
              </thead>
              <tbody>
                {rows.items.map((r) => (
                  <tr class={inboxFill(r) >= 0.9 ? 'near-full' : undefined} data-user={r.id}>
                    <td>
                      <a href={`/admin/users/${encodeURIComponent(r.id)}`}>{r.id}</a>
                      {r.disabled ? <> <Badge kind="bad">disabled</Badge></> : null}
                    </td>
                    <td>{r.online ? <Badge kind="ok">online</Badge> : <span class="muted">offline</span>}</td>
                    <td class="wide">
                      <Usage
                        value={Math.round(inboxFill(r) * 1000)} max={1000}
                        label={`${r.inbox.messages} / ${r.limits.inboxMaxMessages} · ${bytes(r.inbox.bytes)} / ${bytes(r.limits.inboxMaxBytes)}`}
                      />
                    </td>
                    <td class="wide">
                      <Usage value={r.outbox} max={r.limits.outboxMaxMessages} label={`${r.outbox} / ${r.limits.outboxMaxMessages}`} />
                    </td>
                    <td>{r.reports}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={rows} href={href} noun="user" />
        </>
      )}
    </div>
  )
}
