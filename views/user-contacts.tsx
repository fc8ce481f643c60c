import type { PresenceView } from '../src/core/presence.js'
import type { ContactList } from '../src/core/types.js'
import { Badge, Empty } from './components.js'

const AVAILABILITY: Record<string, string> = { AVAILABLE: 'available', DISCREET: 'busy', NOT_AVAILABLE: 'away' }

/** what a user publishes of their presence, and their contact lists: read-only, as the user keeps them */
export function ContactsCard(props: { presence: PresenceView; lists: ContactList[] }) {
  const p = props.presence
  return (
    <section class="card" id="contacts">
      <h2>Presence and contacts</h2>
      <p>
        {p.online ? <Badge kind="ok">online</Badge> : <Badge kind="muted">offline</Badge>}{' '}
        {p.online && p.availability ? AVAILABILITY[p.availability] ?? p.availability : null}
        {p.online && p.statusText ? <span class="status-text"> · “{p.statusText}”</span> : null}
        {p.online && p.clientType ? <span class="hint"> · {p.clientType}</span> : null}
      </p>
      {props.lists.map((l) => (
        <div class="contact-list">
          <h3>
            {l.displayName} <small>{l.name}</small> {l.isDefault ? <Badge kind="info">default</Badge> : null}
          </h3>
          {l.contacts.length ? (
            <ul class="contacts">
              {l.contacts.map((c) => (
                <li>
                  <a href={`/admin/users/${encodeURIComponent(c.userId)}`}>{c.userId}</a>
                  {c.nickname && c.nickname !== c.userId ? <span class="hint"> ({c.nickname})</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <Empty>No contacts in this list.</Empty>
          )}
        </div>
      ))}
    </section>
  )
}
