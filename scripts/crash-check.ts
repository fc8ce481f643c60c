import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { LowdbStore } from '../src/store/embedded/lowdb-store.js'

export interface Acked {
  id: string
  recipient: string
  sender: string
}

/** what one crash trial found in the data dir: problems (must be none) and how much was there */
export async function checkDataDir(dir: string, acked: Acked[]): Promise<{ problems: string[]; stored: number }> {
  const problems: string[] = []
  // every data file parses (a journal may end in one torn line: a batch never acknowledged)
  for (const file of ['accounts.json', ...readdirSync(join(dir, 'boxes')).filter((n) => !n.startsWith('.')).map((n) => `boxes/${n}`)]) {
    try {
      JSON.parse(readFileSync(join(dir, file), 'utf8'))
    } catch (err) {
      problems.push(`${file} does not parse: ${(err as Error).message}`)
    }
  }
  for (const seg of readdirSync(join(dir, 'journal'))) {
    const lines = readFileSync(join(dir, 'journal', seg), 'utf8').split('\n').filter(Boolean)
    lines.forEach((line, i) => {
      try {
        JSON.parse(line)
      } catch {
        if (i !== lines.length - 1) problems.push(`journal ${seg} line ${i + 1} is torn but not the last`)
      }
    })
  }
  const store = await LowdbStore.open(dir)
  try {
    const boxes = new Map<string, string[]>()
    const outbox = new Map<string, number>()
    let stored = 0
    for (const user of await store.listUsers()) {
      const messages = await store.listMessages(user.id)
      boxes.set(user.id, messages.map((m) => m.id))
      stored += messages.length
      const usage = (await store.usage([user.id]))[0].inbox
      const bytes = messages.reduce((n, m) => n + m.size, 0)
      if (usage.messages !== messages.length || usage.bytes !== bytes) {
        problems.push(`${user.id}: counted ${usage.messages} messages / ${usage.bytes} bytes, holds ${messages.length} / ${bytes}`)
      }
      for (const m of messages) outbox.set(m.sender, (outbox.get(m.sender) ?? 0) + 1)
    }
    for (const user of await store.listUsers()) {
      if ((await store.usage([user.id]))[0].outbox !== (outbox.get(user.id) ?? 0)) {
        problems.push(`${user.id}: outbox counted ${(await store.usage([user.id]))[0].outbox}, holds ${outbox.get(user.id) ?? 0}`)
      }
    }
    for (const a of acked) {
      const n = (boxes.get(a.recipient) ?? []).filter((id) => id === a.id).length
      if (n !== 1) problems.push(`acknowledged message ${a.id} for ${a.recipient} is there ${n} times`)
    }
    return { problems, stored }
  } finally {
    await store.close()
  }
}
