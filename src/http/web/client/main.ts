import { Api, type Result } from './api.js'
import { ContactsPane } from './contacts.js'
import { Conversation } from './conversation.js'
import type { Ctx } from './ctx.js'
import { forget, History, loadSession, type SavedSession, saveSession } from './history.js'
import { byId, setText } from './text.js'
import { openStream } from './stream.js'

/**
 * The chat page: a login form, then contacts and conversations on the JSON API and its event stream.
 * Every listener is wired once here and acts on the current session's context, if any.
 */
const api = new Api()
const html = document.documentElement
const chatScreen = byId('chat-screen')
let ctx: Ctx | undefined
let closeStream = () => {}

/** why the page is back at the login form, in words */
const GONE: Record<number, string> = {
  200: 'You logged out.', 600: 'Your session expired; log in again.', 601: 'Your session was ended by the server (an administrator, or a newer login of this client).',
  604: 'Your session has ended; log in again.', 503: 'The server is restarting; log in again in a moment.',
}

function showLogin(note = ''): void {
  closeStream()
  ctx = undefined
  api.token = undefined
  forget()
  byId('login-screen').hidden = false
  chatScreen.hidden = true
  setText(byId('login-error'), note)
  document.title = 'Pigeonhole'
  html.dataset.state = 'login'
  byId('login-user').focus()
}

api.onSessionGone = (r: Result) => {
  if (ctx) showLogin(GONE[r.code] ?? r.text)
}

async function logIn(userId: string, password: string): Promise<void> {
  // a client id of its own per login: the same id logging in again would force the other tab out (601)
  const clientId = 'web-' + Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('')
  const a = await api.post('/login', { userId, password, clientId, capabilities: { deliveryMethod: 'push' } })
  if (typeof a.token !== 'string') {
    setText(byId('login-error'),
      a.result.code === 409 ? 'Wrong user id or password.' : a.result.code === 429 ? 'Too many attempts: wait a little, then try again.' : a.result.text)
    return
  }
  const session = { token: a.token, userId: userId.trim().toLowerCase() }
  saveSession(session)
  ;(byId('login-password') as HTMLInputElement).value = ''
  await start(session)
}

async function register(userId: string, password: string): Promise<void> {
  const a = await api.post('/users', { userId, password })
  if (a.result.code !== 200) return setText(byId('login-error'), a.result.text)
  await logIn(userId, password)
}

/** the chat screen for a session: what this tab remembers at once, then contacts, presence and the stream */
async function start(session: SavedSession): Promise<void> {
  api.token = session.token
  const history = History.load()
  const c: Ctx = {
    api, history, me: session.userId,
    contacts: undefined as unknown as ContactsPane,
    conversation: undefined as unknown as Conversation,
    live: () => ctx === c,
    refresh: () => refresh(c),
    open: (peer) => open(c, peer),
    toast,
  }
  c.contacts = new ContactsPane(c)
  c.conversation = new Conversation(c)
  ctx = c
  byId('login-screen').hidden = true
  chatScreen.hidden = false
  chatScreen.dataset.view = 'list'
  byId('conversation').hidden = true
  byId('no-conversation').hidden = false
  byId('me-name').textContent = session.userId
  html.dataset.state = 'loading'
  refresh(c)

  let streamOpen = false
  let loaded = false
  const ready = () => {
    if (streamOpen && loaded && c.live()) html.dataset.state = 'ready'
  }
  closeStream = openStream(c, () => {
    streamOpen = true
    ready()
  })
  const [lists, blocks, mine] = await Promise.all([api.get('/contacts'), api.get('/blocklist'), api.get(`/presence/${session.userId}`)])
  if (!c.live()) return
  c.contacts.setLists(lists.lists)
  c.contacts.setBlocked(blocks.block)
  ;(byId('me-availability') as HTMLSelectElement).value = mine.availability ?? 'AVAILABLE'
  ;(byId('me-status') as HTMLInputElement).value = mine.statusText ?? ''
  const subscribed = await api.post('/presence/subscribe', { lists: [c.contacts.listName] })
  if (!c.live()) return
  c.contacts.applyPresence(subscribed.presence)
  refresh(c)
  loaded = true
  ready()
}

function open(c: Ctx, peer: string): void {
  chatScreen.dataset.view = 'chat'
  c.conversation.show(peer)
  c.contacts.render()
  c.conversation.focus()
}

/** the contact list, the open conversation's header, and the unread count in the badge and the tab title */
function refresh(c: Ctx): void {
  if (!c.live()) return
  c.contacts.render()
  c.conversation.renderHeader()
  const unread = c.history.totalUnread()
  const badge = byId('unread-badge')
  badge.hidden = unread === 0
  badge.textContent = `${unread} unread`
  document.title = unread ? `(${unread}) Pigeonhole` : 'Pigeonhole'
}

let toastTimer: ReturnType<typeof setTimeout> | undefined
function toast(text: string): void {
  const t = byId('toast')
  setText(t, text)
  clearTimeout(toastTimer)
  toastTimer = setTimeout(() => (t.textContent = ''), 6000)
}

async function logOut(): Promise<void> {
  closeStream()
  await api.post('/logout')
  showLogin(GONE[200])
}

function wire(): void {
  const field = (id: string) => (byId(id) as HTMLInputElement).value
  byId('login-form').addEventListener('submit', (e) => {
    e.preventDefault()
    void logIn(field('login-user'), field('login-password'))
  })
  byId('register-button').addEventListener('click', () => void register(field('login-user'), field('login-password')))
  byId('logout-button').addEventListener('click', () => void logOut())
  byId('me-form').addEventListener('submit', async (e) => {
    e.preventDefault()
    const a = await api.post('/presence', { availability: field('me-availability'), statusText: field('me-status') })
    toast(a.result.code === 200 ? 'Your presence is updated.' : a.result.text)
  })
  byId('password-form').addEventListener('submit', async (e) => {
    e.preventDefault()
    const a = await api.post('/password', { password: field('password-current'), newPassword: field('password-new') })
    setText(byId('password-error'), a.result.code === 200 ? '' : a.result.text)
    if (a.result.code !== 200) return
    ;(byId('password-form') as HTMLFormElement).reset()
    byId<HTMLDetailsElement>('password-box').open = false
    toast('Your password is changed.')
  })
  byId('add-form').addEventListener('submit', async (e) => {
    e.preventDefault()
    if (!ctx) return
    const error = await ctx.contacts.add(field('add-user'), field('add-nick'))
    setText(byId('add-error'), error ?? '')
    if (!error) (byId('add-form') as HTMLFormElement).reset()
  })
  byId('compose').addEventListener('submit', (e) => {
    e.preventDefault()
    ctx?.conversation.submitText()
  })
  const text = byId<HTMLTextAreaElement>('compose-text')
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault()
      ctx?.conversation.submitText()
    }
  })
  text.addEventListener('input', () => ctx?.conversation.fit())
  byId('block-button').addEventListener('click', () => ctx?.conversation.toggleBlock())
  byId('contact-button').addEventListener('click', () => ctx?.conversation.toggleContact())
  byId('back-button').addEventListener('click', () => {
    chatScreen.dataset.view = 'list'
    const peer = ctx?.conversation.peer
    if (peer) byId('contact-list').querySelector<HTMLElement>(`[data-peer="${CSS.escape(peer)}"]`)?.focus()
  })
  // a message that arrived while the tab was behind another is confirmed when the user comes back to it
  document.addEventListener('visibilitychange', () => ctx?.conversation.markSeen())
}

wire()
if (document.querySelector('meta[name="pigeonhole-registration"]')?.getAttribute('content') === 'open') byId('register-button').hidden = false
byId('loading').hidden = true
const saved = loadSession()
if (saved) void start(saved)
else showLogin()
