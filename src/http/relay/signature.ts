import { createHash, type KeyObject, randomBytes, sign, verify } from 'node:crypto'

/**
 * HTTP Message Signatures (RFC 9421) with Ed25519, in the one profile servers of ours speak: the signature
 * covers the method, the path, the Date header and the body's Content-Digest (RFC 9530, sha-256), and names
 * the signing server's domain as its keyid, with a nonce. Anything else is refused rather than half-understood.
 */
const COVERED = '("@method" "@path" "date" "content-digest")'
const INPUT = /^sig1=\("@method" "@path" "date" "content-digest"\);created=(\d{1,12});nonce="([A-Za-z0-9_-]{16,64})";keyid="([a-z0-9.-]{1,253})";alg="ed25519"$/
const SIGNATURE = /^sig1=:([A-Za-z0-9+/]{86}==):$/

export interface SignedParts {
  method: string
  path: string
  body: Uint8Array
}

export function contentDigest(body: Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`
}

function signatureBase(method: string, path: string, date: string, digest: string, params: string): string {
  return [`"@method": ${method.toUpperCase()}`, `"@path": ${path}`, `"date": ${date}`, `"content-digest": ${digest}`, `"@signature-params": ${params}`].join('\n')
}

/** the headers that sign a request from `keyId` (our domain) at `now` */
export function signRequest(parts: SignedParts, keyId: string, key: KeyObject, now: number, nonce = newNonce()): Record<string, string> {
  const date = new Date(now).toUTCString()
  const digest = contentDigest(parts.body)
  // Ed25519 signs deterministically: the nonce makes every request unique, so a retry is never a replay
  const params = `${COVERED};created=${Math.floor(now / 1000)};nonce="${nonce}";keyid="${keyId}";alg="ed25519"`
  const signature = sign(null, Buffer.from(signatureBase(parts.method, parts.path, date, digest, params)), key).toString('base64')
  return { Date: date, 'Content-Digest': digest, 'Signature-Input': `sig1=${params}`, Signature: `sig1=:${signature}:` }
}

export interface SignedHeaders {
  date?: string
  contentDigest?: string
  signatureInput?: string
  signature?: string
}

/** what the headers alone establish: who claims to sign, and a nonce that names this request */
export interface Claim {
  keyId: string
  nonce: string
  key: KeyObject
  h: Required<SignedHeaders>
  signature: Buffer
}

export type Checked<T> = { ok: true; value: T } | { ok: false; why: string }

/**
 * The checks that need no body, made before it is read: the profile, a keyid that is a configured peer, and the
 * freshness of `created` and Date (within `windowMs` of now). An unknown caller is refused without costing a read.
 */
export function checkClaim(h: SignedHeaders, keyFor: (keyId: string) => KeyObject | undefined, now: number, windowMs: number): Checked<Claim> {
  if (!h.signatureInput || !h.signature || !h.date || !h.contentDigest) {
    return { ok: false, why: 'the request is not signed (Signature, Signature-Input, Date and Content-Digest are required)' }
  }
  const input = INPUT.exec(h.signatureInput)
  const sig = SIGNATURE.exec(h.signature)
  if (!input || !sig) return { ok: false, why: 'the signature is not in the profile this server accepts (RFC 9421, Ed25519, over @method @path date content-digest)' }
  const [, created, nonce, keyId] = input
  const key = keyFor(keyId)
  if (!key) return { ok: false, why: `"${keyId}" is not a configured peer of this server` }
  const dateMs = Date.parse(h.date)
  if (Math.abs(Number(created) * 1000 - now) > windowMs || !(Math.abs(dateMs - now) <= windowMs)) {
    return { ok: false, why: `the request is stale or from the future (signed ${new Date(Number(created) * 1000).toISOString()}); check both servers' clocks` }
  }
  const signature = Buffer.from(sig[1], 'base64')
  // base64 has spare bits in its last character: only the one spelling of these bytes is taken
  if (signature.toString('base64') !== sig[1]) return { ok: false, why: 'the signature is not canonical base64' }
  return { ok: true, value: { keyId, nonce, key, h: h as Required<SignedHeaders>, signature } }
}

/** the checks on the body: its digest, then the signature over the request with the pinned key */
export function checkSignature(claim: Claim, method: string, path: string, body: Uint8Array): Checked<true> {
  if (claim.h.contentDigest !== contentDigest(body)) return { ok: false, why: 'the body does not match its Content-Digest' }
  const base = signatureBase(method, path, claim.h.date, claim.h.contentDigest, claim.h.signatureInput.slice('sig1='.length))
  if (!verify(null, Buffer.from(base), claim.key, claim.signature)) {
    return { ok: false, why: `the signature does not verify with the key pinned for ${claim.keyId}` }
  }
  return { ok: true, value: true }
}

const RESPONSE_INPUT = /^sig1=\("@status" "content-digest"\);created=(\d{1,12});nonce="([A-Za-z0-9_-]{16,64})";keyid="([a-z0-9.-]{1,253})";alg="ed25519"$/

function responseBase(status: number, digest: string, params: string): string {
  return [`"@status": ${status}`, `"content-digest": ${digest}`, `"@signature-params": ${params}`].join('\n')
}

/**
 * Signs an answer to a signed request, bound to it by the request's nonce: whoever sits between two servers
 * cannot answer "accepted" in the peer's name (the sender would then drop copies the peer never took).
 */
export function signResponse(status: number, body: Uint8Array, requestNonce: string, keyId: string, key: KeyObject, now: number): Record<string, string> {
  const digest = contentDigest(body)
  const params = `("@status" "content-digest");created=${Math.floor(now / 1000)};nonce="${requestNonce}";keyid="${keyId}";alg="ed25519"`
  const signature = sign(null, Buffer.from(responseBase(status, digest, params)), key).toString('base64')
  return { 'Content-Digest': digest, 'Signature-Input': `sig1=${params}`, Signature: `sig1=:${signature}:` }
}

/** checks that an answer was signed by `keyId` with its pinned key, for the request that carried `requestNonce` */
export function checkResponse(
  status: number, h: Omit<SignedHeaders, 'date'>, body: Uint8Array, expected: { keyId: string; key: KeyObject; nonce: string },
): Checked<true> {
  const input = RESPONSE_INPUT.exec(h.signatureInput ?? '')
  const sig = SIGNATURE.exec(h.signature ?? '')
  if (!input || !sig || !h.contentDigest) return { ok: false, why: `the answer is not signed by ${expected.keyId}` }
  const [, , nonce, keyId] = input
  if (keyId !== expected.keyId || nonce !== expected.nonce) return { ok: false, why: `the answer is signed for another request or by another server than ${expected.keyId}` }
  if (h.contentDigest !== contentDigest(body)) return { ok: false, why: 'the answer does not match its Content-Digest' }
  const base = responseBase(status, h.contentDigest, h.signatureInput!.slice('sig1='.length))
  if (!verify(null, Buffer.from(base), expected.key, Buffer.from(sig[1], 'base64'))) {
    return { ok: false, why: `the answer's signature does not verify with the key pinned for ${expected.keyId}` }
  }
  return { ok: true, value: true }
}

/** a request's nonce: 16 random bytes, base64url */
export function newNonce(): string {
  return randomBytes(16).toString('base64url')
}
