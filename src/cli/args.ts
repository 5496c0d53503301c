// Command-line parsing for every subcommand, on node:util parseArgs (strict: an unknown option is
// a usage error naming it). The `run` options are derived from the action's inputs table.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { ConfigurationError } from '../engine/errors.js'
import { INPUTS, type InputName, type RawInputs } from '../engine/config/inputs.js'

export class UsageError extends ConfigurationError {
  override name = 'UsageError'
}

type Options = NonNullable<ParseArgsConfig['options']>

export const COMMON_OPTIONS: Options = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' }
}

/** `run` takes every action input as an option of the same name (APP_DIR may also be positional). */
export const RUN_OPTIONS: Options = {
  ...COMMON_OPTIONS,
  out: { type: 'string', short: 'o' },
  ...Object.fromEntries(INPUTS.map(i => [i.name, { type: 'string', multiple: i.multiline === true }]))
}

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>
  positionals: string[]
}

export function parse(command: string, args: string[], options: Options, maxPositionals: number): Parsed {
  let parsed: Parsed
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true }) as Parsed
  } catch (err) {
    const e = err as Error & { code?: string }
    const m = /Unknown option '([^']+)'/.exec(e.message)
    if (m)
      throw new UsageError(
        m[1],
        `Unknown option '${m[1]}' for 'unikraft-compat ${command}'; see 'unikraft-compat ${command} --help'`
      )
    const arg = /Option '([^']+)'/.exec(e.message)
    throw new UsageError(
      arg?.[1] ?? command,
      `${e.message.split('\n')[0]} (see 'unikraft-compat ${command} --help')`
    )
  }
  if (parsed.positionals.length > maxPositionals && !parsed.values.help) {
    throw new UsageError(
      command,
      `'unikraft-compat ${command}' takes at most ${maxPositionals} argument(s), got: ${parsed.positionals.join(' ')}`
    )
  }
  return parsed
}

/** The `run` options as raw inputs, the same shape the action reads: repeated options become lines. */
export function runInputs(parsed: Parsed): RawInputs {
  const raw: RawInputs = {}
  for (const i of INPUTS) {
    const v = parsed.values[i.name]
    if (v === undefined) continue
    raw[i.name] = Array.isArray(v) ? v.join('\n') : String(v)
  }
  if (parsed.positionals[0] !== undefined) {
    const app: InputName = 'app'
    if (raw[app] !== undefined)
      throw new UsageError(app, `Give the app directory either as APP_DIR or as --${app}, not both`)
    raw[app] = parsed.positionals[0]
  }
  return raw
}
