import { ImpsError } from './codes.js'
import type { Core } from './context.js'

/** a store write that failed (disk full, I/O error) becomes 503 for the client; the detail goes to the log */
export function storageFailure(core: Core, err: unknown): ImpsError {
  if (err instanceof ImpsError) return err
  core.log('store', 'write_failed', { error: String(err) })
  return new ImpsError(503, 'Service unavailable: the server could not write to its store (disk full or failing); nothing was changed, try again later')
}
