import * as fsp from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'

/** The file-system calls the store makes, so that tests can put a failing disk underneath it. */
export type Fs = Pick<typeof fsp, 'open' | 'rename' | 'readFile' | 'readdir' | 'mkdir' | 'unlink' | 'stat' | 'rm'>

export const nodeFs: Fs = fsp

/** password hashes and message bodies live in these files: readable by the server's user alone */
export const FILE_MODE = 0o600
export const DIR_MODE = 0o700

/** Makes a new or renamed directory entry durable. */
export async function fsyncDir(fs: Fs, dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

export function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT'
}

/**
 * Writes all of `buf` at `position`. A write may take only part of a buffer without an error (a disk filling
 * up mid-write): the rest is retried, and a write that takes nothing is the error the disk would not give.
 */
export async function writeFully(handle: FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0
  while (done < buf.length) {
    const { bytesWritten } = await handle.write(buf, done, buf.length - done, position + done)
    if (bytesWritten <= 0) throw Object.assign(new Error('ENOSPC: no space left on device (short write)'), { code: 'ENOSPC' })
    done += bytesWritten
  }
}
