// The `unikraft-compat` command: dispatches subcommands and reports errors once, at the edge,
// with the documented exit codes (0 pass, 1 fail, 2 usage/configuration, 3 infrastructure).
import {
  asEnvironmentError,
  describeError,
  errorKind,
  ExitCode,
  InterruptedError,
  interruptedExitCode,
  toError
} from '../engine/errors.js'
import { TOOL_NAME, TOOL_VERSION } from '../engine/version.js'
import { UsageError } from './args.js'
import { COMMAND_HELP, MAIN_HELP } from './help.js'
import { createTerminal, type Terminal } from './terminal.js'

export type Command = (args: string[], term: Terminal) => Promise<number>

async function loadCommand(name: string): Promise<Command | undefined> {
  switch (name) {
    case 'run':
      return (await import('./commands/run.js')).runCommand
    case 'diagnose':
      return (await import('./commands/diagnose.js')).diagnoseCommand
    case 'rootfs':
      return (await import('./commands/rootfs.js')).rootfsCommand
    case 'matrix':
      return (await import('./commands/matrix.js')).matrixCommand
    case 'setup':
      return (await import('./commands/setup.js')).setupCommand
    default:
      return undefined
  }
}

export async function main(argv: string[], term: Terminal = createTerminal()): Promise<number> {
  const [first, ...rest] = argv
  try {
    if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined
      term.out(topic && COMMAND_HELP[topic] ? COMMAND_HELP[topic] : MAIN_HELP)
      return first === undefined ? ExitCode.usage : ExitCode.pass
    }
    if (first === '--version' || first === '-V') {
      term.out(`${TOOL_NAME} ${TOOL_VERSION}\n`)
      return ExitCode.pass
    }
    if (first.startsWith('-')) {
      throw new UsageError(
        first,
        `Unknown option '${first}'; the first argument is a command (run, diagnose, rootfs, matrix, setup)`
      )
    }
    const command = await loadCommand(first)
    if (!command) {
      throw new UsageError(
        first,
        `Unknown command '${first}'; commands: run, diagnose, rootfs, matrix, setup (see '${TOOL_NAME} --help')`
      )
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      term.out(COMMAND_HELP[first])
      return ExitCode.pass
    }
    return await command(rest, term)
  } catch (thrown) {
    const err = toError(asEnvironmentError(thrown))
    const kind = errorKind(err)
    term.err(
      `${TOOL_NAME}: ${kind === 'bug' ? 'internal error (please report): ' : ''}${describeError(err)}\n`
    )
    if (err instanceof InterruptedError) return interruptedExitCode(err.signal)
    return kind === 'configuration' ? ExitCode.usage : ExitCode.infrastructure
  }
}
