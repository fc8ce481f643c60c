import { ImpsError } from './codes.js'
import type { Core } from './context.js'
import { storeUnavailable } from './refusals.js'

/** a store's failure as the client hears it: its own refusal (a lost database), else 503 "could not write to its store" */
export function storeRefusal(err: unknown): ImpsError {
  return err instanceof ImpsError ? err : storeUnavailable()
}

/** a store write that failed (disk full, I/O error, lost database) becomes 503 for the client; the detail goes to the log */
export function storageFailure(core: Core, err: unknown): ImpsError {
  if (!(err instanceof ImpsError)) core.log('store', 'write_failed', { error: String(err) })
  return storeRefusal(err)
}

/** runs a store write; a failure becomes 503 with nothing changed */
export async function writing<T>(core: Core, write: Promise<T>): Promise<T> {
  try {
    return await write
  } catch (err) {
    throw storageFailure(core, err)
  }
}
