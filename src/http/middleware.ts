import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { ImpsError, resultOf } from '../core/codes.js'
import { internalError } from '../core/refusals.js'
import type { Core } from '../core/context.js'
import type { Session } from '../core/sessions.js'
import type { Log } from '../log.js'
import { nodeRequest, nodeResponse, provideBody, readChunkedBody, setDefaultHeaders } from './node-fast-path.js'
import { answer } from './render.js'
import { originOf } from './request-origin.js'

export type ApiEnv = { Variables: { session: Session } }

/** the token of an `Authorization: Bearer …` header */
export const bearerToken = (c: Context): string | undefined => c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1]

/** the session a bearer token names (or, where allowed, `?access_token=` for EventSource) */
export function sessionAuth(core: Core, { allowQueryToken = false } = {}): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    let token = bearerToken(c)
    if (!token && allowQueryToken) token = c.req.query('access_token')
    c.set('session', await authenticated(core, token))
    await next()
  }
}

/** the JSON door's 604: the core's sentence, with how this door carries a session */
const invalidBearerSession = () =>
  new ImpsError(604, 'Invalid session: log in and send the token you were given as "Authorization: Bearer <token>"')

/** the session (from any node), or the core's refusal with what this door expects said in its own words */
async function authenticated(core: Core, token: string | undefined): Promise<Session> {
  try {
    return await core.sessions.authenticateAnywhere(token)
  } catch (err) {
    if (err instanceof ImpsError && err.code === 604) {
      throw invalidBearerSession()
    }
    throw err
  }
}

/**
 * Refuses a body larger than `maxSize` before it is read: a body announced by Content-Length (or none at all)
 * is judged by the header alone; a chunked one is read here, counting, and handed on. Under Node both are
 * judged on Node's message (node-fast-path.ts); elsewhere Hono's bodyLimit does the same on the web Request.
 */
export function requestSizeLimit(maxSize: number, onError: (c: Context) => Response): MiddlewareHandler {
  const webLimit = bodyLimit({ maxSize, onError })
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next() // as bodyLimit: these have no body
    const incoming = nodeRequest(c)
    if (!incoming) return webLimit(c, next)
    if (c.req.header('transfer-encoding') !== undefined) {
      const body = await readChunkedBody(incoming, maxSize)
      if (body === undefined) return onError(c)
      provideBody(incoming, body)
      return next()
    }
    const length = c.req.header('content-length')
    if (length !== undefined && parseInt(length, 10) > maxSize) return onError(c)
    await next()
  }
}

/** pages (the dashboard, the chat page, health): the headers of Hono's secureHeaders() */
const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
}

/**
 * Protocol answers (JSON API, WV-CSP, relay): the headers OWASP's REST cheat sheet asks of an API. They carry
 * tokens and message bodies, so nothing may keep a copy; the rest of the page set only means something to a
 * document, and each header costs every send (a tenth of a warm send's CPU went on setting ten).
 */
const API_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
}

const API_PATHS = /^\/(api\/|imps(\/|$)|relay\/)/

/**
 * Headers every answer carries unless it sets its own; a nearer (later) use wins over an outer one. Under Node
 * they go onto Node's message before the answer is made (node-fast-path.ts); elsewhere onto the answer after.
 */
export function defaultHeaders(headers: Record<string, string>): MiddlewareHandler {
  return async (c, next) => {
    const outgoing = nodeResponse(c)
    if (outgoing) {
      setDefaultHeaders(outgoing, headers)
      return next()
    }
    await next()
    // an inner use has run this part already, so what it set stays
    for (const name in headers) if (!c.res.headers.has(name)) c.res.headers.set(name, headers[name])
  }
}

const HSTS = { 'Strict-Transport-Security': 'max-age=15552000; includeSubDomains' }

/**
 * Protocol answers get the API set, everything else the page set (pages that load scripts or styles set their
 * own policy); JSON needs no sources, so the default policy allows none. HSTS only on an answer that goes over TLS: over plain HTTP a browser ignores it, and it would tell of a TLS that is not there.
 */
export function securityHeaders(behindProxy: boolean): MiddlewareHandler {
  const forPages = headerSets(PAGE_HEADERS, behindProxy)
  const forApi = headerSets(API_HEADERS, behindProxy)
  return (c, next) => (API_PATHS.test(c.req.path) ? forApi : forPages)(c, next)
}

function headerSets(headers: Record<string, string>, behindProxy: boolean): MiddlewareHandler {
  const plain = defaultHeaders(headers)
  if (!behindProxy) return plain // nothing else can say a request came over TLS
  const secure = defaultHeaders({ ...headers, ...HSTS })
  // only a proxy's X-Forwarded-Proto can say https: without one, the origin need not be worked out
  return (c, next) => (c.req.header('x-forwarded-proto') && originOf(c).https ? secure(c, next) : plain(c, next))
}

/**
 * A log line for every request refused or failed (status ≥ 400). Successful calls are logged by the events they
 * cause (login, sent, settled), so a busy server does not write two lines per message. The query string is
 * dropped so that access tokens never reach the log.
 */
export function requestLog(log: Log): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    await next()
    if (c.res.status < 400 || c.req.path === '/healthz') return
    log('http', `${c.req.method} ${c.req.path}`, { status: c.res.status, ms: +(performance.now() - started).toFixed(1) })
  }
}

/** the one place a thrown outcome becomes an answer; anything unexpected is a 500 whose detail stays in the log */
export function errorHandler(log: Log) {
  return (err: Error, c: Context): Response => {
    if (err instanceof ImpsError) {
      const { users: _named, retryAfter, ...fields } = err.extra as { users?: string[]; retryAfter?: number }
      if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter))
      return answer(c, resultOf(err), fields)
    }
    log('http', 'error', { path: c.req.path, error: err.stack ?? String(err) })
    return answer(c, resultOf(internalError()))
  }
}

/** the client's address: the peer's, or what a trusted proxy says it is (request-origin.ts) */
export const clientAddress = (c: Context): string => originOf(c).address
