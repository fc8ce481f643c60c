import { USER_ID } from '../accounts.js'
import { invalidAddress } from '../refusals.js'

/** a DNS name, lower case: `example.org`, `b.example` */
export const DOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/

/**
 * Addresses as the core keeps them (PROTOCOL.md 10): a local user is `bob`, a user of another server is
 * `bob@other.org`. `bob@<our domain>` is written `bob`, so one person never has two names here.
 */
export function parseAddress(raw: string, ourDomain: string | undefined): string | undefined {
  const s = raw.trim().toLowerCase()
  const at = s.lastIndexOf('@')
  const local = at < 0 ? s : s.slice(0, at)
  const domain = at < 0 ? undefined : s.slice(at + 1)
  if (!USER_ID.test(local)) return undefined
  if (domain === undefined || domain === ourDomain) return local
  return DOMAIN.test(domain) ? `${local}@${domain}` : undefined
}

/** like parseAddress, but a malformed address is refused (402), naming `field` */
export function normaliseAddress(raw: string, field: string, ourDomain: string | undefined): string {
  const address = parseAddress(raw, ourDomain)
  if (address === undefined) throw invalidAddress(field, raw)
  return address
}

/** the other server's domain of a remote address; undefined for a local user */
export function remoteDomain(address: string): string | undefined {
  const at = address.indexOf('@')
  return at < 0 ? undefined : address.slice(at + 1)
}

/** the address as another server reads it: `bob` → `bob@<our domain>`; a remote address stays as it is */
export function qualify(address: string, ourDomain: string): string {
  return address.includes('@') ? address : `${address}@${ourDomain}`
}
