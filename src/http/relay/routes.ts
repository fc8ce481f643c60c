import { Hono } from 'hono'
import type { Core } from '../../core/context.js'
import { resultOf } from '../../core/codes.js'
import { acceptRelayedMessages, acceptRelayedReports } from '../../core/relay/inbound.js'
import { badRequest, relayForbidden } from '../../core/refusals.js'
import { answer } from '../render.js'
import { originOf } from '../request-origin.js'
import { type Json, parseJsonObject } from '../validate.js'
import { pinnedKey, type RelayKey } from './keys.js'
import { ReplayGuard } from './replay-guard.js'
import { checkClaim, checkSignature, signResponse } from './signature.js'
import { decodeMessages, decodeReports, encodeVerdicts } from './wire.js'

/** how far a request's signing time may lie from ours: covers clock skew and a slow link, and bounds replays */
export const FRESHNESS_MS = 300_000

type RelayEnv = { Variables: { peer: string; json: Json } }

/**
 * /relay/v1: what peers hand over. Every request must be signed by a configured peer (else 403, logged, and
 * nothing stored; an unknown signer is refused before its body is read); a request is taken once, and its
 * answer is signed. Requests from one peer are handled one after another, so a retry never overtakes the
 * request it repeats.
 */
export function relayRoutes(core: Core, relayKey: RelayKey | undefined): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()
  const { domain, peers } = core.config
  const keys = new Map(peers.map((p) => [p.domain, pinnedKey(p.publicKey)]))
  const replays = new ReplayGuard(FRESHNESS_MS)
  const turns = new Map<string, Promise<unknown>>()

  app.get('/relay/v1/key', (c) => (relayKey && domain ? c.json({ domain, publicKey: relayKey.publicKey }) : c.text('Not found', 404)))

  app.use('/relay/v1/*', async (c, next) => {
    const refuse = (why: string, peer?: string) => {
      core.log('relay', 'refused', { peer: peer ?? '(unknown)', from: originOf(c).address, path: c.req.path, why })
      return answer(c, resultOf(relayForbidden(why)))
    }
    if (!domain || !relayKey || keys.size === 0) return refuse('this server relays with no other server')
    const now = core.clock.now()
    const claim = checkClaim({
      date: c.req.header('date'), contentDigest: c.req.header('content-digest'),
      signatureInput: c.req.header('signature-input'), signature: c.req.header('signature'),
    }, (keyId) => keys.get(keyId), now, FRESHNESS_MS)
    if (!claim.ok) return refuse(claim.why)
    const { keyId, nonce } = claim.value
    const body = new Uint8Array(await c.req.arrayBuffer())
    const signed = checkSignature(claim.value, c.req.method, c.req.path, body)
    if (!signed.ok) return refuse(signed.why, keyId)
    if (!replays.firstSight(`${keyId} ${nonce}`, now)) return refuse('this signed request was sent before (a replay)', keyId)
    c.set('peer', keyId)
    c.set('json', parseObject(body))
    await inTurn(turns, keyId, next)
    // the answer is signed too, bound to this request: nobody between the servers can answer in our name
    const answered = new Uint8Array(await c.res.arrayBuffer())
    const signature = signResponse(c.res.status, answered, nonce, domain, relayKey.privateKey, core.clock.now())
    const headers = new Headers(c.res.headers)
    for (const [name, value] of Object.entries(signature)) headers.set(name, value)
    c.res = new Response(answered, { status: c.res.status, headers })
  })

  app.post('/relay/v1/messages', async (c) => {
    const verdicts = await acceptRelayedMessages(core, c.get('peer'), decodeMessages(c.get('json'), domain!))
    return answer(c, 200, encodeVerdicts(verdicts))
  })

  app.post('/relay/v1/reports', async (c) => {
    const filed = await acceptRelayedReports(core, c.get('peer'), decodeReports(c.get('json'), domain!))
    return answer(c, 200, { filed })
  })

  return app
}

/** runs `fn` after whatever runs for `key`, and before whatever comes next for it */
async function inTurn(turns: Map<string, Promise<unknown>>, key: string, fn: () => Promise<void>): Promise<void> {
  const before = turns.get(key) ?? Promise.resolve()
  const mine = before.then(fn, fn)
  const settled = mine.catch(() => {})
  turns.set(key, settled)
  try {
    await mine
  } finally {
    if (turns.get(key) === settled) turns.delete(key)
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true })

/** the body as UTF-8 text (a body that is not is refused, not patched with U+FFFD), then a JSON object */
function parseObject(bytes: Uint8Array): Json {
  let text: string
  try {
    text = STRICT_UTF8.decode(bytes)
  } catch {
    throw badRequest('the body is not UTF-8')
  }
  return parseJsonObject(text)
}
