import { parseArgs } from 'node:util';
import { C as ConfigurationError } from './errors.js';
import { I as INPUTS } from './inputs.js';

// Command-line parsing for every subcommand, on node:util parseArgs (strict: an unknown option is
// a usage error naming it). The `run` options are derived from the action's inputs table.
class UsageError extends ConfigurationError {
    name = 'UsageError';
}
const COMMON_OPTIONS = {
    help: { type: 'boolean', short: 'h' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    verbose: { type: 'boolean', short: 'v' }
};
/** `run` takes every action input as an option of the same name (APP_DIR may also be positional). */
const RUN_OPTIONS = {
    ...COMMON_OPTIONS,
    out: { type: 'string', short: 'o' },
    ...Object.fromEntries(INPUTS.map(i => [i.name, { type: 'string', multiple: i.multiline === true }]))
};
function parse(command, args, options, maxPositionals) {
    let parsed;
    try {
        parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    }
    catch (err) {
        const e = err;
        const m = /Unknown option '([^']+)'/.exec(e.message);
        if (m)
            throw new UsageError(m[1], `Unknown option '${m[1]}' for 'unikraft-compat ${command}'; see 'unikraft-compat ${command} --help'`);
        const arg = /Option '([^']+)'/.exec(e.message);
        throw new UsageError(arg?.[1] ?? command, `${e.message.split('\n')[0]} (see 'unikraft-compat ${command} --help')`);
    }
    if (parsed.positionals.length > maxPositionals && !parsed.values.help) {
        throw new UsageError(command, `'unikraft-compat ${command}' takes at most ${maxPositionals} argument(s), got: ${parsed.positionals.join(' ')}`);
    }
    return parsed;
}
/** The `run` options as raw inputs, the same shape the action reads: repeated options become lines. */
function runInputs(parsed) {
    const raw = {};
    for (const i of INPUTS) {
        const v = parsed.values[i.name];
        if (v === undefined)
            continue;
        raw[i.name] = Array.isArray(v) ? v.join('\n') : String(v);
    }
    if (parsed.positionals[0] !== undefined) {
        const app = 'app';
        if (raw[app] !== undefined)
            throw new UsageError(app, `Give the app directory either as APP_DIR or as --${app}, not both`);
        raw[app] = parsed.positionals[0];
    }
    return raw;
}

export { COMMON_OPTIONS as C, RUN_OPTIONS as R, UsageError as U, parse as p, runInputs as r };
