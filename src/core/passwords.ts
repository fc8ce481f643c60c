import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>
/**
 * 2 MiB (128·r·N) per hash, the p=8 lanes run one after another: the same CPU per guess as the former
 * N=16384, p=1 (~45 ms), a trade OWASP's scrypt table makes (memory × p constant). Why: each hash runs on
 * one of libuv's 4 worker threads, and once glibc has freed a block of 16 MiB it serves blocks that size
 * from the thread's arena and keeps them when freed: 4 × 16 MiB stayed resident for good after the first
 * logins. With 2 MiB blocks it keeps 4 × ~2 MiB (RSS after the bench's B1: 166 → 110 MB; see
 * scripts/measure-kdf-memory.ts). Hashes made with other parameters keep verifying with their own.
 */
const PARAMS = { N: 2048, r: 8, p: 8 }
const KEY_LENGTH = 32

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const hash = await scryptAsync(password, salt, KEY_LENGTH, PARAMS)
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), hash.toString('base64url')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, N, r, p, salt, hash] = stored.split('$')
  if (kind !== 'scrypt') return false
  const expected = Buffer.from(hash, 'base64url')
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(N), r: Number(r), p: Number(p),
  })
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** true when a stored hash was not made with today's parameters: after a successful login, hash the password again */
export function needsRehash(stored: string): boolean {
  const [kind, N, r, p] = stored.split('$')
  return kind !== 'scrypt' || Number(N) !== PARAMS.N || Number(r) !== PARAMS.r || Number(p) !== PARAMS.p
}

/** checked against when the user does not exist, so that a wrong name costs as long as a wrong password (same parameters as new hashes) */
export const DECOY_HASH = `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`

export function generatePassword(): string {
  return randomBytes(15).toString('base64url')
}
