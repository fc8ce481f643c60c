/** The JSON API (PROTOCOL.md) from the browser: same origin, bearer token, every answer carries a result. */
export interface Result {
  code: number
  text: string
  details?: Array<{ code: number; text: string; users?: string[] }>
}
export type Answer = { result: Result; [field: string]: any }

/** codes that mean this session is over (PROTOCOL.md 2) */
const SESSION_GONE = new Set([600, 601, 604])

export class Api {
  token: string | undefined
  /** told once when a call finds the session gone */
  onSessionGone: (r: Result) => void = () => {}

  async call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {}
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (this.token) headers.authorization = `Bearer ${this.token}`
    let res: Response
    try {
      res = await fetch('/api/v1' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    } catch {
      return { result: { code: 0, text: 'The server cannot be reached; check the connection and try again.' } }
    }
    let answer: Answer
    try {
      answer = await res.json()
      if (typeof answer?.result?.code !== 'number') throw new Error('no result')
    } catch {
      answer = { result: { code: res.status, text: `The server answered ${res.status} ${res.statusText}` } }
    }
    if (this.token && SESSION_GONE.has(answer.result.code)) this.onSessionGone(answer.result)
    return answer
  }

  get(path: string) {
    return this.call('GET', path)
  }

  post(path: string, body: unknown = {}) {
    return this.call('POST', path, body)
  }
}

/** the code a send got for one recipient: its detail, else the top code */
export function codeFor(answer: Answer, userId: string): number {
  const detail = answer.result.details?.find((d) => d.users?.includes(userId))
  return detail ? detail.code : answer.result.code
}
