import type { Core } from '../../core/context.js'
import type { CoreEvent } from '../../core/bus.js'
import {
  accountsChangedElsewhere,
  catchUp, clientLoggedInElsewhere, messagesArrived, presenceChangedElsewhere, reportsArrived, sessionEndedElsewhere, settingsChangedElsewhere,
} from '../../core/remote.js'
import type { StoredMessage, StoredReport } from '../../core/types.js'
import { reason } from './db.js'
import { CHANNEL, type Hint, parseHint } from './hints.js'
import { NotifyListener } from './listener.js'
import { ReadBehind } from './read-behind.js'
import type { PostgresStore } from './postgres-store.js'
import { SessionRegistry } from './session-registry.js'

export interface ClusterOptions {
  url: string
  nodeId: string
  heartbeatSeconds: number
}

export interface ClusterLink {
  close(): Promise<void>
}

/**
 * Joins this node to the others on the same database (PROTOCOL.md 11): their hints (NOTIFY) become deliveries
 * to this node's sessions, this node's sessions and published presence are recorded for them, and every
 * heartbeat renews this node's sessions and re-reads theirs. A hint only says where to look: what is handed on
 * is always read from the database, and on every (re)LISTEN this node re-reads what waits for all its
 * connected sessions, so a hint lost while the link was down delays nothing for long.
 */
export async function joinCluster(core: Core, store: PostgresStore, opts: ClusterOptions): Promise<ClusterLink> {
  const log = (event: string, fields: Record<string, unknown> = {}) => core.log('cluster', event, { node: opts.nodeId, ...fields })
  const registry = new SessionRegistry(store.pool, opts.nodeId, opts.heartbeatSeconds)
  const failed = (what: string) => (err: unknown) => log(`${what}_failed`, { error: reason(err) })

  const tellWatchers = (users: string[]) => users.forEach((u) => presenceChangedElsewhere(core, u))
  const refresh = async (users?: string[]) => {
    const { changed, published } = await registry.refresh(core.clock.now(), users)
    for (const [user, p] of published) {
      // what a user connected here published here stands; another node's word counts for users it names
      if (users?.includes(user) || core.sessions.ofUser(user).length === 0) core.published.set(user, p)
    }
    tellWatchers(users ?? changed)
  }

  /** a client that logged in again on another node leaves no session of it behind here (as a login here would not) */
  const forceOutOlder = (started: string[]) => {
    for (const s of registry.all().filter((p) => started.includes(p.id))) {
      if (s.clientId) clientLoggedInElsewhere(core, s.userId, s.clientId, s.id)
    }
  }

  /** another node's copy of a session this node holds too changed its settings (subscriptions, capabilities, TTL): this copy follows */
  const followSettings = (sessionId: string, node: string | undefined) => {
    const session = core.sessions.byId(sessionId)
    if (!session || !node) return
    registry.settingsOf(sessionId, node)
      .then((settings) => settings && settingsChangedElsewhere(core, session, settings))
      .catch(failed('settings'))
  }

  const behind = new ReadBehind()
  const onHint = (payload: string | undefined) => {
    const hint = parseHint(payload)
    if (hint.node === opts.nodeId) return
    // our own writes forgot their records already (putUser); a change elsewhere is forgotten here
    store.users.forget(hint.all ? 'all' : hint.users)
    if (hint.users.length) accountsChangedElsewhere(core, hint.users).catch(failed('accounts'))
    for (const [id, code] of hint.ended) sessionEndedElsewhere(core, id, code)
    for (const id of hint.watching) followSettings(id, hint.node)
    handOn(core, hint).catch((err) => {
      behind.missed(hint)
      failed('hint')(err)
    })
    if (hint.users.length) refresh(hint.users).then(() => forceOutOlder(hint.started)).catch(failed('refresh'))
    if (hint.all) refresh().catch(failed('refresh'))
  }
  const listener = new NotifyListener({
    url: opts.url, channel: CHANNEL, applicationName: `pigeonhole-listen ${opts.nodeId}`.slice(0, 63), log, onHint,
    onLost: () => store.users.trust(false),
    onListening: () => {
      store.users.trust(true) // from now on every change to an account is heard
      catchUp(core).catch((err) => {
        behind.missedEveryone()
        failed('catch_up')(err)
      })
      refresh().catch(failed('refresh'))
    },
  })

  const unsubscribe = core.bus.subscribe((e) => recordLocally(core, registry, e)?.catch(failed('record')))
  const heartbeat = async () => {
    void listener.check(Math.max(2, 2 * opts.heartbeatSeconds) * 1000)
    const dropped = await registry.heartbeat(core.sessions.all(), core.clock.now())
    // after this node's row is renewed: re-reading for many users must not make it look dead to the others
    void behind.retry(core.hub.connectedUsers(), (users) => catchUp(core, users)).catch(failed('hint_retry'))
    await registry.announce(dropped)
    await refresh()
  }

  if (await registry.nameInUse().catch(() => false)) {
    log('name_in_use', { hint: 'another node may run with the same PIGEONHOLE_NODE_ID: give each node its own' })
  }
  // sessions this node held before a restart are gone (they lived in its memory): the others hear so
  const leftBehind = await registry.leaveBehindNothing().catch((err) => (failed('start')(err), []))
  await heartbeat().catch(failed('heartbeat'))
  await registry.announce(leftBehind).catch(failed('start'))
  core.sessions.peers = registry
  registry.adopted = (session) => void registry.record(session, core.clock.now(), {}).catch(failed('record'))
  listener.start()
  const timer = setInterval(() => void heartbeat().catch(failed('heartbeat')), opts.heartbeatSeconds * 1000)
  timer.unref()
  log('joined', { heartbeatSeconds: opts.heartbeatSeconds })

  return {
    async close() {
      clearInterval(timer)
      store.users.trust(false)
      unsubscribe()
      await listener.close()
      await registry.leave().catch(failed('leave'))
    },
  }
}

/** this node's own events that the others must know of: a session started or ended, presence published or subscribed to */
function recordLocally(core: Core, registry: SessionRegistry, e: CoreEvent): Promise<void> | undefined {
  if (e.type === 'SessionStarted') {
    const session = core.sessions.ofUser(e.userId).find((s) => s.id === e.sessionId)
    return session && registry.record(session, core.clock.now(), { started: true })
  }
  if (e.type === 'SessionSettingsChanged') {
    const session = core.sessions.byId(e.sessionId)
    return session && registry.record(session, core.clock.now(), { watching: true })
  }
  // a session that timed out here may live on where its client now talks; a logout ends it on every node
  if (e.type === 'SessionEnded') return registry.forget(e.sessionId, e.userId, e.result.code === 600 ? undefined : e.result.code)
  if (e.type === 'PresenceUpdated') {
    const published = core.published.get(e.userId)
    return published && registry.publish(e.userId, published)
  }
  return undefined
}

/** the messages and reports a hint names, read from the database, for users connected to this node */
async function handOn(core: Core, hint: Hint): Promise<void> {
  const here = new Set(core.hub.connectedUsers())
  if (hint.all) return catchUp(core)
  const boxes = new Set(hint.boxes.filter((u) => here.has(u)))
  const messages = hint.messages.filter(([r]) => here.has(r) && !boxes.has(r))
  const found = await Promise.all(messages.map(([r, id]) => core.store.getMessage(r, id)))
  messagesArrived(core, found.filter((m): m is StoredMessage => m !== undefined))
  if (boxes.size) await catchUp(core, [...boxes])
  const owners = [...new Set(hint.reports.filter(([owner]) => here.has(owner)).map(([owner]) => owner))]
  for (const owner of owners) {
    const ids = new Set(hint.reports.filter(([o]) => o === owner).map(([, id]) => id))
    const reports: StoredReport[] = (await core.store.listReports(owner)).filter((r) => ids.has(r.id))
    reportsArrived(core, reports)
  }
}
