import { Hono } from 'hono'
import type { Core } from '../core/context.js'
import { connectStream } from '../core/delivery.js'
import type { ServerEvent, Sink } from '../core/hub.js'
import type { Session } from '../core/sessions.js'
import { type ApiEnv, sessionAuth } from './middleware.js'
import { RESPONSE_ALREADY_SENT, nodeEventStream, nodeResponse } from './node-fast-path.js'
import { deliveryReport, messageInfo, messageWithBody } from './render.js'

/** a comment line this often keeps idle connections (and the proxies between) open; the protocol asks for ≤ 25 s */
export const HEARTBEAT_MS = 20_000
const MAX_UNREAD_BYTES = 4 * 1024 * 1024
/** what waits at connect is written no faster than the client reads it, this much ahead */
const BACKLOG_HIGH_WATER = 256 * 1024

const STREAM_HEADERS = { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' }

/** where an event stream's frames go: Node's response (node-fast-path.ts) or a web ReadableStream (webEventStream) */
export interface FrameWriter {
  write(frame: string): void
  end(): void
  /** drops the client (its unread frames too) */
  cut(): void
  /** bytes written that the client has not taken yet */
  unread(): number
  /** settles once the client has taken the backlog, or left */
  drained(): Promise<void>
  /** called once, when the client leaves or the stream ends */
  onClose(listener: () => void): void
}

/**
 * GET /events: the session's Server-Sent Events stream (NewMessage, MessageNotification, DeliveryReport,
 * Disconnect). Under Node it is written straight to the response; elsewhere (app.request() in tests) the same
 * frames go out as a web ReadableStream.
 */
export function eventRoutes(core: Core, heartbeatMs = HEARTBEAT_MS): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>()
  api.get('/events', sessionAuth(core, { allowQueryToken: true }), (c) => {
    const session = c.get('session')
    // HEAD (routed here with GET) learns what a stream would be, without one being opened
    if (c.req.method === 'HEAD') return c.body(null, 200, { 'Content-Type': STREAM_HEADERS['Content-Type'], 'Cache-Control': 'no-cache' })
    const res = nodeResponse(c)
    if (res) {
      openStream(core, session, nodeEventStream(res, STREAM_HEADERS), heartbeatMs)
      return RESPONSE_ALREADY_SENT
    }
    const { body, frames } = webEventStream()
    openStream(core, session, frames, heartbeatMs)
    return c.body(body, 200, STREAM_HEADERS)
  })
  return api
}

/** attaches a stream to the hub and writes it what waits, then what comes */
function openStream(core: Core, session: Session, out: FrameWriter, heartbeatMs: number): void {
  // the first bytes tell the client the stream is open, before anything waits on the store
  out.write(': connected\n\n')
  let open = true
  const sink: Sink = {
    send(e) {
      if (!open) return
      out.write(`event: ${e.event}\ndata: ${JSON.stringify(render(e))}\n\n`)
      // a client that stopped reading is cut off (its buffer dropped) rather than buffered for without end;
      // nothing is lost, since what was sent waits until confirmed and goes out again on its next stream
      if (out.unread() > MAX_UNREAD_BYTES) out.cut()
    },
    close() {
      if (open) out.end()
      finish()
    },
    ready() {
      if (!open || out.unread() < BACKLOG_HIGH_WATER) return undefined
      return out.drained()
    },
  }
  const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), heartbeatMs)
  let detach = () => {}
  const finish = () => {
    if (!open) return
    open = false
    clearInterval(heartbeat)
    detach()
  }
  out.onClose(() => sink.close())
  void connectStream(core, session, sink).then((detachFromHub) => {
    detach = detachFromHub
    if (!open) detach() // the client left while what waited was being sent
  })
}

/** the frames as a web stream of bytes, its queue (counted in bytes) standing in for Node's write buffer */
function webEventStream(): { body: ReadableStream<Uint8Array>; frames: FrameWriter } {
  const encoder = new TextEncoder()
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let closed = false
  let closeListener = () => {}
  let waiting: Array<() => void> = []
  const wake = () => {
    const resolve = waiting
    waiting = []
    for (const r of resolve) r()
  }
  const gone = () => {
    if (closed) return
    closed = true
    wake()
    closeListener()
  }
  const body = new ReadableStream<Uint8Array>(
    {
      start: (ctl) => void (controller = ctl),
      // called whenever the queue is below its high-water mark again
      pull: wake,
      cancel: gone,
    },
    new ByteLengthQueuingStrategy({ highWaterMark: BACKLOG_HIGH_WATER }),
  )
  const frames: FrameWriter = {
    write(frame) {
      if (!closed) controller.enqueue(encoder.encode(frame))
    },
    end() {
      if (closed) return
      controller.close()
      gone()
    },
    cut() {
      if (closed) return
      controller.error(new Error('the client stopped reading its event stream'))
      gone()
    },
    unread: () => (closed ? 0 : BACKLOG_HIGH_WATER - (controller.desiredSize ?? 0)),
    drained: () => (closed ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
    onClose(listener) {
      closeListener = listener
    },
  }
  return { body, frames }
}

function render(e: ServerEvent): unknown {
  switch (e.event) {
    case 'message':
      return messageWithBody(e.message)
    case 'notification':
      return { messages: e.messages.map(messageInfo) }
    case 'report':
      return deliveryReport(e.report)
    case 'session':
      return { result: e.result }
  }
}
