import type { Ctx } from './ctx.js'
import { byId, el } from './text.js'

/** a user's presence as the server lets this user see it (PROTOCOL.md 8) */
export interface Presence {
  userId: string
  online: boolean
  availability?: 'AVAILABLE' | 'DISCREET' | 'NOT_AVAILABLE'
  statusText?: string
}

type ContactList = { name: string; default?: boolean; contacts: Array<{ userId: string; nickname: string }> }
/** a user here (`bob`) or on a server this one relays with (`bob@other.org`) */
const ADDRESS = /^[a-z0-9][a-z0-9._-]{0,63}(@[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)?$/

/** online / busy / away / offline, with the status text when there is one */
export function presenceLabel(p: Presence | undefined): { key: string; text: string } {
  const key = !p?.online ? 'offline' : p.availability === 'DISCREET' ? 'busy' : p.availability === 'NOT_AVAILABLE' ? 'away' : 'online'
  return { key, text: p?.online && p.statusText ? `${key} — ${p.statusText}` : key }
}

/** the contact list (the user's default list), who is blocked, and what each contact's presence reads */
export class ContactsPane {
  /** userId → nickname, in the list's order */
  readonly contacts = new Map<string, string>()
  readonly presence = new Map<string, Presence>()
  readonly blocked = new Set<string>()
  /** the user's default list (another client, an IMPS phone, may have made a list of its own the default) */
  listName = 'default'
  private readonly list = byId<HTMLUListElement>('contact-list')

  constructor(private readonly ctx: Ctx) {}

  /** the default list among the user's lists */
  setLists(lists: ContactList[] | undefined): void {
    const list = lists?.find((l) => l.default) ?? lists?.find((l) => l.name === this.listName)
    if (list) this.setList(list)
  }

  setList(list: ContactList): void {
    this.listName = list.name
    this.contacts.clear()
    for (const c of list.contacts) this.contacts.set(c.userId, c.nickname || c.userId)
  }

  setBlocked(block: { inUse: boolean; users: string[] } | undefined): void {
    this.blocked.clear()
    if (block?.inUse) for (const u of block.users) this.blocked.add(u)
  }

  applyPresence(list: Presence[] | undefined): void {
    for (const p of list ?? []) this.presence.set(p.userId, p)
  }

  name(peer: string): string {
    return this.contacts.get(peer) ?? peer
  }

  /** contacts in list order, then whoever else this session talked with */
  peers(): string[] {
    const others = [...this.ctx.history.byPeer.keys()].filter((p) => !this.contacts.has(p))
    return [...this.contacts.keys(), ...others]
  }

  render(): void {
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.peer
    const open = this.ctx.conversation.peer
    this.list.replaceChildren(...this.peers().map((peer) => this.row(peer, peer === open)))
    byId('contacts-empty').hidden = this.list.childElementCount > 0
    if (focused) this.list.querySelector<HTMLElement>(`[data-peer="${CSS.escape(focused)}"]`)?.focus()
    this.renderBlocked()
  }

  private row(peer: string, current: boolean): HTMLLIElement {
    const p = this.blocked.has(peer) ? { key: 'blocked', text: 'blocked' } : presenceLabel(this.presence.get(peer))
    const unread = this.ctx.history.unread(peer)
    const name = this.name(peer)
    const button = el('button', { type: 'button', class: 'contact', 'data-peer': peer, ...(current ? { 'aria-current': 'true' } : {}) },
      el('span', { class: `dot ${p.key}`, 'aria-hidden': 'true' }),
      el('span', { class: 'who' },
        el('span', { class: 'name', dir: 'auto', text: name }),
        el('span', { class: 'uid', text: name === peer ? '' : peer }),
        el('span', { class: 'presence', dir: 'auto', text: this.contacts.has(peer) ? p.text : `${p.text} · not in your contacts` })),
      ...(unread ? [el('span', { class: 'count', text: String(unread), 'aria-label': `${unread} unread` })] : []))
    button.addEventListener('click', () => this.ctx.open(peer))
    return el('li', {}, button)
  }

  private renderBlocked(): void {
    const rows = [...this.blocked].map((peer) => {
      const undo = el('button', { type: 'button', class: 'quiet small', text: 'Unblock', 'aria-label': `Unblock ${peer}` })
      undo.addEventListener('click', () => void this.block(peer, false))
      return el('li', {}, el('span', { text: peer }), undo)
    })
    byId('blocked-list').replaceChildren(...rows)
    byId('blocked-section').hidden = rows.length === 0
  }

  /** adds (or renames) a contact after checking that the user exists; returns an error sentence or undefined */
  async add(rawId: string, nickname: string): Promise<string | undefined> {
    const userId = rawId.trim().toLowerCase()
    if (!ADDRESS.test(userId)) return 'A user id is 1–64 letters, digits, dots, dashes or underscores, or user@domain for someone on another server.'
    if (userId === this.ctx.me) return 'That is you.'
    const remote = userId.includes('@') // another server's user: only that server knows whether they exist
    if (!remote) {
      const exists = await this.ctx.api.get(`/presence/${encodeURIComponent(userId)}`)
      if (exists.result.code === 531) return `There is no user "${userId}" on this server.`
      if (exists.result.code !== 200) return exists.result.text
    }
    const a = await this.ctx.api.post(`/contacts/lists/${encodeURIComponent(this.listName)}`, { add: [{ userId, nickname: nickname.trim() || userId }] })
    if (a.result.code !== 200) return a.result.text
    this.setList(a.list)
    // the subscription to the list covers a new member's changes; this fetches where they stand now
    if (!remote) this.applyPresence((await this.ctx.api.get(`/presence?users=${encodeURIComponent(userId)}`)).presence)
    this.ctx.refresh()
    this.ctx.toast(`${this.name(userId)} is in your contacts.`)
    return undefined
  }

  async remove(peer: string): Promise<void> {
    const a = await this.ctx.api.post(`/contacts/lists/${encodeURIComponent(this.listName)}`, { remove: [peer] })
    if (a.result.code !== 200) return this.ctx.toast(a.result.text)
    this.setList(a.list)
    this.ctx.refresh()
    this.ctx.toast(`${peer} is no longer in your contacts.`)
  }

  /** puts a user on the block list (turning it on) or takes them off */
  async block(peer: string, on: boolean): Promise<void> {
    const a = await this.ctx.api.post('/blocklist', { block: on ? { inUse: true, add: [peer] } : { remove: [peer] } })
    if (a.result.code !== 200) return this.ctx.toast(a.result.text)
    this.setBlocked(a.block)
    this.ctx.refresh()
    this.ctx.toast(on ? `You block ${peer}: their messages are refused.` : `${peer} is no longer blocked.`)
  }
}
