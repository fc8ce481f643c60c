import * as fsp from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import type { Fs } from '../../src/store/embedded/fs.js'

/** A file system that fails every write with ENOSPC while `full` is true, as a full SD card would. */
export class FailingFs {
  full = false
  failures = 0

  readonly fs: Fs = {
    ...fsp,
    open: async (...args: Parameters<typeof fsp.open>) => this.#wrap(await fsp.open(...args)),
    rename: async (...args: Parameters<typeof fsp.rename>) => (this.#check(), fsp.rename(...args)),
  }

  #check(): void {
    if (this.full) {
      this.failures++
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    }
  }

  #wrap(handle: FileHandle): FileHandle {
    const write = handle.write.bind(handle) as (...a: unknown[]) => Promise<unknown>
    const check = () => this.#check()
    const full = () => this.full
    return new Proxy(handle, {
      get(target, prop, receiver) {
        if (prop === 'write') {
          return async (...a: unknown[]) => {
            const [buf, offset, length, position] = a as [Buffer, number, number, number]
            if (full() && Buffer.isBuffer(buf) && typeof length === 'number' && length > 1) {
              // a filling disk takes part of a write and reports how much, without an error
              return write(buf, offset, Math.floor(length / 2), position)
            }
            check()
            return write(...a)
          }
        }
        if (prop === 'datasync' || prop === 'sync') {
          return async () => {
            check()
            return Reflect.get(target, prop, receiver).call(target)
          }
        }
        const v = Reflect.get(target, prop, receiver)
        return typeof v === 'function' ? v.bind(target) : v
      },
    })
  }
}
