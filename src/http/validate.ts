import type { Context } from 'hono'
import { badParameter, notAJsonObject, notJson } from '../core/refusals.js'

export type Json = Record<string, unknown>

/**
 * The request body as a JSON object. An empty body is `{}` (calls without input accept one); anything else
 * that is not a JSON object is 400 with a sentence saying what is wrong.
 */
export async function readJson(c: Context): Promise<Json> {
  const text = await c.req.text()
  return text.trim() ? parseJsonObject(text) : {}
}

/** a JSON object from text, or 400 saying what is wrong (for a body read some other way) */
export function parseJsonObject(text: string): Json {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw notJson((err as Error).message)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw notAJsonObject()
  }
  return value as Json
}

const bad = badParameter

export function str(o: Json, key: string, opts: { max?: number } = {}): string {
  const v = optStr(o, key, opts)
  if (v === undefined) throw bad(`"${key}" is required`)
  return v
}

export function optStr(o: Json, key: string, { max = 1024 }: { max?: number } = {}): string | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw bad(`"${key}" must be a string, not ${kind(v)}`)
  if (v.length > max) throw bad(`"${key}" must be at most ${max} characters`)
  return v
}

export function optBool(o: Json, key: string): boolean | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') throw bad(`"${key}" must be true or false, not ${kind(v)}`)
  return v
}

export function optInt(o: Json, key: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(`"${key}" must be a whole number, not ${kind(v)}`)
  if (v < min || v > max) throw bad(`"${key}" must lie within ${min}–${max}, got ${v}`)
  return v
}

export function optOneOf<T extends string>(o: Json, key: string, values: readonly T[]): T | undefined {
  const v = optStr(o, key)
  if (v !== undefined && !values.includes(v as T)) throw bad(`"${key}" must be one of ${values.join(', ')}, got "${v.slice(0, 40)}"`)
  return v as T | undefined
}

export function optStrArray(o: Json, key: string, { min = 0, max = 100, itemMax = 256 } = {}): string[] | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v)) throw bad(`"${key}" must be a list of strings, not ${kind(v)}`)
  if (v.length < min || v.length > max) throw bad(`"${key}" must hold ${min} to ${max} entries, got ${v.length}`)
  for (const item of v) {
    if (typeof item !== 'string') throw bad(`every entry of "${key}" must be a string, found ${kind(item)}`)
    if (item.length > itemMax) throw bad(`entries of "${key}" must be at most ${itemMax} characters`)
  }
  return v as string[]
}

export function optObject(o: Json, key: string): Json | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object' || Array.isArray(v)) throw bad(`"${key}" must be an object, not ${kind(v)}`)
  return v as Json
}

function kind(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'an object'
  if (typeof v === 'string') return 'a string'
  return `a ${typeof v}`
}
