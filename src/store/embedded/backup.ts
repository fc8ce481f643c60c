import { copyFile, mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { DIR_MODE, isNotFound } from './fs.js'
import { DataDirError } from './lock.js'

const SEGMENT = /^\d{8}\.jsonl$/
const BOX = /^[^.].*\.json$/
/** the relay key pair (src/http/relay/keys.ts), which belongs to the data directory like the store */
const RELAY_KEY = 'relay-key.pem'

/**
 * Copies a data directory while its server runs, into an empty `dest`, as a state the store can open.
 *
 * Box files and accounts.json are only ever replaced whole (rename), and journal segments only grow, so
 * each file copies cleanly; the order makes the set consistent. Boxes are copied first, then every journal
 * segment: replaying the journal in order sets each message and report to the state of its last op, so
 * boxes a little newer than the journal's start do no harm. What would harm is a segment deleted by a
 * checkpoint between the two steps (ops in a box copied before it was written would be missing): then the
 * copy starts over. A batch half-written when its segment was copied is a torn line, which the store skips
 * at open: that send had not been acknowledged when the copy was taken.
 */
export async function backupDataDir(dataDir: string, dest: string, attempts = 5): Promise<{ files: number }> {
  await ensureEmpty(dest, 'the backup destination')
  for (let attempt = 0; attempt < attempts; attempt++) {
    const before = await list(join(dataDir, 'journal'), SEGMENT)
    let files = 0
    await makeLayout(dest)
    if (await copyIfThere(join(dataDir, 'accounts.json'), join(dest, 'accounts.json'))) files++
    // the relay key is never replaced, and peers have pinned it: a restore without it would cut them off
    if (await copyIfThere(join(dataDir, RELAY_KEY), join(dest, RELAY_KEY))) files++
    for (const name of await list(join(dataDir, 'boxes'), BOX)) {
      if (await copyIfThere(join(dataDir, 'boxes', name), join(dest, 'boxes', name))) files++
    }
    const copied = new Set<string>()
    for (const name of await list(join(dataDir, 'journal'), SEGMENT)) {
      if (await copyIfThere(join(dataDir, 'journal', name), join(dest, 'journal', name))) copied.add(name)
    }
    if (before.every((name) => copied.has(name))) return { files: files + copied.size }
    await rm(dest, { recursive: true, force: true }) // a checkpoint ran meanwhile: start over
  }
  throw new DataDirError(`could not take a consistent copy of ${dataDir} in ${attempts} attempts (checkpoints kept running); try again`)
}

/** copies a backup into an empty data directory; the caller opens the store there to check it */
export async function restoreDataDir(src: string, dataDir: string): Promise<void> {
  const found = await list(src, /^accounts\.json$/)
  if (!found.length) throw new DataDirError(`${src} is not a Pigeonhole backup (no accounts.json)`)
  await ensureEmpty(dataDir, 'the data directory to restore into')
  await makeLayout(dataDir)
  await copyFile(join(src, 'accounts.json'), join(dataDir, 'accounts.json'))
  if ((await list(src, /^relay-key\.pem$/)).length) await copyFile(join(src, RELAY_KEY), join(dataDir, RELAY_KEY))
  for (const sub of ['boxes', 'journal']) {
    for (const name of await list(join(src, sub), sub === 'boxes' ? BOX : SEGMENT)) await copyFile(join(src, sub, name), join(dataDir, sub, name))
  }
}

async function ensureEmpty(dir: string, what: string): Promise<void> {
  let entries: string[]
  try {
    entries = await readdir(dir)
  } catch (err) {
    if (isNotFound(err)) return
    throw new DataDirError(`cannot use ${dir} as ${what}: ${(err as Error).message}`)
  }
  if (entries.length) throw new DataDirError(`${what}, ${dir}, is not empty; name a new or empty directory`)
}

async function makeLayout(dir: string): Promise<void> {
  for (const sub of ['', 'boxes', 'journal']) await mkdir(join(dir, sub), { recursive: true, mode: DIR_MODE })
}

async function list(dir: string, pattern: RegExp): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => pattern.test(n)).sort()
  } catch (err) {
    if (isNotFound(err)) return []
    throw err
  }
}

/** false when the file went away meanwhile (a box emptied and removed, a segment a checkpoint deleted) */
async function copyIfThere(from: string, to: string): Promise<boolean> {
  try {
    await copyFile(from, to)
    return true
  } catch (err) {
    if (isNotFound(err)) return false
    throw err
  }
}
