import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Config, defaultConfig } from '../../src/config.js'
import { createUser } from '../../src/core/accounts.js'
import { FakeClock } from '../../src/core/clock.js'
import { type RunningServer, startServer } from '../../src/server.js'
import type { LowdbStoreOptions } from '../../src/store/embedded/lowdb-store.js'
import type { Log } from '../../src/log.js'
import { Client } from './client.js'

/** A real server on port 0 with a temp data dir and a clock the test moves. */
export class TestServer {
  readonly clients: Client[] = []
  private constructor(
    readonly server: RunningServer,
    readonly clock: FakeClock,
    readonly dataDir: string,
    readonly config: Config,
  ) {}

  static async start(
    overrides: Partial<Config> = {},
    opts: { dataDir?: string; clock?: FakeClock; storeOptions?: LowdbStoreOptions; log?: Log; heartbeatMs?: number } = {},
  ): Promise<TestServer> {
    const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'pigeonhole-test-'))
    const config: Config = { ...defaultConfig(), host: '127.0.0.1', port: 0, cirPort: 0, dataDir, ...overrides }
    const clock = opts.clock ?? new FakeClock()
    const server = await startServer({ config, clock, sweepIntervalMs: 3_600_000, storeOptions: opts.storeOptions, log: opts.log, heartbeatMs: opts.heartbeatMs })
    return new TestServer(server, clock, dataDir, config)
  }

  get url(): string {
    return this.server.url
  }

  /** creates accounts (password `<name>-password`) and returns a client for each */
  async users(...names: string[]): Promise<Client[]> {
    const out: Client[] = []
    for (const name of names) {
      await createUser(this.server.core, name, `${name}-password`)
      out.push(this.client(name))
    }
    return out
  }

  client(name: string): Client {
    const c = new Client(this.url, name)
    this.clients.push(c)
    return c
  }

  /** stops the server, keeping the data dir (for restarts) */
  async stop(): Promise<void> {
    for (const c of this.clients) c.closeStreams()
    await this.server.close()
  }

  /** a new server on the same data dir and clock */
  async restart(overrides: Partial<Config> = {}): Promise<TestServer> {
    await this.stop()
    return TestServer.start({ ...this.config, port: 0, ...overrides }, { dataDir: this.dataDir, clock: this.clock })
  }

  async destroy(): Promise<void> {
    await this.stop()
    rmSync(this.dataDir, { recursive: true, force: true })
  }
}
