import { Hono } from 'hono'
import { resultOf } from './core/codes.js'
import { noSuchRoute, requestTooLarge } from './core/refusals.js'
import { storeRefusal } from './core/storage-failure.js'
import type { Core } from './core/context.js'
import { adminRoutes } from './http/admin/index.js'
import { sessionRoutes } from './http/api-sessions.js'
import { messageRoutes } from './http/api-messages.js'
import { settingsRoutes } from './http/api-settings.js'
import { presenceRoutes } from './http/api-presence.js'
import { eventRoutes } from './http/events.js'
import { cors } from './http/cors.js'
import { chatRoutes } from './http/web/index.js'
import { errorHandler, requestLog, requestSizeLimit, securityHeaders } from './http/middleware.js'
import { metricsRoutes } from './http/metrics.js'
import { answer } from './http/render.js'
import { requestOrigin } from './http/request-origin.js'
import { VERSION } from './version.js'
import { wvCspRoutes } from './http/wv-csp/route.js'
import { relayRoutes } from './http/relay/routes.js'
import type { RelayKey } from './http/relay/keys.js'
import { BATCH } from './core/relay/backlog.js'

/** the HTTP application: protocol under /api/v1, health, and the dashboard under /admin */
export interface AppOptions {
  /** how often an idle event stream gets a comment line */
  heartbeatMs?: number
  /** this server's relay key pair: answers to peers are signed with it, and /relay/v1/key shows its public half */
  relayKey?: RelayKey
}

export function createApp(core: Core, opts: AppOptions = {}): Hono {
  const app = new Hono()
  app.use('*', requestOrigin(core.config.trustProxy))
  app.use('*', securityHeaders(core.config.trustProxy.length > 0))
  app.use('*', requestLog(core.log))
  app.onError(errorHandler(core.log))

  app.get('/healthz', async (c) => {
    try {
      await core.store.checkWritable()
      return c.json({ status: 'ok', version: VERSION })
    } catch (err) {
      // the refusal's sentence names the cause (a lost database, a failing disk) without internals; not logged: probes repeat
      const reason = storeRefusal(err).message
      return c.json({ status: 'store not writable', reason, version: VERSION }, 503)
    }
  })

  app.route('/', metricsRoutes(core))

  const api = new Hono()
  if (core.config.corsOrigins.length) api.use('*', cors(core.config.corsOrigins))
  // room for a body of the largest size even if every character were JSON-escaped, plus the other fields
  const maxRequestBytes = core.config.maxBodyBytes * 6 + 64 * 1024
  api.use('*', requestSizeLimit(maxRequestBytes, (c) => {
    // the rest of the body is never read, so this connection cannot carry another request
    c.header('Connection', 'close')
    return answer(c, resultOf(requestTooLarge(maxRequestBytes)))
  }))
  api.route('/', sessionRoutes(core))
  api.route('/', messageRoutes(core))
  api.route('/', settingsRoutes(core))
  api.route('/', presenceRoutes(core))
  api.route('/', eventRoutes(core, opts.heartbeatMs))
  app.route('/api/v1', api)
  app.route('/admin', adminRoutes(core))
  app.route('/', chatRoutes(core))
  app.route('/', wvCspRoutes(core))
  // a batch as a peer of ours sends it (or one message of the largest size), every character JSON-escaped
  const maxRelayBytes = Math.max(BATCH.bytes, core.config.maxBodyBytes) * 6 + 64 * 1024
  app.use('/relay/v1/*', requestSizeLimit(maxRelayBytes, (c) => {
    c.header('Connection', 'close')
    return answer(c, resultOf(requestTooLarge(maxRelayBytes)))
  }))
  app.route('/', relayRoutes(core, opts.relayKey))
  // a mounted app's own notFound is not consulted, so the API's JSON 404 is decided here
  app.notFound((c) =>
    c.req.path.startsWith('/api/')
      ? answer(c, resultOf(noSuchRoute(c.req.method, c.req.path)))
      : c.text('Not found', 404),
  )
  return app
}
