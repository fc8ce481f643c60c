import { codeFor } from './api.js'
import { presenceLabel } from './contacts.js'
import type { Ctx } from './ctx.js'
import type { ChatMessage, OutState } from './history.js'
import { byId, el, safeText, timeElement, when } from './text.js'

/** a message as the event stream brings it (MessageInfo + body, PROTOCOL.md 3) */
export interface Incoming { id: string; sender: string; sentAt: string; offline: boolean; body: string }
/** a delivery report (PROTOCOL.md 3) */
export interface Report { id: string; messageId: string; recipient: string; result: { code: number; text: string } }

/** what a sender sees under each bubble: the offline story in words */
const OUT_LABEL: Record<OutState, string> = {
  sending: 'sending…', sent: 'sent', offline: 'accepted for offline delivery', delivered: 'delivered',
  rejected: 'rejected', expired: 'expired', full: 'their offline store is full', blocked: 'blocked',
  unknown: 'no such user', queue: 'not sent: your offline queue is full', failed: 'not sent',
  lost: 'outcome unknown: the page was reloaded while sending',
}
const SEND_STATE: Record<number, OutState> = { 200: 'sent', 202: 'offline', 410: 'full', 532: 'blocked', 531: 'unknown', 507: 'queue' }
const REPORT_STATE: Record<number, OutState> = { 200: 'delivered', 538: 'rejected', 542: 'expired', 532: 'blocked', 410: 'full', 531: 'unknown' }
const PHONE = matchMedia('(max-width: 700px)')

/** the open conversation: its header, the log of messages, the message box; and the messages coming and going */
export class Conversation {
  peer: string | undefined
  private readonly log = byId<HTMLOListElement>('message-log')
  private readonly text = byId<HTMLTextAreaElement>('compose-text')
  /** reports that arrived before their send was answered (the recipient was quick) */
  private readonly early = new Map<string, Report>()
  private localIds = 0

  constructor(private readonly ctx: Ctx) {}

  show(peer: string): void {
    this.peer = peer
    byId('conversation').hidden = false
    byId('no-conversation').hidden = true
    this.renderHeader()
    this.log.replaceChildren(...this.ctx.history.of(peer).map((m) => this.bubble(m)))
    this.log.setAttribute('aria-label', safeText(`Messages with ${this.ctx.contacts.name(peer)}`))
    this.scrollDown()
    this.markSeen()
  }

  renderHeader(): void {
    const peer = this.peer
    if (!peer) return
    const contacts = this.ctx.contacts
    const blocked = contacts.blocked.has(peer)
    byId('conv-title').textContent = ''
    byId('conv-title').append(el('span', { dir: 'auto', text: contacts.name(peer) }), el('span', { class: 'uid', text: contacts.name(peer) === peer ? '' : peer }))
    byId('conv-presence').textContent = ''
    byId('conv-presence').append(el('span', { dir: 'auto', text: blocked ? 'blocked' : presenceLabel(contacts.presence.get(peer)).text }))
    byId('block-button').textContent = blocked ? 'Unblock' : 'Block'
    byId('contact-button').textContent = contacts.contacts.has(peer) ? 'Remove contact' : 'Add to contacts'
    byId('blocked-note').hidden = !blocked
  }

  /** whether the user can see this conversation now: open, on screen, the tab in front */
  private showing(peer: string): boolean {
    const chatView = !PHONE.matches || byId('chat-screen').dataset.view === 'chat'
    return this.peer === peer && chatView && document.visibilityState === 'visible'
  }

  /** what the user now sees is confirmed (MessageDelivered): only then may the server forget it */
  markSeen(): boolean {
    if (!this.peer || !this.showing(this.peer)) return false
    const unseen = this.ctx.history.of(this.peer).filter((m) => !m.out && !m.seen)
    if (!unseen.length) return false
    for (const m of unseen) {
      m.seen = true
      void this.confirm(m.id)
    }
    this.ctx.history.save()
    this.ctx.refresh()
    return true
  }

  private confirm(id: string) {
    return this.ctx.api.post(`/messages/${encodeURIComponent(id)}/delivered`)
  }

  receive(m: Incoming): void {
    const known = this.ctx.history.find(m.id)
    // sent again because a confirmation never arrived: confirm again what was already shown
    if (known) return void (known.seen && this.confirm(m.id))
    const message: ChatMessage = { id: m.id, peer: m.sender, out: false, body: m.body, at: m.sentAt, offline: m.offline, seen: false }
    // on screen first, the bookkeeping after
    if (this.peer === m.sender) this.append(message)
    this.ctx.history.add(message)
    if (!this.markSeen()) this.ctx.refresh()
  }

  settle(r: Report): void {
    void this.ctx.api.post(`/reports/${encodeURIComponent(r.id)}/ack`)
    const m = this.ctx.history.find(r.messageId)
    if (!m) return void this.early.set(r.messageId, r)
    this.setState(m, REPORT_STATE[r.result.code] ?? 'failed', r.result.text)
  }

  async send(body: string): Promise<void> {
    const peer = this.peer
    if (!peer || !body.trim()) return
    const m: ChatMessage = { id: `local-${++this.localIds}-${Date.now()}`, peer, out: true, body, at: new Date().toISOString(), state: 'sending' }
    // the request goes out first; the bubble and the bookkeeping happen while it travels
    const answer = this.ctx.api.post('/messages', { to: [peer], body, deliveryReport: true })
    this.append(m)
    this.ctx.history.add(m)
    const a = await answer
    if (typeof a.messageId === 'string') {
      this.log.querySelector(`[data-id="${CSS.escape(m.id)}"]`)?.setAttribute('data-id', a.messageId)
      m.id = a.messageId
    }
    this.setState(m, SEND_STATE[codeFor(a, peer)] ?? 'failed', a.result.text)
    const report = this.early.get(m.id)
    if (report) {
      this.early.delete(m.id)
      this.settle(report)
    }
  }

  private setState(m: ChatMessage, state: OutState, note: string): void {
    m.state = state
    m.note = state === 'failed' ? note : undefined
    this.ctx.history.save()
    const old = this.log.querySelector(`[data-id="${CSS.escape(m.id)}"]`)
    if (old) old.replaceWith(this.bubble(m))
  }

  private append(m: ChatMessage): void {
    this.log.append(this.bubble(m))
    this.scrollDown()
  }

  private scrollDown(): void {
    this.log.scrollTop = this.log.scrollHeight
  }

  /** one message: its text (never HTML; newlines kept by CSS), when, and where it stands */
  private bubble(m: ChatMessage): HTMLLIElement {
    const meta = el('p', { class: 'meta' })
    if (m.out) {
      const state = m.state ?? 'sent'
      meta.append(timeElement(m.at), ' · ', el('span', { class: `state ${state}`, text: state === 'failed' && m.note ? `not sent: ${m.note}` : OUT_LABEL[state] }))
    } else if (m.offline) {
      meta.append(el('span', { class: 'state waited', text: 'sent while you were away' }), ' · ', el('time', { datetime: m.at, text: `sent ${when(m.at)}` }))
    } else {
      meta.append(timeElement(m.at))
    }
    const who = m.out ? 'You' : this.ctx.contacts.name(m.peer)
    return el('li', { class: m.out ? 'msg out' : m.offline ? 'msg in waited' : 'msg in', 'data-id': m.id },
      el('span', { class: 'sr-only', text: `${who}: ` }), el('p', { class: 'body', dir: 'auto', text: m.body }), meta)
  }

  /** the message box's text goes out; the box empties at once so the next can be written */
  submitText(): void {
    const body = this.text.value
    if (!body.trim()) return
    this.text.value = ''
    this.fit()
    void this.send(body)
  }

  toggleBlock(): void {
    if (this.peer) void this.ctx.contacts.block(this.peer, !this.ctx.contacts.blocked.has(this.peer))
  }

  toggleContact(): void {
    const peer = this.peer
    if (!peer) return
    if (this.ctx.contacts.contacts.has(peer)) void this.ctx.contacts.remove(peer)
    else void this.ctx.contacts.add(peer, peer).then((err) => err && this.ctx.toast(err))
  }

  /** the box grows with the lines written, up to six */
  fit(): void {
    this.text.rows = Math.min(6, Math.max(1, this.text.value.split('\n').length))
  }

  focus(): void {
    this.text.focus()
  }
}
