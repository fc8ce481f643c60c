import type { Context, MiddlewareHandler } from 'hono'
import { nodePeerAddress } from './node-fast-path.js'

/** who sent a request and whether it came over TLS */
export interface RequestOrigin {
  address: string
  https: boolean
}

export type OriginVars = { origin: () => RequestOrigin }

/**
 * Works out each request's origin once. Pigeonhole itself speaks plain HTTP, so TLS means a reverse proxy in
 * front; its X-Forwarded-For and X-Forwarded-Proto are believed only when the peer is one of the proxies the
 * admin listed (PIGEONHOLE_TRUST_PROXY), or anyone could claim any address and dodge the login limits.
 */
export function requestOrigin(trusted: readonly string[]): MiddlewareHandler {
  const proxies = new Set(trusted)
  return async (c, next) => {
    // worked out when first asked: most requests never need the peer's address
    let origin: RequestOrigin | undefined
    ;(c as unknown as Context<{ Variables: OriginVars }>).set('origin', () => (origin ??= resolve(c, proxies)))
    await next()
  }
}

/** the origin of this request (requestOrigin, which every route is behind, knows whom to believe) */
export function originOf(c: Context): RequestOrigin {
  const lazy = (c as unknown as Context<{ Variables: OriginVars }>).get('origin')
  return lazy ? lazy() : resolve(c, new Set())
}

/** Pigeonhole speaks plain HTTP: a request came over TLS only if a trusted proxy says so */
function resolve(c: Context, proxies: ReadonlySet<string>): RequestOrigin {
  const peer = nodePeerAddress(c) ?? 'unknown'
  if (!proxies.has(peer)) return { address: peer, https: false }
  // the last hop is the one the trusted proxy appended: what the client itself wrote stands before it
  const forwarded = c.req.header('x-forwarded-for')?.split(',').map((s) => s.trim()).filter(Boolean).at(-1)
  return { address: forwarded || peer, https: c.req.header('x-forwarded-proto')?.trim().toLowerCase() === 'https' }
}
