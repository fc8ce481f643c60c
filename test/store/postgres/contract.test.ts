import { describe, it } from 'node:test'
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js'
import { postgresSkipReason, useTestCluster } from '../../support/postgres.js'
import { storeContract } from '../contract/store-contract.js'

/** The Store contract on PostgreSQL: each case on a fresh database of this file's throwaway cluster. */
const skip = postgresSkipReason()
const cluster = useTestCluster()
if (skip) {
  describe('Store contract: PostgresStore', () => it('runs on PostgreSQL', { skip }, () => {}))
} else {
  storeContract('PostgresStore', async () => {
    const url = await (await cluster()).createDatabase()
    const store = await PostgresStore.open(url)
    return { store, reopen: async () => (await store.close(), PostgresStore.open(url)) }
  })
}
