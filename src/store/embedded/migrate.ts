/**
 * Ordered schema migrations for the data files: migrations[n] turns a schema-n document into schema n+1.
 * A file newer than this code is refused rather than misread.
 */
type Migration = (doc: Record<string, unknown>) => Record<string, unknown>

export function migrate<T>(kind: string, doc: unknown, current: number, migrations: Record<number, Migration> = {}): T {
  let d = doc as Record<string, unknown>
  let version = typeof d?.schema === 'number' ? d.schema : 0
  if (version > current) {
    throw new Error(`${kind} has schema ${version}, newer than this Pigeonhole understands (${current}); refusing to start`)
  }
  while (version < current) {
    const step = migrations[version]
    if (!step) throw new Error(`${kind} has schema ${version} and no migration from it exists`)
    d = { ...step(d), schema: version + 1 }
    version++
  }
  return d as T
}
