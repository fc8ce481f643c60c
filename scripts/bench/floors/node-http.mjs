// The floor under B1: node:http parsing the same JSON and answering a send as the server does (status, body,
// the API's headers), with no framework and no store. `npm run bench:ab -- scripts/bench/floors/node-http.mjs …`
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import { answerFor, API_HEADERS } from './answers.mjs'

const server = http.createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const body = JSON.stringify(answerFor(req.url, chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {}, randomBytes))
    for (const k in API_HEADERS) res.setHeader(k, API_HEADERS[k])
    res.setHeader('Content-Type', 'application/json')
    res.setHeader('Content-Length', Buffer.byteLength(body))
    res.end(body)
  })
})
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`))
process.on('SIGTERM', () => process.exit(0))
