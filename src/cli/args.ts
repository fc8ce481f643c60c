import { configFlagNames } from '../config.js'
import { didYouMean } from './suggest.js'

const SETTINGS_FLAGS = () => configFlagNames().map((f) => f.slice(2))

/** Command-line words after the configuration flags were taken out (config.ts loadConfig). */
export class UsageError extends Error {}

export interface Args {
  words: string[]
  flags: Map<string, string | true>
  /** the command these are the arguments of ("user add"), once known */
  command?: string
}

/** `--name value`, `--name=value` and bare `--name` for the booleans listed */
const BOOLEANS = ['help', 'json', 'version', 'merge']

export function parseArgs(rest: string[], booleans: string[] = BOOLEANS): Args {
  const words: string[] = []
  const flags = new Map<string, string | true>()
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]
    if (a === '-h' || a === '-V') {
      flags.set(a === '-h' ? 'help' : 'version', true)
      continue
    }
    if (!a.startsWith('--')) {
      words.push(a)
      continue
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2)
    if (booleans.includes(name)) flags.set(name, true)
    else if (inline !== undefined) flags.set(name, inline)
    else if (i + 1 < rest.length) flags.set(name, rest[++i])
    else flags.set(name, true) // no value: expect() says whether the flag is unknown or needs one
  }
  return { words, flags }
}

/** refuses flags the command does not know (naming the nearest it knows), and extra or missing words */
export function expect(args: Args, opts: { words: number; flags: string[]; usage?: string }): void {
  for (const [f, value] of args.flags) {
    if (!opts.flags.includes(f) && f !== 'help') throw unknownOption(f, opts.flags)
    if (value === true && !BOOLEANS.includes(f)) throw new UsageError(`--${f} needs a value`)
  }
  if (args.words.length > opts.words) throw new UsageError(`unexpected argument "${args.words[opts.words]}"`)
  if (args.words.length < opts.words) throw new UsageError(`missing argument${opts.usage ? `: ${opts.usage}` : ''}`)
}

/** an unknown --flag, with the nearest of the command's own flags and the configuration flags */
export function unknownOption(flag: string, own: string[] = []): UsageError {
  const candidates = [...own, 'help', ...SETTINGS_FLAGS()].map((f) => `--${f}`)
  return new UsageError(`unknown option --${flag}${didYouMean(`--${flag}`, candidates)}`)
}

export function flagString(args: Args, name: string): string | undefined {
  const v = args.flags.get(name)
  return typeof v === 'string' ? v : undefined
}
