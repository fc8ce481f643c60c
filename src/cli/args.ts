/** Command-line words after the configuration flags were taken out (config.ts loadConfig). */
export class UsageError extends Error {}

export interface Args {
  words: string[]
  flags: Map<string, string | true>
}

/** `--name value`, `--name=value` and bare `--name` for the booleans listed */
export function parseArgs(rest: string[], booleans: string[] = ['help', 'json']): Args {
  const words: string[] = []
  const flags = new Map<string, string | true>()
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]
    if (a === '-h') {
      flags.set('help', true)
      continue
    }
    if (!a.startsWith('--')) {
      words.push(a)
      continue
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2)
    if (booleans.includes(name)) flags.set(name, true)
    else {
      const value = inline ?? rest[++i]
      if (value === undefined) throw new UsageError(`--${name} needs a value`)
      flags.set(name, value)
    }
  }
  return { words, flags }
}

/** refuses flags the command does not know, and extra or missing words */
export function expect(args: Args, opts: { words: number; flags: string[] }): void {
  for (const f of args.flags.keys()) {
    if (!opts.flags.includes(f) && f !== 'help') throw new UsageError(`unknown option --${f}`)
  }
  if (args.words.length > opts.words) throw new UsageError(`unexpected argument "${args.words[opts.words]}"`)
  if (args.words.length < opts.words) throw new UsageError('missing argument')
}

export function flagString(args: Args, name: string): string | undefined {
  const v = args.flags.get(name)
  return typeof v === 'string' ? v : undefined
}
