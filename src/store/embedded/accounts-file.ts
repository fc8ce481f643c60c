import type { UserRecord } from '../../core/types.js'

/** the format of accounts.json: every user record, and the server's metadata (such as the dashboard's password hash and the relay's public key) */
export const ACCOUNTS_SCHEMA = 1

export interface AccountsFile {
  schema: number
  users: Record<string, UserRecord>
  meta: Record<string, string>
}

export function emptyAccounts(): AccountsFile {
  return { schema: ACCOUNTS_SCHEMA, users: {}, meta: {} }
}
