import { Hono } from 'hono'
import type { Core } from '../../core/context.js'
import { resultOf } from '../../core/codes.js'
import { acceptRelayedMessages, acceptRelayedReports } from '../../core/relay/inbound.js'
import { notAJsonObject, notJson, relayForbidden } from '../../core/refusals.js'
import { answer } from '../render.js'
import { originOf } from '../request-origin.js'
import type { Json } from '../validate.js'
import { pinnedKey } from './keys.js'
import { ReplayGuard } from './replay-guard.js'
import { verifyRequest } from './signature.js'
import { decodeMessages, decodeReports, encodeVerdicts } from './wire.js'

/** how far a request's signing time may lie from ours: covers clock skew and a slow link, and bounds replays */
export const FRESHNESS_MS = 300_000

type RelayEnv = { Variables: { peer: string; json: Json } }

/**
 * /relay/v1: what peers hand over. Every request must be signed by a configured peer (else 403, logged, and
 * nothing stored); a signature is good once. The core then judges each message by the ordinary rules.
 */
export function relayRoutes(core: Core, publicKey: string | undefined): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()
  const { domain, peers } = core.config
  const keys = new Map(peers.map((p) => [p.domain, pinnedKey(p.publicKey)]))
  const replays = new ReplayGuard(FRESHNESS_MS)

  app.get('/relay/v1/key', (c) => (publicKey && domain ? c.json({ domain, publicKey }) : c.text('Not found', 404)))

  app.use('/relay/v1/*', async (c, next) => {
    const refuse = (why: string, peer?: string) => {
      core.log('relay', 'refused', { peer: peer ?? '(unknown)', from: originOf(c).address, path: c.req.path, why })
      return answer(c, resultOf(relayForbidden(why)))
    }
    if (!domain || keys.size === 0) return refuse('this server relays with no other server')
    const body = await c.req.text()
    const now = core.clock.now()
    const verified = verifyRequest(
      { method: c.req.method, path: c.req.path, body },
      {
        date: c.req.header('date'), contentDigest: c.req.header('content-digest'),
        signatureInput: c.req.header('signature-input'), signature: c.req.header('signature'),
      },
      (keyId) => keys.get(keyId), now, FRESHNESS_MS,
    )
    if (!verified.ok) return refuse(verified.why)
    if (!replays.firstSight(verified.signature, now)) return refuse('this signed request was sent before (a replay)', verified.keyId)
    c.set('peer', verified.keyId)
    c.set('json', parseObject(body))
    await next()
  })

  app.post('/relay/v1/messages', async (c) => {
    const verdicts = await acceptRelayedMessages(core, c.get('peer'), decodeMessages(c.get('json'), domain!))
    return answer(c, 200, encodeVerdicts(verdicts))
  })

  app.post('/relay/v1/reports', async (c) => {
    const reports = decodeReports(c.get('json'), domain!)
    await acceptRelayedReports(core, c.get('peer'), reports)
    return answer(c, 200, { filed: reports.length })
  })

  return app
}

function parseObject(text: string): Json {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw notJson((err as Error).message)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw notAJsonObject()
  return value as Json
}
