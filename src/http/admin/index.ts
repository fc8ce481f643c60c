import { Hono, type MiddlewareHandler } from 'hono'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import { ImpsError } from '../../core/codes.js'
import type { Core } from '../../core/context.js'
import { defaultHeaders } from '../middleware.js'
import { ErrorPage } from '../../../views/layout.js'
import { actionRoutes } from './actions.js'
import { assetRoutes } from './assets.js'
import { authRoutes, requireAdmin } from './auth.js'
import type { AdminEnv } from './env.js'
import { pageRoutes } from './pages.js'

/** no inline scripts or styles, nothing from elsewhere; htmx only talks to this server */
export const ADMIN_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
].join('; ')

/** the dashboard's policy replaces the API's; pages are never cached, unless an answer says otherwise (the assets) */
const adminHeaders = (): MiddlewareHandler => defaultHeaders({ 'Content-Security-Policy': ADMIN_CSP, 'Cache-Control': 'no-store' })

/** the dashboard under /admin: static assets, login, then pages and actions behind an admin session */
export function adminRoutes(core: Core): Hono<AdminEnv> {
  const admin = new Hono<AdminEnv>()
  const sessions = core.adminSessions
  admin.onError((err, c) => {
    const session = c.get('admin')
    if (err instanceof HTTPException && err.status === 403) {
      return c.html(ErrorPage({ title: 'Request refused', text: 'The request did not come from this dashboard (Origin / Sec-Fetch-Site check).', session }), 403)
    }
    if (err instanceof ImpsError && err.code === 503) {
      // the store or the database is away: nothing was changed, and the page says so (the cause goes to the log)
      core.log('admin', 'unavailable', { path: c.req.path, error: err.message, cause: err.extra.cause })
      c.header('Retry-After', '5')
      return c.html(ErrorPage({ title: 'Store unavailable', text: `${err.message}.`, session }), 503)
    }
    core.log('admin', 'error', { path: c.req.path, error: err.stack ?? String(err) })
    return c.html(ErrorPage({ title: 'Something went wrong', text: 'The server could not do that; the details are in its log.', session }), 500)
  })
  admin.use('*', adminHeaders())
  // Origin / Sec-Fetch-Site must say the form came from this site; the per-session token is checked in requireAdmin
  admin.use('*', csrf())
  admin.route('/assets', assetRoutes())
  admin.route('/', authRoutes(core, sessions))
  admin.use('*', requireAdmin(sessions))
  admin.route('/', pageRoutes(core))
  admin.route('/', actionRoutes(core))
  admin.all('*', (c) => c.html(ErrorPage({ title: 'Not found', text: 'There is no such page in the dashboard.', session: c.get('admin') }), 404))
  return admin
}
