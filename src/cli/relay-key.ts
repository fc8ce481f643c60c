import type { Config } from '../config.js'
import { loadOrCreateRelayKey, RelayKeyError } from '../http/relay/keys.js'
import { StartupError } from '../server.js'
import { type Args, expect } from './args.js'
import type { Io } from './commands.js'
import { COMMANDS } from './help.js'

/**
 * `pigeonhole relay key`: prints this server's relay public key (creating the key pair in the data directory
 * if the server never started there), with the peers-file entry another server pins it by.
 */
export function relayKey(config: Config, args: Args, io: Io): void {
  expect(args, { words: 0, flags: [], usage: COMMANDS['relay key'].usage })
  let publicKey: string
  try {
    publicKey = loadOrCreateRelayKey(config.dataDir).publicKey
  } catch (err) {
    throw err instanceof RelayKeyError ? new StartupError(err.message) : err
  }
  const domain = config.domain ?? 'your.domain'
  const entry = JSON.stringify({ [domain]: { url: `https://${domain}`, publicKey } }, null, 2)
  io.out(`${publicKey}\n\nThe entry for this server in a peer's PIGEONHOLE_PEERS file (put in this server's real URL):\n${entry}\n`)
  if (!config.domain) io.out('\nPIGEONHOLE_DOMAIN is not set: the relay stays off until it is.\n')
}
