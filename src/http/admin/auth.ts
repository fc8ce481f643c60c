import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { checkAdminPassword } from '../../core/admin-password.js'
import { type AdminSessions, sameToken } from '../../core/admin-sessions.js'
import { ImpsError } from '../../core/codes.js'
import type { Core } from '../../core/context.js'
import { clientAddress } from '../middleware.js'
import { originOf } from '../request-origin.js'
import { ErrorPage, LoginPage } from '../../../views/layout.js'
import { type AdminEnv, field } from './env.js'

export const ADMIN_COOKIE = 'pigeonhole_admin'
/** the dashboard's key in the per-account login throttle: not a valid user id, so it shares no count with one */
const ADMIN_THROTTLE_KEY = '#admin'

/** served over TLS (directly or behind a proxy that says so): the cookie is then Secure too */
function isHttps(c: Context): boolean {
  return originOf(c).https
}

/**
 * Only a path inside the dashboard, so that ?next= cannot send the admin elsewhere; printable ASCII without a
 * backslash, as a path read from a URL is (a control character would be refused in the Location header).
 */
function safeNext(raw: string | undefined): string {
  return raw && /^\/admin(\/[\x21-\x5b\x5d-\x7e]*)?$/.test(raw) && !raw.startsWith('/admin/login') ? raw : '/admin'
}

/** GET/POST /login and POST /logout */
export function authRoutes(core: Core, sessions: AdminSessions): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>()

  app.get('/login', async (c) => {
    if (await sessions.get(getCookie(c, ADMIN_COOKIE))) return c.redirect(safeNext(c.req.query('next')), 303)
    return c.html(LoginPage({}))
  })

  app.post('/login', async (c) => {
    const password = await field(c, 'password')
    const address = clientAddress(c)
    try {
      await core.loginGuard.check(ADMIN_THROTTLE_KEY, address)
    } catch (err) {
      if (!(err instanceof ImpsError) || err.code !== 429) throw err // a store that cannot be read is the error page's (503)
      c.header('Retry-After', String(err.extra.retryAfter))
      return c.html(LoginPage({ error: `Too many failed logins. Try again in ${err.extra.retryAfter} seconds.` }), 429)
    }
    if (!(await checkAdminPassword(core, password))) {
      await core.loginGuard.failed(ADMIN_THROTTLE_KEY, address)
      core.log('admin', 'login_failed', { address })
      return c.html(LoginPage({ error: 'Wrong password.' }), 401)
    }
    await core.loginGuard.succeeded(ADMIN_THROTTLE_KEY, address)
    const s = await sessions.create()
    setCookie(c, ADMIN_COOKIE, s.token, {
      path: '/admin', httpOnly: true, sameSite: 'Strict', secure: isHttps(c), maxAge: 7 * 86_400,
    })
    core.log('admin', 'login', {})
    return c.redirect(safeNext(c.req.query('next')), 303)
  })

  app.post('/logout', async (c) => {
    const token = getCookie(c, ADMIN_COOKIE)
    const s = await sessions.get(token)
    // logging out needs the CSRF token too, or another site could log the admin out
    if (s && sameToken(c.req.header('x-csrf-token') ?? (await field(c, '_csrf')), s.csrf)) {
      await sessions.end(token)
      core.log('admin', 'logout', {})
    }
    deleteCookie(c, ADMIN_COOKIE, { path: '/admin', secure: isHttps(c) })
    return c.redirect('/admin/login', 303)
  })

  return app
}

/**
 * Every other dashboard route: a live admin session (else the login page, or HX-Redirect for htmx),
 * and on every state-changing request the session's CSRF token, as the X-CSRF-Token header (htmx) or
 * the _csrf form field. Hono's csrf() has already checked Origin / Sec-Fetch-Site by then.
 */
export function requireAdmin(sessions: AdminSessions): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const s = await sessions.get(getCookie(c, ADMIN_COOKIE))
    if (!s) {
      const login = c.req.method === 'GET' ? `/admin/login?next=${encodeURIComponent(new URL(c.req.url).pathname)}` : '/admin/login'
      if (c.req.header('hx-request')) {
        c.header('HX-Redirect', login)
        return c.body(null, 401)
      }
      return c.redirect(login, 303)
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const token = c.req.header('x-csrf-token') ?? (await field(c, '_csrf'))
      if (!sameToken(token, s.csrf)) {
        return c.html(ErrorPage({ title: 'Form refused', text: 'This form carried no valid CSRF token (it may be from an old page, or from another site). Reload the page and try again.', session: s }), 403)
      }
    }
    c.set('admin', s)
    const flash = s.flash
    await next()
    // a notice set for the next page, or shown and gone, is kept where every node sees it
    if (s.flash !== flash) await sessions.save(s)
  }
}
