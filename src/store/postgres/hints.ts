/**
 * What travels between nodes over NOTIFY: a hint of what changed, never the thing itself (PostgreSQL caps a
 * payload near 8 kB, and a NOTIFY sent while a node reconnects is lost anyway). A node that hears one re-reads
 * from the database; a node that missed some re-reads everything its sessions wait for.
 */

/** the NOTIFY channel every node LISTENs on */
export const CHANNEL = 'pigeonhole'
/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more */
export const MAX_PAYLOAD = 7_900

export interface Hint {
  /** the node that sent it (a node ignores its own: it told its sessions already) */
  node: string | undefined
  /** new copies, by recipient and id */
  messages: Array<[string, string]>
  /** recipients with new copies, when the ids did not fit */
  boxes: string[]
  /** something changed for too many to name: re-read everything */
  all: boolean
  /** reports filed, by owner and id */
  reports: Array<[string, string]>
  /** users whose sessions or published presence changed */
  users: string[]
  /** sessions that ended for good, with why (200 logout, 601 forced out): every node's copy ends */
  ended: Array<[string, number]>
  /** sessions just logged in: an older session of the same client on another node is forced out (601) */
  started: string[]
  /** sessions whose settings changed (subscriptions, capabilities, time-to-live): every node's copy takes them over */
  watching: string[]
}

const fits = (payload: string) => Buffer.byteLength(payload) <= MAX_PAYLOAD

/** new copies: `{"n":node,"m":[[recipient, id], …]}`, or only the recipients, or `{"all":true}` when even those do not fit */
export function messagesHint(copies: Array<[string, string]>, node?: string): string {
  const full = JSON.stringify({ n: node, m: copies })
  if (fits(full)) return full
  const boxes = JSON.stringify({ n: node, r: [...new Set(copies.map(([r]) => r))] })
  return fits(boxes) ? boxes : JSON.stringify({ n: node, all: true })
}

/** a report filed for its owner */
export function reportHint(owner: string, id: string, node?: string): string {
  return JSON.stringify({ n: node, d: [[owner, id]] })
}

/** users whose sessions or presence changed, with the sessions that ended for good or just started (`{"all":true}` when too many to name) */
export function usersHint(users: string[], node?: string, sessions: { ended?: Array<[string, number]>; started?: string[]; watching?: string[] } = {}): string {
  const { ended = [], started = [], watching = [] } = sessions
  const named = JSON.stringify({
    n: node, u: users, ...(ended.length ? { e: ended } : {}), ...(started.length ? { s: started } : {}), ...(watching.length ? { w: watching } : {}),
  })
  return fits(named) ? named : JSON.stringify({ n: node, all: true })
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
const pairs = (v: unknown): Array<[string, string]> =>
  Array.isArray(v) ? v.filter((p): p is [string, string] => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string') : []

/** a payload as a hint; anything unreadable (another program on the channel) reads as "re-read everything" */
export function parseHint(payload: string | undefined): Hint {
  let raw: Record<string, unknown>
  try {
    const parsed: unknown = JSON.parse(payload ?? '')
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object')
    raw = parsed as Record<string, unknown>
  } catch {
    return { node: undefined, messages: [], boxes: [], all: true, reports: [], users: [], ended: [], started: [], watching: [] }
  }
  return {
    node: typeof raw.n === 'string' ? raw.n : undefined,
    messages: pairs(raw.m), boxes: strings(raw.r), all: raw.all === true, reports: pairs(raw.d), users: strings(raw.u),
    ended: Array.isArray(raw.e) ? raw.e.filter((p): p is [string, number] => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'number') : [],
    started: strings(raw.s), watching: strings(raw.w),
  }
}
