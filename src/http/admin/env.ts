import type { Context } from 'hono'
import type { AdminSession } from '../../core/admin-sessions.js'

export type AdminEnv = { Variables: { admin: AdminSession } }
export type AdminContext = Context<AdminEnv>

/** a form field as a trimmed string ('' when absent or a file) */
export async function field(c: Context, name: string): Promise<string> {
  // The dashboard's forms are URL-encoded: URLSearchParams reads their fields straight from the text, without
  // the web FormData that Hono's parseBody would build.
  if (c.req.header('content-type')?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return new URLSearchParams(await c.req.text()).getAll(name).at(-1)?.trim() ?? '' // the last, as parseBody
  }
  const body = await c.req.parseBody()
  const v = body[name]
  return typeof v === 'string' ? v.trim() : ''
}

/** sets the one-time notice and goes to `url` (POST → 303 → GET) */
export function done(c: AdminContext, url: string, kind: 'ok' | 'error', text: string): Response {
  c.get('admin').flash = { kind, text }
  return c.redirect(url, 303)
}

/** a whole number from a query string value, or the fallback */
export function intParam(raw: string | undefined, fallback: number): number {
  return raw && /^\d{1,9}$/.test(raw) ? Number(raw) : fallback
}

export const userUrl = (id: string) => `/admin/users/${encodeURIComponent(id)}`
