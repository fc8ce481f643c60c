import { Hono } from 'hono'
import { ADMIN_CSS } from '../../../views/styles.js'
import { HTMX_JS, HTMX_VERSION } from '../assets/htmx.generated.js'

/**
 * The dashboard's two static files, from inside the bundle. htmx is the 2.0.x line (the stable one, with
 * most examples and docs); 4.x is a rewrite with different inheritance and event names.
 */
export function assetRoutes(): Hono {
  const app = new Hono()
  const serve = (body: string, type: string) => () =>
    new Response(body, {
      headers: { 'content-type': type, 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' },
    })
  app.get('/htmx.min.js', serve(HTMX_JS, 'text/javascript; charset=utf-8'))
  app.get('/admin.css', serve(ADMIN_CSS, 'text/css; charset=utf-8'))
  return app
}

export { HTMX_VERSION }
