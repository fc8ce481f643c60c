import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'

export const BUNDLE = join(process.cwd(), 'dist', 'pigeonhole.mjs')

/** builds dist/pigeonhole.mjs once per test run (skipped when it is newer than every source file) */
export function ensureBundle(): string {
  const fresh = existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs > newestSource()
  if (!fresh) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' })
  return BUNDLE
}

function newestSource(): number {
  const out = execFileSync('find', ['src', 'views', 'scripts/build.mjs', '-type', 'f', '-newer', BUNDLE]).toString().trim()
  return out ? Infinity : 0
}

export interface ServerProcess {
  child: ChildProcess
  url: string
  output: () => string
}

/** starts the bundle as a separate process and waits for its `listening on` line */
export function startProcess(args: string[], env: Record<string, string>, cwd = process.cwd()): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const timer = setTimeout(() => reject(new Error(`no "listening on" line within 10 s:\n${out}`)), 10_000)
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve({ child, url: m[1], output: () => out })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()))
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`exited with ${code} before listening:\n${out}`))
    })
  })
}

export function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}
