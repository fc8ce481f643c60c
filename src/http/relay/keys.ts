import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs'
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { join } from 'node:path'
import type { Log } from '../../log.js'
import type { Store } from '../../store/store.js'

export const KEY_FILE = 'relay-key.pem'

export interface RelayKey {
  privateKey: KeyObject
  /** the public half as peers pin it: the 32 raw bytes in base64 */
  publicKey: string
}

/** why the key file cannot be used, in one sentence */
export class RelayKeyError extends Error {}

/**
 * This server's Ed25519 key pair, from `relay-key.pem` in the data directory; created there at first start
 * (mode 0600, written and synced before use, never replaced: peers have pinned its public half).
 */
export function loadOrCreateRelayKey(dataDir: string): RelayKey {
  const path = join(dataDir, KEY_FILE)
  let pem: string
  try {
    pem = readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new RelayKeyError(`cannot read the relay key ${path}: ${(err as NodeJS.ErrnoException).code}`)
    pem = createKeyFile(dataDir, path)
  }
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey(pem)
  } catch {
    throw new RelayKeyError(`the relay key ${path} is not a PEM private key; restore it from a backup (peers have pinned its public key)`)
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new RelayKeyError(`the relay key ${path} is not an Ed25519 key`)
  return { privateKey, publicKey: publicKeyText(createPublicKey(privateKey)) }
}

/** the public key a peers file names, as a key object */
export function pinnedKey(base64: string): KeyObject {
  const x = Buffer.from(base64, 'base64').toString('base64url')
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' })
}

function publicKeyText(key: KeyObject): string {
  return Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url').toString('base64')
}

function createKeyFile(dataDir: string, path: string): string {
  mkdirSync(dataDir, { recursive: true })
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  // 'wx': two processes starting at once cannot both write one; the loser reads the winner's
  let fd: number
  try {
    fd = openSync(path, 'wx', 0o600)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path, 'utf8')
    throw new RelayKeyError(`cannot create the relay key ${path}: ${(err as NodeJS.ErrnoException).code}`)
  }
  try {
    writeSync(fd, pem)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  return pem
}

/**
 * Peers pin one key per domain, so every node of a shared database must sign with the same one: the first node
 * records its public key in the store, and a node with another one says so (its relay requests would be refused).
 */
export async function checkSharedRelayKey(store: Store, key: RelayKey, log: Log): Promise<void> {
  const recorded = await store.getMeta(RELAY_PUBLIC_KEY).catch(() => undefined)
  if (recorded === undefined) await store.putMeta(RELAY_PUBLIC_KEY, key.publicKey).catch(() => {}) // told again at the next start
  else if (recorded !== key.publicKey) {
    log('relay', 'key_differs', {
      error: `this node's relay key (${key.publicKey}) is not the one peers know this server by (${recorded}): copy relay-key.pem from a node that has it into this node's data directory`,
    })
  }
}
const RELAY_PUBLIC_KEY = 'relay-public-key'
