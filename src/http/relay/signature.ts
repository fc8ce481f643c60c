import { createHash, type KeyObject, randomBytes, sign, verify } from 'node:crypto'

/**
 * HTTP Message Signatures (RFC 9421) with Ed25519, in the one profile servers of ours speak: the signature
 * covers the method, the path, the Date header and the body's Content-Digest (RFC 9530, sha-256), and names
 * the signing server's domain as its keyid, with a nonce. Anything else is refused rather than half-understood.
 */
const COVERED = '("@method" "@path" "date" "content-digest")'
const INPUT = /^sig1=\("@method" "@path" "date" "content-digest"\);created=(\d{1,12});nonce="[A-Za-z0-9_-]{16,64}";keyid="([a-z0-9.-]{1,253})";alg="ed25519"$/
const SIGNATURE = /^sig1=:([A-Za-z0-9+/]{86}==):$/

export interface SignedParts {
  method: string
  path: string
  body: string
}

export function contentDigest(body: string): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`
}

function signatureBase(parts: SignedParts, date: string, digest: string, params: string): string {
  return [`"@method": ${parts.method.toUpperCase()}`, `"@path": ${parts.path}`, `"date": ${date}`, `"content-digest": ${digest}`, `"@signature-params": ${params}`].join('\n')
}

/** the headers that sign a request from `keyId` (our domain) at `now` */
export function signRequest(parts: SignedParts, keyId: string, key: KeyObject, now: number): Record<string, string> {
  const date = new Date(now).toUTCString()
  const digest = contentDigest(parts.body)
  // Ed25519 signs deterministically: the nonce keeps a retry of the same batch within a second from reading as a replay
  const params = `${COVERED};created=${Math.floor(now / 1000)};nonce="${randomBytes(16).toString('base64url')}";keyid="${keyId}";alg="ed25519"`
  const signature = sign(null, Buffer.from(signatureBase(parts, date, digest, params)), key).toString('base64')
  return { Date: date, 'Content-Digest': digest, 'Signature-Input': `sig1=${params}`, Signature: `sig1=:${signature}:` }
}

export type Verified = { ok: true; keyId: string; signature: string } | { ok: false; why: string }

export interface SignedHeaders {
  date?: string
  contentDigest?: string
  signatureInput?: string
  signature?: string
}

/**
 * Checks a request's signature: the profile, the freshness of `created` and Date (within `windowMs` of now),
 * the body against its digest, and the signature against the key pinned for its keyid. Says why when not.
 */
export function verifyRequest(
  parts: SignedParts, h: SignedHeaders, keyFor: (keyId: string) => KeyObject | undefined, now: number, windowMs: number,
): Verified {
  if (!h.signatureInput || !h.signature || !h.date || !h.contentDigest) {
    return { ok: false, why: 'the request is not signed (Signature, Signature-Input, Date and Content-Digest are required)' }
  }
  const input = INPUT.exec(h.signatureInput)
  const sig = SIGNATURE.exec(h.signature)
  if (!input || !sig) return { ok: false, why: 'the signature is not in the profile this server accepts (RFC 9421, Ed25519, over @method @path date content-digest)' }
  const [, created, keyId] = input
  const key = keyFor(keyId)
  if (!key) return { ok: false, why: `"${keyId}" is not a configured peer of this server` }
  const dateMs = Date.parse(h.date)
  if (Math.abs(Number(created) * 1000 - now) > windowMs || !(Math.abs(dateMs - now) <= windowMs)) {
    return { ok: false, why: `the request is stale or from the future (signed ${new Date(Number(created) * 1000).toISOString()}); check both servers' clocks` }
  }
  if (h.contentDigest !== contentDigest(parts.body)) return { ok: false, why: 'the body does not match its Content-Digest' }
  const base = signatureBase(parts, h.date, h.contentDigest, h.signatureInput.slice('sig1='.length))
  if (!verify(null, Buffer.from(base), key, Buffer.from(sig[1], 'base64'))) {
    return { ok: false, why: `the signature does not verify with the key pinned for ${keyId}` }
  }
  return { ok: true, keyId, signature: sig[1] }
}
