import { mkdtempSync } from 'node:fs'
import { after, before } from 'node:test'
import { freePort } from './free-port.js'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Config } from '../../src/config.js'
import { loadOrCreateRelayKey } from '../../src/http/relay/keys.js'
import { TestServer } from './server.js'


/** what one server of a relaying pair needs before it starts: its domain, data dir, port and public key */
export interface PeerSide {
  domain: string
  dataDir: string
  port: number
  publicKey: string
  url: string
}

export async function peerSide(domain: string): Promise<PeerSide> {
  const dataDir = mkdtempSync(join(tmpdir(), `pigeonhole-${domain}-`))
  const port = await freePort()
  return { domain, dataDir, port, publicKey: loadOrCreateRelayKey(dataDir).publicKey, url: `http://127.0.0.1:${port}` }
}

/** the configuration of `side`, relaying with `others` */
export function relayConfig(side: PeerSide, others: PeerSide[], extra: Partial<Config> = {}): Partial<Config> {
  return {
    domain: side.domain, port: side.port, relayRetryMinMs: 50, relayRetryMaxMs: 200,
    peers: others.map((o) => ({ domain: o.domain, url: o.url, publicKey: o.publicKey })), ...extra,
  }
}

/** two real servers on loopback, a.example and b.example, each pinning the other's key */
export async function startPair(extraA: Partial<Config> = {}, extraB: Partial<Config> = {}): Promise<{ a: TestServer; b: TestServer; sides: [PeerSide, PeerSide] }> {
  const [sa, sb] = [await peerSide('a.example'), await peerSide('b.example')]
  const a = await TestServer.start(relayConfig(sa, [sb], extraA), { dataDir: sa.dataDir })
  const b = await TestServer.start(relayConfig(sb, [sa], extraB), { dataDir: sb.dataDir })
  return { a, b, sides: [sa, sb] }
}

export type Pair = Awaited<ReturnType<typeof startPair>>

/** a pair started before the file's tests and destroyed after them (each apart: one failing leaks not the other) */
export function usePair(extraA: Partial<Config> = {}, extraB: Partial<Config> = {}): Pair {
  const pair = {} as Pair
  before(async () => void Object.assign(pair, await startPair(extraA, extraB)))
  after(async () => {
    await pair.a?.destroy()
    await pair.b?.destroy()
  })
  return pair
}

/** lets each server's relay finish what it hands over, a few rounds, as answers and reports go back and forth */
export async function relaysSettled(...servers: TestServer[]): Promise<void> {
  for (let round = 0; round < 3; round++) for (const s of servers) await s.server.core.relay!.idle()
}
