import type { KeyObject } from 'node:crypto'
import type { Peer } from '../../config-peers.js'
import type { Clock } from '../../core/clock.js'
import { BatchRefused, type PeerLink, type RelayVerdict } from '../../core/relay/peer-link.js'
import type { StoredMessage, StoredReport } from '../../core/types.js'
import { pinnedKey } from './keys.js'
import { checkResponse, newNonce, signRequest } from './signature.js'
import { decodeVerdicts, encodeMessages, encodeReports } from './wire.js'

/** how long one request to a peer may take before it counts as failed (and is retried later) */
const REQUEST_TIMEOUT_MS = 15_000

/** The relay's outbound side of the door: each call is one signed POST to the peer's /relay/v1, whose answer must be signed by the peer. */
export class HttpPeerLink implements PeerLink {
  readonly #peerKey: KeyObject

  constructor(
    private readonly peer: Peer,
    private readonly ourDomain: string,
    private readonly key: KeyObject,
    private readonly clock: Clock,
  ) {
    this.#peerKey = pinnedKey(peer.publicKey)
  }


  async sendMessages(messages: StoredMessage[]): Promise<RelayVerdict[]> {
    const answer = await this.#post('/relay/v1/messages', encodeMessages(messages, this.ourDomain))
    return decodeVerdicts(answer, messages.length)
  }

  async sendReports(reports: StoredReport[]): Promise<void> {
    await this.#post('/relay/v1/reports', encodeReports(reports, this.ourDomain))
  }

  async #post(path: string, json: unknown): Promise<Record<string, unknown>> {
    const url = new URL(this.peer.url + path)
    const body = Buffer.from(JSON.stringify(json))
    const nonce = newNonce()
    const signed = signRequest({ method: 'POST', path: url.pathname, body }, this.ourDomain, this.key, this.clock.now(), nonce)
    let res: Response
    try {
      res = await fetch(url, {
        method: 'POST', body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), redirect: 'error',
        headers: { ...signed, 'Content-Type': 'application/json' },
      })
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code
      throw new Error(`${this.peer.url} cannot be reached (${cause ?? (err as Error).message})`)
    }
    const bytes = new Uint8Array(await res.arrayBuffer())
    const text = Buffer.from(bytes).toString('utf8')
    let parsed: Record<string, unknown> = {}
    try {
      parsed = JSON.parse(text)
    } catch {
      // not ours, or a proxy's error page: said below with the status
    }
    if (res.ok) {
      // an answer we act on (copies are dropped here once "accepted") must come from the peer itself
      const checked = checkResponse(res.status, {
        contentDigest: res.headers.get('content-digest') ?? undefined,
        signatureInput: res.headers.get('signature-input') ?? undefined, signature: res.headers.get('signature') ?? undefined,
      }, bytes, { keyId: this.peer.domain, key: this.#peerKey, nonce })
      if (!checked.ok) throw new Error(`${this.peer.domain}: ${checked.why}`)
    } else {
      const said = `${this.peer.domain} answered ${res.status}: ${(parsed.result as { text?: string } | undefined)?.text ?? text.slice(0, 120)}`
      throw [400, 413, 415].includes(res.status) ? new BatchRefused(res.status, said) : new Error(said)
    }
    return parsed
  }
}
