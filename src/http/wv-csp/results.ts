import { CODES, type Detail, type ImpsError, type Result, resultOf } from '../../core/codes.js'
import { e, type El } from './xml/tree.js'

/** WV-CSP codes the core's table does not hold, used by this door only */
export const WV_TEXTS: Record<number, string> = {
  501: 'Not implemented',
  503: 'Service unavailable',
  505: 'Version not supported',
  700: 'Contact list does not exist',
  701: 'Contact list already exists',
  800: 'Group does not exist',
}

/** a group named in a primitive this server serves: there are no groups here (their primitives are 501) */
export const NO_GROUPS = 'Group does not exist: this server has no groups yet'

export interface WvDetail {
  code: number
  text: string
  /** user ids as written on the wire */
  users: string[]
}

export interface WvResult {
  code: number
  text: string
  details?: WvDetail[]
}

export const ok: WvResult = { code: 200, text: 'Successful' }

export function wvResult(code: number, text?: string): WvResult {
  return { code, text: text ?? (CODES as Record<number, { text: string }>)[code]?.text ?? WV_TEXTS[code] ?? 'Error' }
}

/** a core Result, with its detail users written as this door writes ids */
export function fromCore(r: Result, writeId: (id: string) => string): WvResult {
  return { code: r.code, text: r.text, ...(r.details ? { details: r.details.map((d: Detail) => ({ code: d.code, text: d.text, users: (d.users ?? []).map(writeId) })) } : {}) }
}

/** a refusal thrown by the core (or this door) as a result */
export function fromError(err: ImpsError, writeId: (id: string) => string): WvResult {
  return fromCore(resultOf(err), writeId)
}

/** `Result(Code, Description, DetailedResult*)`; always nested as `<Result><Code>` (never IV's bare Code) */
export function resultEl(r: WvResult): El {
  return e('Result', [
    e('Code', r.code),
    e('Description', r.text),
    (r.details ?? []).map((d) => e('DetailedResult', [e('Code', d.code), e('Description', d.text), d.users.map((u) => e('UserID', u))])),
  ])
}

export function statusEl(r: WvResult): El {
  return e('Status', [resultEl(r)])
}
