import { readFileSync } from 'node:fs'
import { DOMAIN } from './core/relay/address.js'

/** one other server this one relays to and accepts relayed messages from (PROTOCOL.md 10) */
export interface Peer {
  domain: string
  /** where its /relay/v1 answers, `https://other.org` */
  url: string
  /** its Ed25519 public key, the 32 raw bytes in base64, pinned here */
  publicKey: string
}

/** why a peers file cannot be used, in one sentence */
export class PeersFileError extends Error {}

/**
 * Reads `{"other.org": {"url": "https://other.org", "publicKey": "…"}, …}`. Every problem names the peer and
 * the field, so an admin can mend the file from the message alone.
 */
export function readPeersFile(path: string): Peer[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new PeersFileError(`names a file that cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} (${path})`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new PeersFileError(`names a file that is not JSON (${(err as Error).message}): ${path}`)
  }
  if (!isObject(parsed)) throw new PeersFileError(`must hold a JSON object of peers, like {"other.org": {"url": "https://other.org", "publicKey": "…"}}: ${path}`)
  const peers = Object.entries(parsed).map(([domain, entry]) => peerOf(domain, entry))
  const twice = peers.find((p, i) => peers.findIndex((q) => q.domain === p.domain) !== i)
  if (twice) throw new PeersFileError(`names the peer "${twice.domain}" twice (domains are not case-sensitive): ${path}`)
  return peers
}

function peerOf(rawDomain: string, entry: unknown): Peer {
  const domain = rawDomain.toLowerCase()
  const where = `peer "${rawDomain.slice(0, 80)}"`
  if (!DOMAIN.test(domain)) throw new PeersFileError(`${where}: the key must be a domain name like other.org`)
  if (!isObject(entry)) throw new PeersFileError(`${where}: expected {"url": …, "publicKey": …}`)
  const { url, publicKey } = entry
  if (typeof url !== 'string' || !isHttpUrl(url)) throw new PeersFileError(`${where}: "url" must be an http(s) URL like https://other.org:8080`)
  if (typeof publicKey !== 'string' || !isEd25519Key(publicKey)) {
    throw new PeersFileError(`${where}: "publicKey" must be the peer's Ed25519 public key as its \`pigeonhole relay key\` prints it (44 characters of base64)`)
  }
  return { domain, url: url.replace(/\/+$/, ''), publicKey: publicKey.trim() }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function isHttpUrl(raw: string): boolean {
  try {
    const u = new URL(raw)
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.search && !u.hash && !u.username
  } catch {
    return false
  }
}

function isEd25519Key(raw: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(raw.trim()) && Buffer.from(raw.trim(), 'base64').length === 32
}
