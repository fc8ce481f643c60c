import type { StoredMessage, StoredReport } from '../core/types.js'

/** One user's box: the messages waiting for them and the delivery reports waiting for them, in arrival order. */
export class Box {
  readonly messages = new Map<string, StoredMessage>()
  readonly reports = new Map<string, StoredReport>()
  constructor(readonly user: string) {}

  static fromFile(file: BoxFile): Box {
    const box = new Box(file.user)
    for (const m of file.messages) box.messages.set(m.id, m)
    for (const r of file.reports) box.reports.set(r.id, r)
    return box
  }

  toFile(): BoxFile {
    return { schema: BOX_SCHEMA, user: this.user, messages: [...this.messages.values()], reports: [...this.reports.values()] }
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
}

/** A change to one box, as the journal records it. Applying an op twice has the effect of applying it once. */
export type Op =
  | { o: 'm'; m: StoredMessage }
  | { o: 'd'; u: string; id: string }
  | { o: 'r'; r: StoredReport }
  | { o: 'a'; u: string; id: string }

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

/** Applies an op; returns what it added or removed (undefined when it changed nothing). */
export function applyOp(box: Box, op: Op): StoredMessage | StoredReport | undefined {
  switch (op.o) {
    case 'm':
      if (box.messages.has(op.m.id)) return undefined
      box.messages.set(op.m.id, op.m)
      return op.m
    case 'r':
      if (box.reports.has(op.r.id)) return undefined
      box.reports.set(op.r.id, op.r)
      return op.r
    case 'd': {
      const m = box.messages.get(op.id)
      box.messages.delete(op.id)
      return m
    }
    case 'a': {
      const r = box.reports.get(op.id)
      box.reports.delete(op.id)
      return r
    }
  }
}

/** The op that undoes `op`, given what applying it returned. */
export function inverseOp(op: Op, changed: StoredMessage | StoredReport | undefined): Op | undefined {
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
  }
}
