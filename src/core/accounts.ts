import { ImpsError } from './codes.js'
import { storageFailure } from './storage-failure.js'
import type { Core } from './context.js'
import { DECOY_HASH, hashPassword, verifyPassword } from './passwords.js'
import type { UserRecord } from './types.js'

export const USER_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/
export const MIN_PASSWORD = 8

/** lower-cases and checks a user id; `field` names it in the error */
export function normaliseUserId(raw: string, field = 'userId'): string {
  const id = raw.toLowerCase()
  if (!USER_ID.test(id)) {
    throw new ImpsError(402, `${field} "${raw.slice(0, 80)}" is not a valid user id: 1–64 characters of a–z, 0–9, dot, underscore or hyphen, starting with a letter or digit`)
  }
  return id
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) throw new ImpsError(402, `password must be at least ${MIN_PASSWORD} characters`)
  if (password.length > 1024) throw new ImpsError(402, 'password must be at most 1024 characters')
}

export async function createUser(core: Core, userId: string, password: string): Promise<UserRecord> {
  const id = normaliseUserId(userId)
  checkPassword(password)
  if (core.store.getUser(id)) throw new ImpsError(403, `the user id "${id}" is taken`)
  const user: UserRecord = {
    id,
    passwordHash: await hashPassword(password),
    createdAt: core.clock.now(),
    disabled: false,
    quotas: {},
    block: { inUse: false, users: [] },
    grant: { inUse: false, users: [] },
  }
  // the hash took time: someone else may have taken the name meanwhile
  if (core.store.getUser(id)) throw new ImpsError(403, `the user id "${id}" is taken`)
  await storeUser(core, user)
  core.log('accounts', 'user.created', { user: id })
  return user
}

export async function setPassword(core: Core, userId: string, password: string): Promise<void> {
  checkPassword(password)
  const user = requireUser(core, userId)
  await storeUser(core, { ...user, passwordHash: await hashPassword(password) })
}

export async function setDisabled(core: Core, userId: string, disabled: boolean): Promise<void> {
  await storeUser(core, { ...requireUser(core, userId), disabled })
}

/** the user if the password is right; the same 409 for an unknown user and a wrong password */
export async function authenticate(core: Core, userId: string, password: string): Promise<UserRecord> {
  const user = core.store.getUser(userId.toLowerCase())
  const ok = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH)
  if (!user || !ok) throw new ImpsError(409, 'Invalid password: the user id or the password is wrong')
  if (user.disabled) throw new ImpsError(403, `the account "${user.id}" is disabled; ask the administrator`)
  return user
}

export function requireUser(core: Core, userId: string): UserRecord {
  const user = core.store.getUser(userId)
  if (!user) throw new ImpsError(531, `Unknown user: there is no user "${userId}"`, { users: [userId] })
  return user
}

/** writes a user record; a write failure becomes 503 with nothing changed */
export async function storeUser(core: Core, user: UserRecord): Promise<void> {
  try {
    await core.store.putUser(user)
  } catch (err) {
    throw storageFailure(core, err)
  }
}
