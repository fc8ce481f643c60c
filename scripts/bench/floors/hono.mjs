// The floor with the framework: the same answers as node-http.mjs through Hono on @hono/node-server, the
// headers set on Node's message as the server sets them, and no store. `npm run bench:ab -- scripts/bench/floors/hono.mjs …`
import { randomBytes } from 'node:crypto'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { answerFor, API_HEADERS } from './answers.mjs'

const app = new Hono()
app.use('*', async (c, next) => {
  for (const k in API_HEADERS) c.env.outgoing.setHeader(k, API_HEADERS[k])
  return next()
})
for (const path of ['/api/v1/users', '/api/v1/login', '/api/v1/messages']) {
  app.post(path, async (c) => c.json(answerFor(path, await c.req.json(), randomBytes)))
}
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`listening on http://127.0.0.1:${info.port}`))
process.on('SIGTERM', () => process.exit(0))
