import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { hashPassword } from '../../src/core/passwords.js'
import type { StoredMessage, UserRecord } from '../../src/core/types.js'
import { BOX_SCHEMA, type BoxFile, type Op } from '../../src/store/embedded/box.js'
import { emptyAccounts } from '../../src/store/embedded/accounts-file.js'

export const userName = (prefix: string, i: number) => `${prefix}${String(i).padStart(4, '0')}`

/** a body of about `bytes` characters that carries a tag the check can find again */
export function body(tag: string, bytes = 150): string {
  const filler = 'the quick brown fox jumps over the lazy dog and keeps running through the field '
  let s = `${tag} `
  while (s.length < bytes) s += filler
  return s.slice(0, bytes)
}

let hashCache: Promise<string> | undefined

/**
 * Writes a store directly in the on-disk format (accounts.json + boxes/<user>.json), as a server that has
 * been running a while would have left it after a clean stop. Far faster than sending 100k messages over
 * HTTP. Every user's password is `<user>-password`; one hash is shared, computed once.
 */
export async function seedStore(dir: string, opts: { users: string[]; messagesPerUser: number; now?: number }): Promise<number> {
  const { users, messagesPerUser } = opts
  const now = opts.now ?? Date.now()
  mkdirSync(join(dir, 'boxes'), { recursive: true })
  mkdirSync(join(dir, 'journal'), { recursive: true })
  // all users share one password so that one scrypt hash serves them all
  hashCache ??= hashPassword('seeded-password')
  const passwordHash = await hashCache
  const accounts = emptyAccounts()
  for (const id of users) {
    const u: UserRecord = {
      id, passwordHash, createdAt: now, disabled: false, quotas: {},
      block: { inUse: false, users: [] }, grant: { inUse: false, users: [] },
    }
    accounts.users[id] = u
  }
  writeFileSync(join(dir, 'accounts.json'), JSON.stringify(accounts))
  let n = 0
  users.forEach((recipient, r) => {
    const messages: StoredMessage[] = []
    for (let k = 0; k < messagesPerUser; k++) {
      const sender = users[(r + 1 + k) % users.length]
      const b = body(`seed-${recipient}-${k}`)
      messages.push({
        id: randomBytes(16).toString('base64url').slice(0, 21), sender, recipient, sentAt: now - (messagesPerUser - k) * 1000,
        contentType: 'text/plain', body: b, size: Buffer.byteLength(b), offline: true,
        validUntil: now + 7 * 86_400_000, deliveryReport: false,
      })
      n++
    }
    const file: BoxFile = { schema: BOX_SCHEMA, user: recipient, messages, reports: [] }
    writeFileSync(join(dir, 'boxes', `${recipient}.json`), JSON.stringify(file))
  })
  return n
}

export const SEEDED_PASSWORD = 'seeded-password'

/**
 * Every message body in a stopped server's data dir (box files, plus any journal ops not yet checkpointed,
 * applied the way the store replays them), keyed by recipient and message id so that a copy counts once.
 */
export function storedMessages(dir: string): StoredMessage[] {
  const byKey = new Map<string, StoredMessage>()
  const boxes = join(dir, 'boxes')
  for (const name of readdirSync(boxes)) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue
    const file = JSON.parse(readFileSync(join(boxes, name), 'utf8')) as BoxFile
    for (const m of file.messages) {
      const key = `${m.recipient}\n${m.id}`
      if (byKey.has(key)) throw new Error(`message ${m.id} appears twice in ${name}`)
      byKey.set(key, m)
    }
  }
  const journal = join(dir, 'journal')
  if (existsSync(journal)) {
    for (const name of readdirSync(journal).filter((n) => n.endsWith('.jsonl')).sort()) {
      for (const line of readFileSync(join(journal, name), 'utf8').split('\n')) {
        if (!line.startsWith('[')) continue
        let ops: Op[]
        try {
          ops = JSON.parse(line)
        } catch {
          continue
        }
        for (const op of ops) {
          if (op.o === 'm') byKey.set(`${op.m.recipient}\n${op.m.id}`, op.m)
          if (op.o === 'd') byKey.delete(`${op.u}\n${op.id}`)
        }
      }
    }
  }
  return [...byKey.values()]
}
