import type { AdminSession } from '../src/core/admin-sessions.js'
import type { Page, UserRow } from '../src/core/admin-queries.js'
import type { Limits } from '../src/core/quotas.js'
import type { PresenceView } from '../src/core/presence.js'
import type { AccessList, ContactList, StoredMessage, UserRecord } from '../src/core/types.js'
import { Badge, Csrf, Empty, Pager, Usage } from './components.js'
import { ago, bytes, count, iso, preview, until } from './format.js'
import { Layout } from './layout.js'
import { ContactsCard } from './user-contacts.js'

export type Waiting = StoredMessage & { expired: boolean }

export interface UserLiveProps {
  row: UserRow
  queue: Page<Waiting>
  now: number
  csrf: string
  sessions: Array<{ method: string; clientId?: string; held: boolean; door: string; node?: string }>
}

export interface UserProps extends UserLiveProps {
  user: UserRecord
  presence: PresenceView
  lists: ContactList[]
  defaults: Limits
  /** failed logins have shut addresses out of this account */
  locked: boolean
}

const base = (id: string) => `/admin/users/${encodeURIComponent(id)}`

export function UserPage(props: UserProps & { session: AdminSession }) {
  const { user } = props
  return (
    <Layout title={user.id} nav="users" session={props.session}>
      <p class="crumbs"><a href="/admin/users">Users</a> /</p>
      <h1>
        {user.id} {user.disabled ? <Badge kind="bad">disabled</Badge> : null}
      </h1>
      {/* the controls first: a long queue must not push them out of reach */}
      <div class="grid2">
        <div>
          <ListCard user={user} which="block" csrf={props.csrf} />
          <ListCard user={user} which="grant" csrf={props.csrf} />
        </div>
        <div>
          <QuotaCard user={user} defaults={props.defaults} csrf={props.csrf} />
          <AccountCard user={user} csrf={props.csrf} locked={props.locked} />
        </div>
      </div>
      <ContactsCard presence={props.presence} lists={props.lists} />
      <UserLive {...props} />
    </Layout>
  )
}

/** usage and the waiting messages: refreshed every 2 s */
export function UserLive({ row, queue, now, csrf, sessions }: UserLiveProps) {
  const url = base(row.id)
  return (
    <div id="user-live" hx-get={`${url}/live?page=${queue.page}`} hx-trigger="every 2s" hx-swap="outerHTML">
      <div class="cards three">
        <div class="stat">
          <span class="stat-label">Status</span>
          <span class="stat-value">{row.online ? 'Online' : 'Offline'}</span>
          <span class="stat-note">
            {row.online ? sessions.map((s) => `${s.door === 'json' ? '' : `${s.door}, `}${s.method}${s.clientId ? ` (${s.clientId})` : ''}${s.held ? ', connected' : ''}${s.node ? ` on ${s.node}` : ''}`).join('; ') : 'messages wait here'}
          </span>
        </div>
        <div class="stat">
          <span class="stat-label">Offline store</span>
          <Usage value={row.inbox.messages} max={row.limits.inboxMaxMessages} label={`${row.inbox.messages} / ${row.limits.inboxMaxMessages} messages`} />
          <Usage value={row.inbox.bytes} max={row.limits.inboxMaxBytes} label={`${bytes(row.inbox.bytes)} / ${bytes(row.limits.inboxMaxBytes)}`} />
        </div>
        <div class="stat">
          <span class="stat-label">Queued as sender</span>
          <Usage value={row.outbox} max={row.limits.outboxMaxMessages} label={`${row.outbox} / ${row.limits.outboxMaxMessages} in others' stores`} />
          <span class="stat-note">{count(row.reports, 'report')} waiting for {row.id}</span>
        </div>
      </div>
      <section class="card">
        <div class="card-head">
          <h2>Waiting for {row.id} <small>{queue.total}</small></h2>
          {queue.total > 0 ? (
            // kept across the 2-second refresh, so that a ticked "sure" stays ticked
            <form method="post" action={`${url}/purge`} class="inline danger-zone" id="purge-all" hx-preserve="true">
              <Csrf token={csrf} />
              <label class="check"><input type="checkbox" name="confirm" value="yes" required /> sure</label>
              <button type="submit" class="danger">Purge all</button>
            </form>
          ) : null}
        </div>
        {queue.total === 0 ? (
          <Empty>Nothing waits for {row.id}.</Empty>
        ) : (
          <>
            <div class="table-wrap">
              <table class="queue">
                <thead>
                  <tr><th>From</th><th>Sent</th><th>Size</th><th>Kind</th><th>Expires</th><th>Message</th><th></th></tr>
                </thead>
                <tbody>
                  {queue.items.map((m) => (
                    <tr class="msg" data-id={m.id}>
                      <td data-label="From"><a href={base(m.sender)}>{m.sender}</a></td>
                      <td data-label="Sent"><time title={iso(m.sentAt)}>{ago(m.sentAt, now)}</time></td>
                      <td data-label="Size" class="nowrap">{bytes(m.size)}</td>
                      <td data-label="Kind">
                        {m.offline ? <Badge kind="info" title="stored because the recipient was offline">offline</Badge> : <Badge kind="muted" title="sent while the recipient was online, not yet confirmed">online</Badge>}
                        {m.deliveryReport ? <> <Badge kind="muted" title="the sender asked for a delivery report">report</Badge></> : null}
                      </td>
                      <td data-label="Expires"><time title={iso(m.validUntil)} class={m.expired ? 'bad' : undefined}>{until(m.validUntil, now)}</time></td>
                      <td class="body" data-label="Message" title={m.contentType}>{preview(m.body)}</td>
                      <td class="actions">
                        <form method="post" action={`${url}/messages/${encodeURIComponent(m.id)}/purge`} class="inline">
                          <Csrf token={csrf} />
                          <button type="submit" class="small danger" aria-label={`Purge message ${m.id}`}>Purge</button>
                        </form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={queue} href={(p) => `${url}?page=${p}`} noun="message" />
          </>
        )}
      </section>
    </div>
  )
}

function ListCard(props: { user: UserRecord; which: 'block' | 'grant'; csrf: string }) {
  const list: AccessList = props.user[props.which]
  const action = `${base(props.user.id)}/lists/${props.which}`
  const title = props.which === 'block' ? 'Block list' : 'Grant list'
  const explain = props.which === 'block'
    ? 'When in use, messages from these users are refused with 532.'
    : 'When in use, only these users may send messages; everyone else gets 532.'
  return (
    <section class="card" id={`${props.which}-list`}>
      <div class="card-head">
        <h2>{title} {list.inUse ? <Badge kind="warn">in use</Badge> : <Badge kind="muted">not in use</Badge>}</h2>
        <form method="post" action={action} class="inline">
          <Csrf token={props.csrf} />
          <input type="hidden" name="inUse" value={list.inUse ? 'off' : 'on'} />
          <button type="submit" class="small">{list.inUse ? 'Stop using' : 'Use'}</button>
        </form>
      </div>
      <p class="hint">{explain}</p>
      {list.users.length ? (
        <ul class="chips">
          {list.users.map((u) => (
            <li>
              <span>{u}</span>
              <form method="post" action={action} class="inline">
                <Csrf token={props.csrf} />
                <input type="hidden" name="remove" value={u} />
                <button type="submit" class="chip-x" aria-label={`Remove ${u} from the ${props.which} list`}>×</button>
              </form>
            </li>
          ))}
        </ul>
      ) : (
        <Empty>The list is empty.</Empty>
      )}
      <form method="post" action={action} class="row">
        <Csrf token={props.csrf} />
        <input name="add" placeholder="user id" aria-label={`Add to the ${props.which} list`} required autocomplete="off" />
        <input type="hidden" name="withUse" value="1" />
        <label class="check">
          <input type="checkbox" name="use" value="on" checked={list.inUse || props.which === 'block'} /> in use
        </label>
        <button type="submit">Add</button>
      </form>
    </section>
  )
}

function QuotaCard(props: { user: UserRecord; defaults: Limits; csrf: string }) {
  const q = props.user.quotas
  const field = (key: keyof Limits, label: string) => (
    <label>
      {label}
      <input type="number" name={key} min="0" step="1" inputmode="numeric" value={q[key] === undefined ? '' : String(q[key])} placeholder={`default ${props.defaults[key]}`} />
    </label>
  )
  return (
    <section class="card" id="quotas">
      <h2>Quotas</h2>
      <p class="hint">Empty means the server default. A full offline store refuses with 410, a full sender queue with 507.</p>
      <form method="post" action={`${base(props.user.id)}/quotas`} class="stack">
        <Csrf token={props.csrf} />
        {field('inboxMaxMessages', 'Offline store: messages')}
        {field('inboxMaxBytes', 'Offline store: bytes')}
        {field('outboxMaxMessages', 'Queued as sender: messages')}
        <button type="submit">Save quotas</button>
      </form>
    </section>
  )
}

function AccountCard(props: { user: UserRecord; csrf: string; locked: boolean }) {
  const url = base(props.user.id)
  return (
    <section class="card" id="account">
      <h2>Account</h2>
      <form method="post" action={`${url}/${props.user.disabled ? 'enable' : 'disable'}`} class="row">
        <Csrf token={props.csrf} />
        <span class="grow">{props.user.disabled ? 'Disabled: cannot log in.' : 'Enabled. Disabling ends its sessions.'}</span>
        <button type="submit" class={props.user.disabled ? undefined : 'danger'}>{props.user.disabled ? 'Enable' : 'Disable'}</button>
      </form>
      <form method="post" action={`${url}/password`} class="row">
        <Csrf token={props.csrf} />
        <input type="password" name="password" minlength={8} autocomplete="new-password" placeholder="empty: generate one" aria-label="New password" class="grow" />
        <button type="submit">Reset password</button>
      </form>
      {props.locked ? (
        <form method="post" action={`${url}/unlock`} class="row">
          <Csrf token={props.csrf} />
          <span class="grow">Locked out after failed logins (the owner can still log in from an address that has not failed).</span>
          <button type="submit">Unlock</button>
        </form>
      ) : null}
      <form method="post" action={`${url}/delete`} class="row">
        <Csrf token={props.csrf} />
        <span class="grow">Delete the account; what waits for it is purged (538 to senders who asked).</span>
        <label class="check"><input type="checkbox" name="confirm" value="yes" required /> sure</label>
        <button type="submit" class="danger">Delete</button>
      </form>
    </section>
  )
}
