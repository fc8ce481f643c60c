/**
 * How much resident memory scrypt leaves behind in a plain Node process, per parameter set (issue 11, point 7).
 * Each measurement is a fresh child `node` with no MALLOC_* variable (unless the row asks for one, as a
 * diagnostic): its RSS after 20 concurrent hashes, then after 20 more one at a time, and the time per hash.
 *
 *   node --import tsx scripts/measure-kdf-memory.ts [--runs 3]
 */
import { execFileSync } from 'node:child_process'
import { parseArgs } from 'node:util'

const { values: a } = parseArgs({ options: { runs: { type: 'string' } } })
const runs = Number(a.runs ?? 3)

// plain JS so that the child is a bare `node`, with nothing (tsx) loaded besides
const CHILD = `
const { scrypt, randomBytes } = require('node:crypto')
const { readFileSync } = require('node:fs')
const [N, r, p] = process.argv.slice(1).map(Number)
const kb = (k) => Number(new RegExp('^' + k + ':\\\\s+(\\\\d+) kB', 'm').exec(readFileSync('/proc/self/status', 'utf8'))[1])
const hash = () => new Promise((res, rej) => scrypt('correct horse', randomBytes(16), 32, { N, r, p }, (e, k) => (e ? rej(e) : res(k))))
;(async () => {
  const before = kb('VmRSS')
  await Promise.all(Array.from({ length: 20 }, hash))
  const afterConcurrent = kb('VmRSS')
  const times = []
  const cpu0 = process.cpuUsage()
  for (let i = 0; i < 20; i++) { const t = performance.now(); await hash(); times.push(performance.now() - t) }
  const cpu = process.cpuUsage(cpu0)
  await new Promise((res) => setTimeout(res, 500))
  times.sort((x, y) => x - y)
  console.log(JSON.stringify({ before, afterConcurrent, after: kb('VmRSS'), hwm: kb('VmHWM'), ms: times[10], cpuMs: (cpu.user + cpu.system) / 1000 / 20 }))
})()
`

interface Case { label: string; N: number; r: number; p: number; env?: Record<string, string> }
const CASES: Case[] = [
  { label: 'no hashes (N=2, baseline)', N: 2, r: 1, p: 1 },
  { label: 'today  N=2^14 r=8 p=1', N: 2 ** 14, r: 8, p: 1 },
  { label: 'OWASP  N=2^13 r=8 p=2', N: 2 ** 13, r: 8, p: 2 },
  { label: 'OWASP  N=2^12 r=8 p=4', N: 2 ** 12, r: 8, p: 4 },
  { label: 'OWASP  N=2^11 r=8 p=8', N: 2 ** 11, r: 8, p: 8 },
  { label: 'beyond the table: N=2^10 r=8 p=16', N: 2 ** 10, r: 8, p: 16 },
  { label: 'diag: today + MALLOC_ARENA_MAX=1', N: 2 ** 14, r: 8, p: 1, env: { MALLOC_ARENA_MAX: '1' } },
  { label: 'diag: today + MALLOC_MMAP_THRESHOLD_=1048576', N: 2 ** 14, r: 8, p: 1, env: { MALLOC_MMAP_THRESHOLD_: '1048576' } },
  { label: 'diag: today + UV_THREADPOOL_SIZE=1', N: 2 ** 14, r: 8, p: 1, env: { UV_THREADPOOL_SIZE: '1' } },
]

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]
const mb = (k: number) => (k / 1024).toFixed(1)

console.log(`${runs} run(s) each; RSS in MB (median); ms = median wall time of 20 sequential hashes, cpu = process CPU time per hash over them`)
console.log(['params'.padEnd(46), 'MiB/hash', 'ms/hash', 'cpu ms', 'start', 'after 20 conc', 'after +20 seq', 'peak'].join('  '))
for (const c of CASES) {
  const results = Array.from({ length: runs }, () => {
    // the child's environment is built from nothing: no MALLOC_* leaks in from ours
    const env = { PATH: process.env.PATH ?? '', ...c.env }
    return JSON.parse(execFileSync(process.execPath, ['-e', CHILD, String(c.N), String(c.r), String(c.p)], { env, encoding: 'utf8' }))
  })
  const m = (k: string) => median(results.map((x) => x[k]))
  console.log([
    c.label.padEnd(46), ((128 * c.r * c.N) / 2 ** 20).toFixed(3).padStart(8), m('ms').toFixed(1).padStart(7), m('cpuMs').toFixed(1).padStart(6), mb(m('before')).padStart(5),
    mb(m('afterConcurrent')).padStart(13), mb(m('after')).padStart(13), mb(m('hwm')).padStart(4),
  ].join('  '))
}
