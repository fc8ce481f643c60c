import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** `../shared/wv-vectors` beside the repository (CI clones it there); a clear failure when it is missing */
export const VECTORS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'wv-vectors')

function located(path: string[]): string {
  const file = join(VECTORS, ...path)
  if (!existsSync(file)) {
    throw new Error(`WV-CSP test vectors not found at ${file}: the tests expect ../shared/wv-vectors beside the repository (it is there in CI)`)
  }
  return file
}

export function vectorFile(...path: string[]): string {
  return readFileSync(located(path), 'utf8')
}

export function vectorDir(...path: string[]): string[] {
  return readdirSync(located(path)).sort()
}

/**
 * The 16 Razr requests of interVillage's rand.xml: split before each `<?xml`, cut after the message's end (the
 * file mixes in a response fragment and separators), and the Python bytes repr undone (`\'` → `'`, `\\` → `\`).
 */
export function razrCaptures(): string[] {
  return vectorFile('intervillage-rand-46cda89.xml')
    .split(/(?=<\?xml)/)
    .filter((chunk) => chunk.startsWith('<?xml'))
    .map((chunk) => chunk.slice(0, chunk.indexOf('</WV-CSP-Message>') + '</WV-CSP-Message>'.length))
    .map((doc) => doc.replace(/\\(['\\])/g, '$1'))
}

/** a request body with its SessionID replaced by a live one */
export function withSession(doc: string, sessionId: string): string {
  return doc.replace(/<SessionID>[^<]*<\/SessionID>/, `<SessionID>${sessionId}</SessionID>`)
}
