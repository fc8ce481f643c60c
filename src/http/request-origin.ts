import type { Context, MiddlewareHandler } from 'hono'
import { nodePeerAddress } from './node-fast-path.js'

/** who sent a request and whether it came over TLS */
export interface RequestOrigin {
  address: string
  https: boolean
}

export type OriginVars = { origin: RequestOrigin }

/**
 * Works out each request's origin once. Pigeonhole itself speaks plain HTTP, so TLS means a reverse proxy in
 * front; its X-Forwarded-For and X-Forwarded-Proto are believed only when the peer is one of the proxies the
 * admin listed (PIGEONHOLE_TRUST_PROXY), or anyone could claim any address and dodge the login limits.
 */
export function requestOrigin(trusted: readonly string[]): MiddlewareHandler {
  const proxies = new Set(trusted)
  return async (c, next) => {
    const peer = nodePeerAddress(c) ?? 'unknown'
    let origin: RequestOrigin = { address: peer, https: new URL(c.req.url).protocol === 'https:' }
    if (proxies.has(peer)) {
      // the last hop is the one the trusted proxy appended: what the client itself wrote stands before it
      const forwarded = c.req.header('x-forwarded-for')?.split(',').map((s) => s.trim()).filter(Boolean).at(-1)
      origin = { address: forwarded || peer, https: c.req.header('x-forwarded-proto')?.trim().toLowerCase() === 'https' }
    }
    ;(c as unknown as Context<{ Variables: OriginVars }>).set('origin', origin)
    await next()
  }
}

/** the origin worked out for this request (by requestOrigin, which every route is behind) */
export function originOf(c: Context): RequestOrigin {
  return (c as unknown as Context<{ Variables: OriginVars }>).get('origin') ?? { address: nodePeerAddress(c) ?? 'unknown', https: false }
}
