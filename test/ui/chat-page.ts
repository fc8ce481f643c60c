import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { watch } from './browser.js'

/** a person at the chat page (/), driven by roles and labels as a screen reader would name them */
export class ChatPage {
  readonly problems: string[]
  private constructor(readonly page: Page, readonly base: string) {
    this.problems = watch(page)
  }

  /** a browser of one's own (its own storage), the size of a desktop window or of a phone */
  static async context(browser: Browser, size: 'desktop' | 'phone' = 'desktop'): Promise<BrowserContext> {
    const viewport = size === 'phone' ? { width: 390, height: 844 } : { width: 1200, height: 780 }
    return browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'UTC', ...(size === 'phone' ? { isMobile: true, hasTouch: true } : {}) })
  }

  static async open(context: BrowserContext, base: string): Promise<ChatPage> {
    const chat = new ChatPage(await context.newPage(), base)
    await chat.page.goto(base + '/')
    return chat
  }

  /** with the keyboard alone: the user id field has the focus, Tab to the password, Enter */
  async logIn(userId: string, password = `${userId}-password`): Promise<void> {
    await this.page.locator('html[data-state=login]').waitFor()
    await this.page.keyboard.type(userId)
    await this.page.keyboard.press('Tab')
    await this.page.keyboard.type(password)
    await this.page.keyboard.press('Enter')
    await this.ready()
  }

  /** logged in, contacts loaded and the event stream open */
  ready(): Promise<void> {
    return this.page.locator('html[data-state=ready]').waitFor()
  }

  async addContact(userId: string, nickname: string): Promise<void> {
    await this.page.getByLabel("Contact's user id").fill(userId)
    await this.page.getByLabel('Nickname').fill(nickname)
    await this.page.getByRole('button', { name: 'Add', exact: true }).click()
    await this.contact(nickname).waitFor()
  }

  contact(name: string): Locator {
    return this.page.getByRole('list', { name: 'Contacts' }).getByRole('button', { name: new RegExp(`^${name}\\b`) })
  }

  /** what a contact's row says about their presence ("online", "busy — in a meeting", "offline") */
  async presenceOf(name: string): Promise<string> {
    return (await this.contact(name).locator('.presence').textContent()) ?? ''
  }

  waitForPresence(name: string, text: RegExp, timeout = 5000): Promise<void> {
    return this.contact(name).locator('.presence', { hasText: text }).waitFor({ timeout })
  }

  async openChat(name: string): Promise<void> {
    await this.contact(name).click()
    await this.page.getByRole('log').waitFor()
  }

  messageBox(): Locator {
    return this.page.getByRole('textbox', { name: 'Message' })
  }

  /** types a message line by line (Shift+Enter between lines) and sends it with Enter */
  async write(text: string): Promise<Locator> {
    const box = this.messageBox()
    await box.focus()
    const lines = text.split('\n')
    for (const [i, line] of lines.entries()) {
      if (i > 0) await this.page.keyboard.press('Shift+Enter')
      await box.pressSequentially(line, { delay: 0 })
    }
    await this.page.keyboard.press('Enter')
    return this.bubble(text.split('\n')[0])
  }

  bubble(text: string): Locator {
    return this.page.getByRole('log').locator('li.msg', { hasText: text }).last()
  }

  /** the state under one of my bubbles turns to `state` ("accepted for offline delivery", "delivered", …) */
  waitForState(bubble: Locator, state: string, timeout = 5000): Promise<void> {
    return bubble.locator('.state', { hasText: new RegExp(`^${state}$`) }).waitFor({ timeout })
  }

  /** whether the page scrolls sideways (it must not, at any width) */
  scrollsSideways(): Promise<boolean> {
    return this.page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth)
  }

  /** what went wrong on the page: CSP violations, uncaught errors, dialogs (an HTTP refusal the page expects is not one) */
  unexpected(): string[] {
    return this.problems.filter((p) => !/Failed to load resource: the server responded with a status of (403|404)/.test(p))
  }
}
