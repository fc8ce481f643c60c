import * as fsp from 'node:fs/promises'

/** The file-system calls the store makes, so that tests can put a failing disk underneath it. */
export type Fs = Pick<typeof fsp, 'open' | 'rename' | 'readFile' | 'readdir' | 'mkdir' | 'unlink' | 'stat' | 'rm'>

export const nodeFs: Fs = fsp

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
