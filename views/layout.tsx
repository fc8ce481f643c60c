import type { Child } from 'hono/jsx'
import { raw } from 'hono/html'
import type { AdminSession } from '../src/core/admin-sessions.js'
import { Csrf } from './components.js'

// htmx may not eval, inject <style> or run scripts from swapped fragments: the CSP allows none of that anyway
const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false, historyCacheSize: 0 })

const NAV = [
  { href: '/admin', label: 'Overview', key: 'overview' },
  { href: '/admin/users', label: 'Users', key: 'users' },
  { href: '/admin/reports', label: 'Reports', key: 'reports' },
  { href: '/admin/settings', label: 'Settings', key: 'settings' },
] as const

export type NavKey = (typeof NAV)[number]['key'] | 'none'

function Head(props: { title: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="htmx-config" content={HTMX_CONFIG} />
      <meta name="referrer" content="same-origin" />
      <title>{props.title} · Pigeonhole admin</title>
      <link rel="icon" href="data:," />
      <link rel="stylesheet" href="/admin/assets/admin.css" />
      <script src="/admin/assets/htmx.min.js" defer></script>
    </head>
  )
}

/** every dashboard page: navigation, the one-time notice, and the CSRF token htmx sends as a header */
export function Layout(props: { title: string; nav: NavKey; session: AdminSession; children: Child }) {
  const flash = props.session.flash
  props.session.flash = undefined
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <Head title={props.title} />
        <body hx-headers={JSON.stringify({ 'X-CSRF-Token': props.session.csrf })}>
          <header class="top">
            <a class="brand" href="/admin">Pigeonhole</a>
            <nav>
              {NAV.map((n) => (
                <a href={n.href} class={n.key === props.nav ? 'active' : undefined} aria-current={n.key === props.nav ? 'page' : undefined}>
                  {n.label}
                </a>
              ))}
            </nav>
            <form method="post" action="/admin/logout" class="logout">
              <Csrf token={props.session.csrf} />
              <button type="submit" class="link">Log out</button>
            </form>
          </header>
          <main>
            {flash ? <div class={`flash ${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>{flash.text}</div> : null}
            {props.children}
          </main>
        </body>
      </html>
    </>
  )
}

/** pages shown before login (the login form, errors for a stranger) */
export function Bare(props: { title: string; children: Child }) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <Head title={props.title} />
        <body class="bare">
          <main>{props.children}</main>
        </body>
      </html>
    </>
  )
}

export function LoginPage(props: { error?: string }) {
  return (
    <Bare title="Log in">
      <form method="post" action="/admin/login" class="card login">
        <h1>Pigeonhole admin</h1>
        {props.error ? <div class="flash error" role="alert">{props.error}</div> : null}
        <label>
          Password
          <input type="password" name="password" autocomplete="current-password" required autofocus />
        </label>
        <button type="submit">Log in</button>
        <p class="hint">The password was printed once when the server first started, or set with PIGEONHOLE_ADMIN_PASSWORD.</p>
      </form>
    </Bare>
  )
}

export function ErrorPage(props: { title: string; text: string; session?: AdminSession; back?: string }) {
  const body = (
    <section class="card error-page">
      <h1>{props.title}</h1>
      <p>{props.text}</p>
      <p><a href={props.back ?? '/admin'}>← Back</a></p>
    </section>
  )
  return props.session ? <Layout title={props.title} nav="none" session={props.session}>{body}</Layout> : <Bare title={props.title}>{body}</Bare>
}
