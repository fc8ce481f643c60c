import type { IncomingMessage } from 'node:http'
import { finished } from 'node:stream'
import { ImpsError } from '../core/codes.js'

/**
 * A request body sent in chunks (no Content-Length), read straight from Node's message: its bytes, or
 * undefined as soon as it grows past `max` (the rest flows on unread, and the adapter drains it). Hono's
 * bodyLimit would read it through a web Request and a ReadableStream, a fifth of the CPU of a send.
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
      if (err) reject(new ImpsError(400, 'Bad request: the body was cut off before its end'))
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
