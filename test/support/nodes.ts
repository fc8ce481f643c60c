import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before } from 'node:test'
import type { TestCluster } from './postgres.js'
import { ensureBundle, exited, type ServerProcess, startProcess } from './process.js'

export interface TwoNodes {
  url: string
  node1: ServerProcess
  node2: ServerProcess
}

/**
 * Two bundle processes, node1 and node2, on one fresh database of the file's throwaway cluster, started before
 * the file's tests and killed after them. `env` adds settings to both. The returned object is filled in `before`.
 */
export function useTwoNodes(cluster: () => Promise<TestCluster>, env: Record<string, string> = {}): TwoNodes {
  const nodes = {} as TwoNodes
  const dirs: string[] = []
  const start = (node: string) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pigeonhole-node-'))
    dirs.push(dataDir)
    return startProcess([ensureBundle()], {
      PIGEONHOLE_PORT: '0', PIGEONHOLE_DATA_DIR: dataDir, PIGEONHOLE_REGISTRATION: 'open', PIGEONHOLE_CIR_PORT: 'off',
      PIGEONHOLE_DATABASE_URL: nodes.url, PIGEONHOLE_DATABASE_POOL: '4', PIGEONHOLE_NODE_ID: node, PIGEONHOLE_NODE_HEARTBEAT: '1', ...env,
    })
  }
  before(async () => {
    nodes.url = await (await cluster()).createDatabase()
    nodes.node1 = await start('node1')
    nodes.node2 = await start('node2')
  })
  after(async () => {
    for (const n of [nodes.node1, nodes.node2]) {
      n?.child.kill('SIGKILL')
      if (n) await exited(n.child)
    }
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })
  return nodes
}
