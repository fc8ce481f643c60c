/** The one table of protocol codes (PROTOCOL.md section 6): code → default text and HTTP status. */
export const CODES = {
  200: { text: 'Successful', http: 200 },
  201: { text: 'Partially successful', http: 200 },
  202: { text: 'IM accepted for offline user', http: 200 },
  400: { text: 'Bad request', http: 400 },
  402: { text: 'Bad parameter', http: 400 },
  403: { text: 'Forbidden', http: 403 },
  404: { text: 'Not found', http: 404 },
  409: { text: 'Invalid password', http: 401 },
  410: { text: 'Unable to deliver IM, offline space is full', http: 507 },
  413: { text: 'Message too large', http: 413 },
  415: { text: 'Unsupported media type', http: 415 },
  426: { text: 'Invalid message id', http: 404 },
  429: { text: 'Too many requests', http: 429 },
  500: { text: 'Internal server error', http: 500 },
  503: { text: 'Service unavailable', http: 503 },
  507: { text: 'Message queue for offline messages is full', http: 429 },
  531: { text: 'Unknown user', http: 404 },
  532: { text: 'Recipient user blocked the sender', http: 403 },
  533: { text: 'Message recipient not logged in', http: 409 },
  538: { text: 'Message has been rejected', http: 200 },
  542: { text: 'Message has expired', http: 200 },
  600: { text: 'Session expired', http: 401 },
  601: { text: 'Forced logout', http: 401 },
  604: { text: 'Invalid session', http: 401 },
  605: { text: 'New value not accepted', http: 200 },
  900: { text: 'Multiple errors', http: 400 },
} as const satisfies Record<number, { text: string; http: number }>

export type Code = keyof typeof CODES

export interface Result {
  code: Code
  text: string
  details?: Detail[]
}

export interface Detail {
  code: Code
  text: string
  users?: string[]
}

export function result(code: Code, text?: string): Result {
  return { code, text: text ?? CODES[code].text }
}

export function httpStatus(code: Code): number {
  return CODES[code].http
}

/**
 * A protocol outcome thrown by the core and rendered by the HTTP layer's one error handler.
 * `text` is the sentence a person reads; `extra` carries fields the answer adds (e.g. Retry-After).
 */
export class ImpsError extends Error {
  readonly code: Code
  readonly extra: Record<string, unknown>
  constructor(code: Code, text?: string, extra: Record<string, unknown> = {}) {
    super(text ?? CODES[code].text)
    this.code = code
    this.extra = extra
  }
}

/** the Result a refusal reads as: its sentence, and as a detail the users it names (an unknown recipient, say) */
export function resultOf(err: ImpsError): Result {
  const r = result(err.code, err.message)
  const users = (err.extra as { users?: string[] }).users
  if (users) r.details = [{ code: err.code, text: CODES[err.code].text, users }]
  return r
}
