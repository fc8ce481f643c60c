import type { StoredMessage, StoredReport } from '../../core/types.js'

/** how many settled outcomes a box remembers (a retried MessageDelivered comes within moments, not days) */
export const SETTLED_KEPT = 512

/**
 * One user's box: the messages waiting for them and the delivery reports waiting for them, in arrival order,
 * and how their most recently settled messages ended.
 */
export class Box {
  readonly messages = new Map<string, StoredMessage>()
  readonly reports = new Map<string, StoredReport>()
  readonly settled = new Map<string, number>()
  constructor(readonly user: string) {}

  static fromFile(file: BoxFile): Box {
    const box = new Box(file.user)
    for (const m of file.messages) box.messages.set(m.id, m)
    for (const r of file.reports) box.reports.set(r.id, r)
    for (const [id, code] of file.settled ?? []) box.settled.set(id, code)
    return box
  }

  toFile(): BoxFile {
    return {
      schema: BOX_SCHEMA, user: this.user, messages: [...this.messages.values()], reports: [...this.reports.values()],
      settled: [...this.settled],
    }
  }

  remember(id: string, code: number): void {
    this.settled.set(id, code)
    if (this.settled.size > SETTLED_KEPT) this.settled.delete(this.settled.keys().next().value!)
  }

  get size(): number {
    return this.messages.size + this.reports.size
  }
}

export const BOX_SCHEMA = 1

export interface BoxFile {
  schema: number
  user: string
  messages: StoredMessage[]
  reports: StoredReport[]
  /** [message id, code] of recently settled messages, oldest first (absent in files of earlier versions) */
  settled?: Array<[string, number]>
}

/** A change to one box, as the journal records it. Applying an op twice has the effect of applying it once. */
export type Op =
  | { o: 'm'; m: StoredMessage }
  /** removes a message; `c` is how it was settled (absent in journals of earlier versions) */
  | { o: 'd'; u: string; id: string; c?: number }
  | { o: 'r'; r: StoredReport }
  | { o: 'a'; u: string; id: string }
  /** gives a settled copy a new outcome: a relayed copy (202) once its report came back from the peer */
  | { o: 's'; u: string; id: string; c: number }

/** what applying an op changed: the message or report it added or removed, or the outcome a copy had before */
export type Changed = StoredMessage | StoredReport | { settledWas: number }

export function opUser(op: Op): string {
  switch (op.o) {
    case 'm':
      return op.m.recipient
    case 'r':
      return op.r.owner
    default:
      return op.u
  }
}

/** Applies an op; returns what it changed (undefined when nothing). */
export function applyOp(box: Box, op: Op): Changed | undefined {
  switch (op.o) {
    case 'm':
      if (box.messages.has(op.m.id)) return undefined
      box.messages.set(op.m.id, op.m)
      box.settled.delete(op.m.id) // a removal undone: it is waiting again
      return op.m
    case 'r':
      if (box.reports.has(op.r.id)) return undefined
      box.reports.set(op.r.id, op.r)
      return op.r
    case 'd': {
      const m = box.messages.get(op.id)
      if (!m) return undefined
      box.messages.delete(op.id)
      if (op.c !== undefined) box.remember(op.id, op.c)
      return m
    }
    case 'a': {
      const r = box.reports.get(op.id)
      box.reports.delete(op.id)
      return r
    }
    case 's': {
      const was = box.settled.get(op.id)
      if (was === undefined) return undefined
      box.remember(op.id, op.c)
      return { settledWas: was }
    }
  }
}

/** The op that undoes `op`, given what applying it returned. */
export function inverseOp(op: Op, changed: Changed | undefined): Op | undefined {
  if (!changed) return undefined
  switch (op.o) {
    case 'm':
      return { o: 'd', u: op.m.recipient, id: op.m.id }
    case 'r':
      return { o: 'a', u: op.r.owner, id: op.r.id }
    case 'd':
      return { o: 'm', m: changed as StoredMessage }
    case 'a':
      return { o: 'r', r: changed as StoredReport }
    case 's':
      return { o: 's', u: op.u, id: op.id, c: (changed as { settledWas: number }).settledWas }
  }
}
