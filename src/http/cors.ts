import type { MiddlewareHandler } from 'hono'
import { nodeResponse } from './node-fast-path.js'

const ALLOW_METHODS = 'GET, POST, DELETE'
const ALLOW_HEADERS = 'Authorization, Content-Type'
/** how long a browser may reuse a preflight's answer, seconds */
const PREFLIGHT_MAX_AGE = '600'

/**
 * CORS for browser clients served from other origins (PIGEONHOLE_CORS_ORIGINS, none by default). Only a listed
 * origin gets Access-Control-* headers; a preflight from any other falls through to the API's 404, so the browser
 * refuses the call. Credentials are never allowed: the API authenticates by bearer token, not by cookie.
 * Headers go onto Node's response, as in defaultHeaders (middleware.ts), so that no real Response is built.
 */
/** registered only when origins are listed (app.ts): without any, no request pays for it */
export function cors(origins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(origins.map((o) => o.toLowerCase()))
  return async (c, next) => {
    const outgoing = nodeResponse(c)
    const set = (name: string, value: string) => (outgoing ? outgoing.setHeader(name, value) : c.header(name, value))
    // the answer depends on Origin whenever a list is configured: caches must keep them apart
    set('Vary', 'Origin')
    const origin = c.req.header('origin')
    if (!origin || !allowed.has(origin.toLowerCase())) return next()
    set('Access-Control-Allow-Origin', origin)
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined) {
      set('Access-Control-Allow-Methods', ALLOW_METHODS)
      set('Access-Control-Allow-Headers', ALLOW_HEADERS)
      set('Access-Control-Max-Age', PREFLIGHT_MAX_AGE)
      return c.body(null, 204)
    }
    set('Access-Control-Expose-Headers', 'Retry-After')
    await next()
  }
}
