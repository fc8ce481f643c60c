/**
 * Remembers recently settled message ids, so that a repeated MessageDelivered (a client retrying after a
 * lost answer) is answered 200 rather than "Invalid message id". Bounded; oldest forgotten first.
 */
export class SettledMemo {
  readonly #ids = new Set<string>()
  constructor(private readonly max = 50_000) {}

  remember(user: string, id: string): void {
    const key = `${user}\n${id}`
    this.#ids.delete(key)
    this.#ids.add(key)
    if (this.#ids.size > this.max) this.#ids.delete(this.#ids.values().next().value!)
  }

  has(user: string, id: string): boolean {
    return this.#ids.has(`${user}\n${id}`)
  }
}
