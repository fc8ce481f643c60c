import type { Core } from './context.js'
import { generatePassword, hashPassword, verifyPassword } from './passwords.js'

const META_KEY = 'admin.passwordHash'

/**
 * Makes sure the dashboard has a password, stored only as a scrypt hash. PIGEONHOLE_ADMIN_PASSWORD sets
 * it (re-hashed only when it changed); without it the first start generates one and returns it, once,
 * for the caller to print.
 */
export async function ensureAdminPassword(core: Core): Promise<{ generated?: string }> {
  const stored = await core.store.getMeta(META_KEY)
  const configured = core.config.adminPassword
  if (configured) {
    if (!stored || !(await verifyPassword(configured, stored))) await core.store.putMeta(META_KEY, await hashPassword(configured))
    return {}
  }
  if (stored) return {}
  const generated = generatePassword()
  await core.store.putMeta(META_KEY, await hashPassword(generated))
  core.log('admin', 'password_generated', {})
  return { generated }
}

export async function checkAdminPassword(core: Core, password: string): Promise<boolean> {
  const stored = await core.store.getMeta(META_KEY)
  if (!stored || !password || password.length > 1024) return false
  return verifyPassword(password, stored)
}

/** sets a new dashboard password (the command line's `admin passwd`) */
export async function setAdminPassword(core: Core, password: string): Promise<void> {
  await core.store.putMeta(META_KEY, await hashPassword(password))
}
