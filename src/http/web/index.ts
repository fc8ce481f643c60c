import { createHash } from 'node:crypto'
import { Hono } from 'hono'
import type { Core } from '../../core/context.js'
import { defaultHeaders } from '../middleware.js'
import { CHAT_JS } from './client.generated.js'
import { chatPage } from './page.js'
import { CHAT_CSS } from './styles.js'

/**
 * Only this server's own script and stylesheet, no inline script or style, calls to this origin only, and no
 * HTML sink at all: Trusted Types with no policy makes innerHTML and its kin throw, so a message body can only
 * ever reach the page as text.
 */
export const CHAT_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", 'img-src data:', "connect-src 'self'",
  "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'", "require-trusted-types-for 'script'", "trusted-types 'none'",
].join('; ')

/** the page itself is small and names its assets by content, so it is revalidated and they are cached */
const pageHeaders = defaultHeaders({ 'Content-Security-Policy': CHAT_CSP, 'Cache-Control': 'no-cache' })
const assetHeaders = defaultHeaders({ 'Cache-Control': 'public, max-age=604800, immutable' })

const version = (body: string) => createHash('sha256').update(body).digest('base64url').slice(0, 10)

/** the web chat client for people, at `/`, with its two assets under /chat, all from inside the bundle */
export function chatRoutes(core: Core): Hono {
  const app = new Hono()
  const page = chatPage({
    registrationOpen: core.config.registration === 'open',
    script: `/chat/chat.js?v=${version(CHAT_JS)}`,
    stylesheet: `/chat/chat.css?v=${version(CHAT_CSS)}`,
  })
  app.get('/', pageHeaders, (c) => c.html(page))
  app.get('/chat/chat.js', assetHeaders, (c) => c.body(CHAT_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }))
  app.get('/chat/chat.css', assetHeaders, (c) => c.body(CHAT_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }))
  return app
}
