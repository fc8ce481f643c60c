import type { PeerView } from '../src/core/admin-queries.js'
import { Csrf } from './components.js'
import { ago } from './format.js'

/** the relay's peers (PROTOCOL.md 10): reachable or not, what waits for each, the last error, a retry button */
export function PeersCard(props: { peers: PeerView[]; now: number; csrf: string }) {
  return (
    <section class="card" id="peers">
      <h2>Relay peers</h2>
      <table class="compact">
        <thead>
          <tr><th>Domain</th><th>State</th><th>Queued</th><th title="messages the peer took to keep, since this server started (one it refused ends with a report instead)">Taken since start</th><th>Last error</th><th></th></tr>
        </thead>
        <tbody>
          {props.peers.map((p) => (
            <tr>
              <td title={p.url}>{p.domain}</td>
              <td class={p.reachable === false || p.failedHere ? 'bad' : ''}>{peerState(p)}</td>
              <td>{p.queued.messages} messages, {p.queued.reports} reports</td>
              <td>{p.relayed}</td>
              <td>
                {p.lastError ? <>{p.lastError} <time>({ago(p.lastErrorAt!, props.now)})</time></> : '—'}
                {p.nextAttemptAt ? <> · next try in {Math.max(0, Math.ceil((p.nextAttemptAt - props.now) / 1000))} s</> : null}
              </td>
              <td>
                <form method="post" action={`/admin/relay/${encodeURIComponent(p.domain)}/retry`}>
                  <Csrf token={props.csrf} />
                  <button type="submit">Retry now</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

function peerState(p: PeerView): string {
  if (p.failedHere) return "held up here: this server's store failed"
  return p.reachable === undefined ? 'not tried yet' : p.reachable ? 'reachable' : 'unreachable'
}
