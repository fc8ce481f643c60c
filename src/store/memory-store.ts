import { Box } from './box.js'
import { BoxStore } from './box-store.js'
import type { StoreStats } from './store.js'

/** The in-memory twin of the lowdb store: same behaviour, nothing on disk. For tests and throwaway servers. */
export class MemoryStore extends BoxStore {
  readonly #boxes = new Map<string, Box>()

  protected async loadBox(user: string): Promise<void> {
    if (!this.#boxes.has(user)) this.#boxes.set(user, new Box(user))
  }

  protected cachedBox(user: string): Box | undefined {
    return this.#boxes.get(user)
  }

  protected touch(): void {}

  protected async persist(): Promise<void> {}

  protected async saveAccounts(): Promise<void> {}

  stats(): StoreStats {
    return { users: this.listUsers().length, ...this.tally.totals(), diskBytes: 0 }
  }

  async checkWritable(): Promise<void> {}

  async close(): Promise<void> {}
}
