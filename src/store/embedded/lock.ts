import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { FILE_MODE } from './fs.js'
import { join } from 'node:path'

export class DataDirError extends Error {}

/** refuses a directory that holds no Pigeonhole store (a command that reads one must not create one); `advice` ends the sentence */
export function requireStore(dir: string, advice: string): void {
  if (!existsSync(join(dir, 'accounts.json'))) throw new DataDirError(`there is no Pigeonhole store in ${dir} (no accounts.json); ${advice}`)
}

/**
 * One server per data directory: a lock file holding the owner's pid. A lock left by a process that no
 * longer runs (kill -9, power cut) is taken over.
 */
export function acquireLock(dir: string): () => void {
  const path = join(dir, 'pigeonhole.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx', mode: FILE_MODE })
      let released = false
      return () => {
        if (released) return
        released = true
        try {
          unlinkSync(path)
        } catch {}
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        throw new DataDirError(`cannot write to the data directory ${dir} (${code}); run Pigeonhole as the user that owns it, or choose another with --data-dir`)
      }
      if (code !== 'EEXIST') throw err
      const owner = Number(readFileSync(path, 'utf8').trim())
      if (owner && isRunning(owner)) {
        throw new DataDirError(
          `the data directory ${dir} is in use by another Pigeonhole (pid ${owner}); stop it first`,
        )
      }
      unlinkSync(path) // stale: its owner is gone
    }
  }
  throw new DataDirError(`could not lock the data directory ${dir}`)
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
  // after a reboot the pid may belong to something else entirely: only a node process counts
  try {
    return /node|pigeonhole/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))
  } catch {
    return true
  }
}
