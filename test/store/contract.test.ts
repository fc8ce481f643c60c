import { LowdbStore } from '../../src/store/embedded/lowdb-store.js'
import { MemoryStore } from '../../src/store/memory/memory-store.js'
import { tempDir } from '../support/temp.js'
import { storeContract } from './contract/store-contract.js'

storeContract('MemoryStore', async () => ({ store: new MemoryStore() }))

storeContract('LowdbStore (embedded)', async () => {
  const dir = tempDir('pigeonhole-store-')
  const store = await LowdbStore.open(dir)
  return { store, reopen: async () => (await store.close(), LowdbStore.open(dir)) }
})
