import { percentile } from './client.js'
import type { BenchServer } from './server.js'

/**
 * B1's shape, whatever the protocol: each sender sends on its own keep-alive connection, one request in flight,
 * taking the next message number until `messages` are sent. `send` sends message `i` and says what was wrong with
 * its answer (undefined: it was the answer expected). Timed from the first request to the last answer, with the
 * server's and this process's CPU over that time.
 */
export async function timedBurst<S>(
  server: Pick<BenchServer, 'cpuSeconds'>, senders: S[], messages: number, send: (sender: S, i: number) => Promise<string | undefined>,
): Promise<Record<string, number>> {
  const cpu0 = server.cpuSeconds()
  const own0 = process.cpuUsage()
  const latencies = new Float64Array(messages)
  let next = 0
  let failures = 0
  let firstFailure = ''
  const started = performance.now()
  await Promise.all(senders.map(async (sender) => {
    for (let i = next++; i < messages; i = next++) {
      const t0 = performance.now()
      const wrong = await send(sender, i)
      latencies[i] = performance.now() - t0
      if (wrong !== undefined) {
        failures++
        firstFailure ||= wrong.slice(0, 300)
      }
    }
  }))
  const elapsed = performance.now() - started
  const serverCpu = (server.cpuSeconds() - cpu0) / (elapsed / 1000)
  const own = process.cpuUsage(own0)
  if (failures) console.error(`  ${failures} sends failed, first: ${firstFailure}`)
  const sorted = Array.from(latencies).sort((a, b) => a - b)
  return {
    msgsPerSec: messages / (elapsed / 1000), p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99),
    serverCpu, clientCpu: (own.user + own.system) / 1000 / elapsed, serverUsPerMsg: (serverCpu * elapsed * 1000) / messages, failures,
  }
}
