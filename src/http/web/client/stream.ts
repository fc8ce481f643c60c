import type { Presence } from './contacts.js'
import type { Incoming, Report } from './conversation.js'
import type { Ctx } from './ctx.js'

/** how long to wait before opening a stream again that the server refused or dropped for good */
const RETRY_MS = 3000

/**
 * The session's event stream (PROTOCOL.md 4): messages, delivery reports, presence, the session's end.
 * EventSource cannot send headers, so the token travels as ?access_token= (never logged by the server).
 * Returns the function that closes it for good.
 */
export function openStream(ctx: Ctx, onOpen: () => void): () => void {
  let source: EventSource | undefined
  let closed = false
  let retry: ReturnType<typeof setTimeout> | undefined
  const status = document.getElementById('connection')!
  const data = (e: Event) => JSON.parse((e as MessageEvent<string>).data)

  const connect = () => {
    if (closed || !ctx.live()) return
    const es = new EventSource(`/api/v1/events?access_token=${encodeURIComponent(ctx.api.token ?? '')}`)
    source = es
    es.onopen = () => {
      status.textContent = ''
      onOpen()
    }
    es.onerror = () => {
      if (closed) return
      status.textContent = 'Reconnecting…'
      // EventSource retries a dropped stream by itself; a refused one (a dead session, a restart) it gives up on
      if (es.readyState === EventSource.CLOSED) void recheck()
    }
    es.addEventListener('message', (e) => ctx.conversation.receive(data(e) as Incoming))
    es.addEventListener('report', (e) => ctx.conversation.settle(data(e) as Report))
    es.addEventListener('presence', (e) => {
      ctx.contacts.applyPresence((data(e) as { presence: Presence[] }).presence)
      ctx.refresh()
    })
    es.addEventListener('session', (e) => {
      close()
      ctx.api.onSessionGone((data(e) as { result: { code: number; text: string } }).result)
    })
  }

  /** a call tells whether the session is gone (then the page goes back to the login form) or the server was away */
  const recheck = async () => {
    await ctx.api.post('/keepalive')
    if (!closed && ctx.live()) retry = setTimeout(connect, RETRY_MS)
  }

  const close = () => {
    closed = true
    clearTimeout(retry)
    source?.close()
  }
  connect()
  return close
}
