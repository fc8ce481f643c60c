import { loadConfig } from '../config.js'
import { VERSION } from '../version.js'
import { type Args, parseArgs, UsageError, unknownOption } from './args.js'
import { didYouMean } from './suggest.js'
import { adminPasswd, backup, type Io, restore, stats, userAdd, userDisable, userList, userPasswd } from './commands.js'
import { COMMANDS, commandHelp, mainHelp, userHelp } from './help.js'
import { relayKey } from './relay-key.js'
import { migrate } from './migrate.js'
import { serve } from './serve.js'

export { UsageError }

/**
 * `pigeonhole [COMMAND] …`: configuration flags are taken out first (loadConfig), the rest names the
 * command. Returns the exit code, or undefined for `serve`, which keeps running.
 */
export async function runCli(argv: string[], io: Io): Promise<number | undefined> {
  const { config, rest } = loadConfig(io.env, argv)
  const args = parseArgs(rest)
  const [first, second] = args.words
  const help = args.flags.has('help')
  const sub = (n: number): Args => ({ words: args.words.slice(n), flags: args.flags })

  if (args.flags.has('version')) return print(io, `pigeonhole ${VERSION}\n`)
  if (!first && help) return print(io, mainHelp())
  if (!first || first === 'serve') {
    if (help) return print(io, commandHelp('serve'))
    const stray = [...args.flags.keys()].find((f) => f !== 'help')
    if (stray) throw unknownOption(stray)
    if (args.words.length > 1) throw new UsageError(`serve takes no arguments besides config flags (got ${rest.join(' ')})`)
    await serve(config, io)
    return undefined
  }
  if (first === 'help') return print(io, mainHelp())
  if (first === 'user' || first === 'admin') {
    if (!second) return help ? print(io, first === 'user' ? userHelp() : commandHelp('admin passwd')) : usage(`${first} needs a command`)
    const name = `${first} ${second}`
    if (!COMMANDS[name]) throw new UsageError(`unknown command "${name}"${didYouMean(name, Object.keys(COMMANDS))}`)
    if (help) return print(io, commandHelp(name))
    const a = { ...sub(2), command: name }
    if (name === 'user add') await userAdd(config, a, io)
    else if (name === 'user list') await userList(config, a, io)
    else if (name === 'user disable') await userDisable(config, a, io, true)
    else if (name === 'user enable') await userDisable(config, a, io, false)
    else if (name === 'user passwd') await userPasswd(config, a, io)
    else if (name === 'admin passwd') await adminPasswd(config, a, io)
    return 0
  }
  if (first === 'backup' || first === 'restore') {
    if (help) return print(io, commandHelp(first))
    await (first === 'backup' ? backup : restore)(config, { ...sub(1), command: first }, io)
    return 0
  }
  if (first === 'relay') {
    if (second !== 'key') return help && !second ? print(io, commandHelp('relay key')) : usage(`relay needs a command: pigeonhole relay key`)
    if (help) return print(io, commandHelp('relay key'))
    relayKey(config, { ...sub(2), command: 'relay key' }, io)
    return 0
  }
  if (first === 'migrate') {
    if (help) return print(io, commandHelp('migrate'))
    await migrate(config, { ...sub(1), command: first }, io)
    return 0
  }
  if (first === 'stats') {
    if (help) return print(io, commandHelp('stats'))
    await stats(config, sub(1), io)
    return 0
  }
  throw new UsageError(`unknown command "${first}"${didYouMean(first, ['serve', 'user', 'admin', 'stats', 'backup', 'restore', 'relay', 'migrate', 'help'])}`)
}

function print(io: Io, text: string): number {
  io.out(text)
  return 0
}

function usage(text: string): never {
  throw new UsageError(text)
}
