/**
 * Splits the text of a Server-Sent Events stream into its events, as it arrives in pieces: the bench's client
 * and the tests' both read the server's stream through this.
 */
export class SseFrames {
  #buf = ''

  /** the complete events in `text` and what came before it; an incomplete last one waits for the next piece */
  push(text: string): Array<{ event: string; data: unknown }> {
    this.#buf += text
    const out: Array<{ event: string; data: unknown }> = []
    let end: number
    while ((end = this.#buf.indexOf('\n\n')) >= 0) {
      const block = this.#buf.slice(0, end)
      this.#buf = this.#buf.slice(end + 2)
      const event = /^event: (.*)$/m.exec(block)?.[1]
      const data = /^data: (.*)$/m.exec(block)?.[1]
      if (event && data !== undefined) out.push({ event, data: JSON.parse(data) })
    }
    return out
  }
}
