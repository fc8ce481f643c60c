/**
 * Everything that reaches past Hono to Node's own request and response, in one place. Each is a fast path
 * taken only under @hono/node-server (which passes them as `c.env.incoming` / `c.env.outgoing`); where they
 * are absent (`app.request()` in tests, another runtime) the caller falls back to the web-standard way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { finished } from 'node:stream'
import type { HttpBindings } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import { bodyCutOff } from '../core/refusals.js'
import type { FrameWriter } from './web-event-stream.js'

const bindings = (c: Context) => c.env as Partial<HttpBindings> | undefined

/** Node's request message, when served by @hono/node-server */
export const nodeRequest = (c: Context): IncomingMessage | undefined => bindings(c)?.incoming

/** Node's response, when served by @hono/node-server */
export const nodeResponse = (c: Context): ServerResponse | undefined => bindings(c)?.outgoing

/**
 * Headers put straight onto Node's outgoing message before the answer is made: the answer's own headers still
 * win (the adapter's writeHead merges them over these), and a later call replaces an earlier one. Setting them
 * through Hono instead would build a web Headers object for every answer (a twentieth of a send's CPU).
 */
export function setDefaultHeaders(res: ServerResponse, headers: Record<string, string>): void {
  for (const name in headers) res.setHeader(name, headers[name])
}

/**
 * A request body sent in chunks (no Content-Length), read straight from Node's message: its bytes, or
 * undefined as soon as it grows past `max` (the rest flows on unread, and the adapter drains it). Hono's
 * bodyLimit reads it through a web Request and a ReadableStream, a fifth of the CPU of a send.
 */
export function readChunkedBody(incoming: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= max) return void chunks.push(chunk)
      incoming.off('data', onData)
      stopWatching()
      resolve(undefined)
    }
    const stopWatching = finished(incoming, (err) => {
      incoming.off('data', onData)
      if (err) reject(bodyCutOff())
      else resolve(Buffer.concat(chunks, size))
    })
    incoming.on('data', onData)
  })
}

/**
 * Hands a body read here to @hono/node-server, which takes `rawBody` (the convention of hosts that read the
 * body first) for c.req.text() and friends.
 */
export function provideBody(incoming: IncomingMessage, body: Buffer): void {
  ;(incoming as IncomingMessage & { rawBody?: Buffer }).rawBody = body
}

/**
 * An event stream written straight to Node's response rather than through a web stream: an open stream then
 * costs a socket and a few small objects, which matters with a thousand of them on a Raspberry Pi.
 */
export function nodeEventStream(res: ServerResponse, headers: Record<string, string>): FrameWriter {
  res.writeHead(200, headers)
  return {
    write: (frame) => void res.write(frame),
    end: () => void res.end(),
    cut: () => void res.destroy(),
    unread: () => res.writableLength,
    drained: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done)
          res.off('close', done)
          resolve()
        }
        res.on('drain', done)
        res.on('close', done)
      }),
    onClose: (listener) => void res.once('close', listener),
  }
}

/** what a handler returns once it wrote its answer to Node's response itself (the adapter then writes nothing) */
export { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response'

/** the peer's address on Node's socket, or undefined elsewhere */
export function nodePeerAddress(c: Context): string | undefined {
  if (!nodeRequest(c)) return undefined
  return getConnInfo(c).remote.address
}
