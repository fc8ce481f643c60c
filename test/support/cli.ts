import { spawn } from 'node:child_process'

export interface Ran {
  code: number | null
  out: string
  err: string
}

/**
 * Runs `pigeonhole ARGS` from the sources (`node --import tsx src/main.ts`) as its own process, as an admin's
 * shell would, with only PATH and `env` in its environment. With `until`, the process is stopped (SIGTERM)
 * once its standard output matches.
 */
export function runCli(args: string[], opts: { env?: Record<string, string>; until?: RegExp } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => {
      out += d
      if (opts.until?.test(out)) child.kill('SIGTERM')
    })
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, out, err }))
  })
}
