/** where an event stream's frames go: Node's response (node-fast-path.ts) or a web ReadableStream (below) */
export interface FrameWriter {
  write(frame: string): void
  end(): void
  /** drops the client (its unread frames too) */
  cut(): void
  /** bytes written that the client has not taken yet */
  unread(): number
  /** settles once the client has taken the backlog, or left */
  drained(): Promise<void>
  /** called once, when the client leaves or the stream ends */
  onClose(listener: () => void): void
}

/** the frames as a web stream of bytes, its queue (counted in bytes) standing in for Node's write buffer */
export function webEventStream(highWaterMark: number): { body: ReadableStream<Uint8Array>; frames: FrameWriter } {
  const encoder = new TextEncoder()
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let closed = false
  let closeListener = () => {}
  let waiting: Array<() => void> = []
  const wake = () => {
    const resolve = waiting
    waiting = []
    for (const r of resolve) r()
  }
  const gone = () => {
    if (closed) return
    closed = true
    wake()
    closeListener()
  }
  const body = new ReadableStream<Uint8Array>(
    {
      start: (ctl) => void (controller = ctl),
      // called whenever the queue is below its high-water mark again
      pull: wake,
      cancel: gone,
    },
    new ByteLengthQueuingStrategy({ highWaterMark: highWaterMark }),
  )
  const frames: FrameWriter = {
    write(frame) {
      if (!closed) controller.enqueue(encoder.encode(frame))
    },
    end() {
      if (closed) return
      controller.close()
      gone()
    },
    cut() {
      if (closed) return
      controller.error(new Error('the client stopped reading its event stream'))
      gone()
    },
    unread: () => (closed ? 0 : highWaterMark - (controller.desiredSize ?? 0)),
    drained: () => (closed ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
    onClose(listener) {
      closeListener = listener
    },
  }
  return { body, frames }
}

