import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, chromium, type Locator, type Page } from 'playwright-core'

/** real headless Chromium (Debian's package), started the same way in CI and here */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

/**
 * Screenshots of every page into a temp dir (printed), to look at. With PIGEONHOLE_UPDATE_DOCS=1 the ones
 * the README shows are also copied to docs/.
 */
export class Shots {
  readonly dir = mkdtempSync(join(tmpdir(), 'pigeonhole-shots-'))
  readonly taken: string[] = []

  async take(page: Page, name: string, opts: { docs?: string } = {}): Promise<string> {
    const path = join(this.dir, `${name}.png`)
    await page.screenshot({ path, fullPage: true })
    this.taken.push(path)
    if (opts.docs && process.env.PIGEONHOLE_UPDATE_DOCS === '1') {
      mkdirSync('docs', { recursive: true })
      copyFileSync(path, join('docs', opts.docs))
    }
    return path
  }
}

/** what the page complained about: console errors (CSP violations among them), uncaught errors, dialogs */
export function watch(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`)
    d.dismiss().catch(() => {})
  })
  return problems
}

/** waits (real time, bounded) until a locator matches exactly `n` elements: htmx refreshes every 2 s */
export async function waitForCount(locator: Locator, n: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  let last = -1
  while (Date.now() < deadline) {
    last = await locator.count()
    if (last === n) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`expected ${n} matches, still ${last} after ${ms} ms`)
}

export async function logIn(page: Page, base: string, password: string): Promise<void> {
  await page.goto(base + '/admin')
  await page.fill('input[name=password]', password)
  await Promise.all([page.waitForURL(base + '/admin'), page.click('button[type=submit]')])
}
