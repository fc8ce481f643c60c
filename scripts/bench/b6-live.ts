import { EventStream, percentile } from './client.js'
import { register } from './scenarios.js'
import type { BenchServer } from './server.js'

/**
 * B6's cross-node figure (and the relay's R2): bob holds a push stream on the second server, alice on the first
 * sends one message at a time, to `address` as the first server names him; timed from her send to his event
 * (between nodes the hint travels node 1 → database → node 2, which reads the copy and pushes it). The first
 * `warmUp` are not counted; a message that does not arrive within 5 s counts as a failure.
 */
export async function crossNodeLatency(
  nodes: BenchServer[], samples = 300, warmUp = 20, address = 'xnode-bob',
): Promise<{ liveP50Ms: number; liveP99Ms: number; liveFailures: number }> {
  const [alice] = await register(nodes[0], ['xnode-alice'])
  const [bob] = await register(nodes[1], ['xnode-bob'])
  await alice.login()
  await bob.login('push')
  let arrived: ((at: number) => void) | undefined
  const stream = await EventStream.open(bob, (event, _data, at) => {
    if (event === 'message') arrived?.(at)
  })
  const times: number[] = []
  let failures = 0
  try {
    for (let i = 0; i < samples + warmUp; i++) {
      let timer: NodeJS.Timeout | undefined
      const got = new Promise<number | undefined>((resolve) => {
        arrived = resolve
        timer = setTimeout(() => resolve(undefined), 5000)
      })
      const t0 = performance.now()
      await alice.call('POST', '/messages', { to: [address], body: `across the nodes ${i}` })
      const at = await got
      clearTimeout(timer)
      if (at === undefined) failures++
      else if (i >= warmUp) times.push(at - t0)
    }
  } finally {
    stream.close()
    alice.close()
    bob.close()
  }
  times.sort((x, y) => x - y)
  return { liveP50Ms: percentile(times, 0.5), liveP99Ms: percentile(times, 0.99), liveFailures: failures }
}
