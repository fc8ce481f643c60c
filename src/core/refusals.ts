import { type Code, ImpsError } from './codes.js'

/**
 * Every refusal the core or a door gives, by name: one place writes each sentence, so that a code always
 * reads the same whichever door a client came through. Texts name no binding (no HTTP header, no XML
 * element); a door that needs to say more adds it in its own words.
 */
const refuse = (code: Code, text: string, extra?: Record<string, unknown>) => new ImpsError(code, text, extra)
const clip = (s: string, n = 64) => s.slice(0, n)

export const badRequest = (why: string) => refuse(400, `Bad request: ${why}`)
export const notJson = (detail: string) => badRequest(`the body is not valid JSON (${clip(detail, 120)})`)
export const notAJsonObject = () => badRequest('the body must be a JSON object, like {"key": "value"}')
export const bodyCutOff = () => badRequest('the body was cut off before its end')
export const badParameter = (why: string) => refuse(402, `Bad parameter: ${why}`)
export const invalidUserId = (field: string, raw: string) =>
  refuse(402, `${field} "${clip(raw, 80)}" is not a valid user id: 1–64 characters of a–z, 0–9, dot, underscore or hyphen, starting with a letter or digit`)
export const invalidAddress = (field: string, raw: string) =>
  refuse(402, `${field} "${clip(raw, 80)}" is not a valid address: a user id (1–64 characters of a–z, 0–9, dot, underscore or hyphen), or user@domain for a user of another server`)
export const passwordTooShort = (min: number) => refuse(402, `password must be at least ${min} characters`)
export const passwordTooLong = (max: number) => refuse(402, `password must be at most ${max} characters`)
export const quotaNotANumber = (key: string, raw?: string) =>
  badParameter(`${key} must be a whole number ≥ 0${raw === undefined ? '' : ` (or empty for the default), not "${clip(raw, 20)}"`}`)

export const registrationClosed = () => refuse(403, 'Forbidden: registration is closed on this server; ask the administrator for an account')
export const reservedUserId = (id: string) => refuse(403, `Forbidden: "${id}" is reserved; choose another user id`)
export const userIdTaken = (id: string) => refuse(403, `the user id "${id}" is taken`)
export const accountDisabled = (id: string) => refuse(403, `the account "${id}" is disabled; ask the administrator`)
export const notFound = (what: string) => refuse(404, `Not found: ${what}`)
export const noSuchRoute = (method: string, path: string) => notFound(`there is no ${method} ${clip(path, 200)} in this API`)
export const noSuchReport = (id: string) => notFound(`no delivery report "${clip(id)}" waits for you`)
export const invalidPassword = () => refuse(409, 'Invalid password: the user id or the password is wrong')

export const messageTooLarge = (size: number, max: number) =>
  refuse(413, `Message too large: the body is ${size} bytes, the server takes at most ${max}`)
export const requestTooLarge = (max: number) => refuse(413, `Message too large: the request exceeds ${max} bytes`)
export const unsupportedMediaType = (type: string) =>
  refuse(415, `Unsupported media type: "${clip(type, 100)}" is not accepted; send a text/* type such as text/plain`)

export const notAMessageId = (raw: string) => refuse(426, `Invalid message id: "${clip(raw)}" is not a message id`)
/** `whose` is "you" for the recipient's own requests, the user id for an administrator's */
export const noSuchMessage = (id: string, whose = 'you') => refuse(426, `Invalid message id: no message "${clip(id)}" waits for ${whose}`)

export const tooManyLogins = (retryAfter: number) =>
  refuse(429, `Too many requests: too many failed logins; try again in ${retryAfter} seconds`, { retryAfter })
export const internalError = () => refuse(500, 'Internal server error: something went wrong on the server; it has been logged')
export const storeUnavailable = () =>
  refuse(503, 'Service unavailable: the server could not write to its store (disk full or failing); nothing was changed, try again later')
export const databaseUnavailable = (cause: string) =>
  refuse(503, 'Service unavailable: the server cannot reach its database; nothing was changed, try again later', { cause })
export const shuttingDown = () => refuse(503, 'Service unavailable: the server is shutting down; reconnect in a moment')

export const unknownUser = (id: string) => refuse(531, `Unknown user: there is no user "${clip(id)}"`, { users: [id] })
export const sessionExpired = () => refuse(600, 'Session expired: it saw no request within its time-to-live; log in again')
export const forcedLogout = () => refuse(601, 'Forced logout: this client logged in again elsewhere, or an administrator ended the session')
export const invalidSession = () => refuse(604, 'Invalid session: log in first, and send the session you were given with every request')
export const ttlNotAccepted = (min: number, max: number) =>
  refuse(605, `New value not accepted: timeToLive must lie within ${min}–${max} seconds; the server uses the nearest bound`)
export const noSuchList = (name: string) => notFound(`there is no contact list "${clip(name)}"`)
export const listExists = (name: string) => refuse(403, `Forbidden: a contact list "${clip(name)}" exists already`)
export const tooManyLists = (max: number) => refuse(403, `Forbidden: a user may keep at most ${max} contact lists`)
export const listTooLong = (max: number) => refuse(403, `Forbidden: a contact list holds at most ${max} contacts`)
export const invalidListName = (raw: string) =>
  badParameter(`"${clip(raw)}" is not a list name: 1–64 characters of a–z, 0–9, dot, underscore, hyphen or tilde`)

/** refusals of the server-to-server relay (PROTOCOL.md 10): a peer reads them in its log */
export const relayForbidden = (why: string) => refuse(403, `Forbidden: ${why}`)
