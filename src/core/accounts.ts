import type { Core } from './context.js'
import { DECOY_HASH, hashPassword, needsRehash, verifyPassword } from './passwords.js'
import {
  accountDisabled, invalidPassword, invalidUserId, passwordTooLong, passwordTooShort, registrationClosed, reservedUserId, unknownUser, userIdTaken,
} from './refusals.js'
import { writing } from './storage-failure.js'
import type { UserRecord } from './types.js'

export const USER_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/
export const MIN_PASSWORD = 8
const MAX_PASSWORD = 1024

/** lower-cases and checks a user id; `field` names it in the error */
export function normaliseUserId(raw: string, field = 'userId'): string {
  const id = raw.toLowerCase()
  if (!USER_ID.test(id)) throw invalidUserId(field, raw)
  return id
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) throw passwordTooShort(MIN_PASSWORD)
  if (password.length > MAX_PASSWORD) throw passwordTooLong(MAX_PASSWORD)
}

/** names nobody may register for themselves: they would pass for the server or its operators */
export const RESERVED_USER_IDS: ReadonlySet<string> = new Set([
  'admin', 'administrator', 'root', 'postmaster', 'hostmaster', 'webmaster', 'abuse', 'security', 'system',
  'server', 'support', 'noreply', 'no-reply', 'pigeonhole', 'operator', 'sysadmin', 'info',
])

/** registration by the user themselves: only when open, never a reserved name (an admin may create any) */
export async function register(core: Core, userId: string, password: string): Promise<UserRecord> {
  if (core.config.registration !== 'open') throw registrationClosed()
  const id = normaliseUserId(userId)
  if (RESERVED_USER_IDS.has(id)) throw reservedUserId(id)
  return createUser(core, id, password)
}

export async function createUser(core: Core, userId: string, password: string): Promise<UserRecord> {
  const id = normaliseUserId(userId)
  checkPassword(password)
  if (await core.store.getUser(id)) throw userIdTaken(id)
  const user: UserRecord = {
    id,
    passwordHash: await hashPassword(password),
    createdAt: core.clock.now(),
    disabled: false,
    quotas: {},
    block: { inUse: false, users: [] },
    grant: { inUse: false, users: [] },
  }
  // the hash took time: someone else may have taken the name meanwhile, which the store decides atomically
  if (!(await writing(core, core.store.createUser(user)))) throw userIdTaken(id)
  core.log('accounts', 'user.created', { user: id })
  core.bus.publish({ type: 'UserCreated', userId: id })
  return user
}

export async function setPassword(core: Core, userId: string, password: string): Promise<void> {
  checkPassword(password)
  const user = await requireUser(core, userId)
  await storeUser(core, { ...user, passwordHash: await hashPassword(password) })
}

export async function setDisabled(core: Core, userId: string, disabled: boolean): Promise<void> {
  await storeUser(core, { ...(await requireUser(core, userId)), disabled })
}

/** the user if the password is right; the same 409 for an unknown user and a wrong password */
export async function authenticate(core: Core, userId: string, password: string): Promise<UserRecord> {
  const user = await core.store.getUser(userId.toLowerCase())
  const ok = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH)
  if (!user || !ok) throw invalidPassword()
  if (user.disabled) throw accountDisabled(user.id)
  if (needsRehash(user.passwordHash)) await upgradeHash(core, user, password)
  return user
}

/** a hash made with older parameters is replaced at the next right password; failing that, the old one still works */
async function upgradeHash(core: Core, user: UserRecord, password: string): Promise<void> {
  try {
    await core.store.putUser({ ...user, passwordHash: await hashPassword(password) })
  } catch (err) {
    core.log('accounts', 'rehash_failed', { user: user.id, error: String(err) })
  }
}

/** the user, or 531 */
export async function requireUser(core: Core, userId: string): Promise<UserRecord> {
  const user = await core.store.getUser(userId)
  if (!user) throw unknownUser(userId)
  return user
}

/** writes a user record; a write failure becomes 503 with nothing changed */
export async function storeUser(core: Core, user: UserRecord): Promise<void> {
  await writing(core, core.store.putUser(user))
}
