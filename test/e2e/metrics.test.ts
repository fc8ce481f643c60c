import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { TestServer } from '../support/server.js'

const TOKEN = 'scrape-me-please-0123456789'

/** the samples of a Prometheus text answer, as "name{labels}" → value; throws on a line that is not one */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue
    const m = /^([a-z_]+(?:\{[^}]*\})?) (-?[\d.e+-]+|\+Inf)$/.exec(line)
    assert.ok(m, `not a sample line: ${line}`)
    samples.set(m[1], Number(m[2]))
  }
  return samples
}

describe('GET /metrics', () => {
  let srv: TestServer
  afterEach(() => srv.destroy())

  it('is off unless a token is configured', async () => {
    srv = await TestServer.start()
    assert.equal((await fetch(`${srv.url}/metrics`)).status, 404)
  })

  it('refuses a scraper without the token, and gives one with it counts it can parse', async () => {
    srv = await TestServer.start({ metricsToken: TOKEN })
    const [alice, bob] = await srv.users('alice', 'bob')
    await alice.login()
    const sent = await alice.send(['bob', 'nobody'], 'hello', { deliveryReport: true })
    await bob.login()
    await bob.post(`/messages/${sent.body.messageId}/delivered`)

    const refused = await fetch(`${srv.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })
    assert.deepEqual([refused.status, refused.headers.get('www-authenticate')], [401, 'Bearer realm="pigeonhole metrics"'])
    const res = await fetch(`${srv.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
    const m = parse(await res.text())
    assert.equal(m.get('pigeonhole_sessions{door="json"}'), 2)
    assert.equal(m.get('pigeonhole_sends_total{code="202"}'), 1)
    assert.equal(m.get('pigeonhole_sends_total{code="531"}'), 1)
    assert.equal(m.get('pigeonhole_settled_total{code="200"}'), 1)
    assert.equal(m.get('pigeonhole_reports_total{code="200"}'), 1)
    assert.equal(m.get('pigeonhole_messages_waiting'), 0)
    assert.equal(m.get('pigeonhole_users'), 2)
    const commits = m.get('pigeonhole_journal_commit_seconds_count')!
    assert.ok(commits >= 2, 'the send and the confirm were each written')
    assert.equal(m.get('pigeonhole_journal_commit_seconds_bucket{le="+Inf"}'), commits)
    const rss = m.get('process_resident_memory_bytes')!
    assert.ok(rss > 10 * 1024 * 1024 && rss < 4 * 1024 ** 3, 'the process\'s memory, for a graph of it')
    assert.ok(m.get('nodejs_heap_used_bytes')! <= m.get('nodejs_heap_total_bytes')!)
  })
})
