import { USER_ID } from '../../core/accounts.js'
import { parseAddress } from '../../core/relay/address.js'

/**
 * User and contact-list ids as WV-CSP writes them (PROTOCOL.md 9): `wv:alice`, `wv:alice@domain` and `alice`
 * name the local user alice, case-insensitively. With a domain configured, an id naming another domain is not
 * a local user (`address` reads it as a relay recipient); without one, `user` does not check the domain part. Written back as
 * `wv:alice@domain` when a domain is configured, else `wv:alice`; lists as `wv:alice/name@domain`.
 */
export class Ids {
  constructor(readonly domain: string | undefined) {}

  /** the local user id, or undefined when the id is malformed or names another domain */
  user(raw: string): string | undefined {
    const { local } = this.#split(raw)
    if (local === undefined) return undefined
    const id = local.toLowerCase()
    return USER_ID.test(id) ? id : undefined
  }

  /**
   * A recipient or a blocked sender: the local user id, or a user of another server (`wv:bob@other.org` →
   * `bob@other.org`, relayed when that server is a peer: PROTOCOL.md 10). Undefined when malformed.
   */
  address(raw: string): string | undefined {
    // without a domain of our own there is no relay, and phones' domain parts are not checked (as in `user`)
    return this.domain ? parseAddress(raw.trim().replace(/^wv:/i, ''), this.domain) : this.user(raw)
  }

  /** `alice` → `wv:alice@domain`; a user of another server keeps their domain (`wv:bob@other.org`) */
  writeUser(id: string): string {
    if (id.includes('@')) return `wv:${id}`
    return this.domain ? `wv:${id}@${this.domain}` : `wv:${id}`
  }

  /** `wv:alice/Default@domain` → { owner: 'alice', name: 'Default' } (the name as written; core lower-cases it) */
  list(raw: string): { owner: string; name: string } | undefined {
    const { local } = this.#split(raw)
    const slash = local?.indexOf('/') ?? -1
    if (local === undefined || slash < 0) return undefined
    const owner = local.slice(0, slash).toLowerCase()
    const name = local.slice(slash + 1)
    return USER_ID.test(owner) && name ? { owner, name } : undefined
  }

  writeList(owner: string, name: string): string {
    return this.domain ? `wv:${owner}/${name}@${this.domain}` : `wv:${owner}/${name}`
  }

  #split(raw: string): { local?: string } {
    let s = raw.trim()
    if (/^wv:/i.test(s)) s = s.slice(3)
    const at = s.lastIndexOf('@')
    if (at < 0) return { local: s }
    const domain = s.slice(at + 1).toLowerCase()
    if (this.domain && domain !== this.domain.toLowerCase()) return {}
    return { local: s.slice(0, at) }
  }
}
