// Error kinds, kept apart so the edge can report each once with the right exit code:
// ConfigurationError = the user's mistake (names the input and the accepted form), exit 2;
// InfrastructureError = the machine could not do the check (QEMU missing, Docker down), exit 3;
// anything else is a bug and is reported with its stack.
class ConfigurationError extends Error {
    name = 'ConfigurationError';
    /** The input, option or config key at fault, e.g. `memory` or `probe[2]`. */
    input;
    constructor(input, message) {
        super(message);
        this.input = input;
    }
}
class InfrastructureError extends Error {
    name = 'InfrastructureError';
    /** What to do about it, shown after the message. */
    hint;
    constructor(message, hint, options) {
        super(message, options);
        this.hint = hint;
    }
}
/** The run was stopped by a signal (Ctrl-C, a cancelled job): verdict `error`, nothing new started. */
class InterruptedError extends Error {
    name = 'InterruptedError';
    /** `SIGINT` or `SIGTERM` (what the abort's reason named), else null. */
    signal;
    constructor(signal, during) {
        super(`interrupted by ${signal ?? 'a signal'} during ${during}`);
        this.signal = signal;
    }
}
/** Throws InterruptedError when `signal` has been aborted (its reason names the OS signal). */
function throwIfInterrupted(signal, during) {
    if (!signal?.aborted)
        return;
    const reason = signal.reason;
    throw new InterruptedError(reason === 'SIGINT' || reason === 'SIGTERM' ? reason : null, during);
}
/**
 * `Input 'memory' must be a size like 256M or 1G, got '12 parsecs'`. A label that already says
 * where it comes from (`config key 'memory' (app/unikraft-compat.yml:3)`) is used as is.
 */
function badInput(input, accepted, got) {
    const shown = shortValue(typeof got === 'string' ? got : (JSON.stringify(got) ?? String(got)));
    return new ConfigurationError(input, `${describeInput(input)} must be ${accepted}, got '${shown}'`);
}
/** A value as an error message shows it: whole up to 200 characters, else its start and its length. */
function shortValue(text, max = 200) {
    return text.length <= max ? text : `${text.slice(0, 120)}… (${text.length} characters)`;
}
function describeInput(label) {
    return label.startsWith('config key ') ? label.charAt(0).toUpperCase() + label.slice(1) : `Input '${label}'`;
}
/** Label for a value that came from the config file: `config key 'memory' (path:3)`. */
function configKeyLabel(key, path, line) {
    return `config key '${key}' (${path}${line ? `:${line}` : ''})`;
}
const ENVIRONMENT_ERRNOS = {
    ENOSPC: ['no space left on the disk', 'free some space, or write the run elsewhere (--out, RUNNER_TEMP)'],
    EDQUOT: ['the disk quota is used up', 'free some space, or write the run elsewhere (--out, RUNNER_TEMP)'],
    EMFILE: [
        'this process may open no more files',
        'raise the open-files limit (ulimit -n) or run fewer checks at once'
    ],
    ENFILE: ['the machine may open no more files', 'run fewer checks at once'],
    EAGAIN: [
        'the machine refused to start another process (process limit)',
        'run fewer checks at once, or raise the process limit (ulimit -u)'
    ],
    ENOMEM: ['the machine is out of memory', 'give the guest less memory, or run fewer checks at once']
};
/**
 * A system error that says the machine ran out of something (disk, files, processes, memory)
 * becomes an InfrastructureError with a hint; anything else is returned as it was.
 */
function asEnvironmentError(thrown) {
    const code = thrown?.code;
    const known = typeof code === 'string' ? ENVIRONMENT_ERRNOS[code] : undefined;
    if (!known || thrown instanceof InfrastructureError || thrown instanceof ConfigurationError)
        return thrown;
    const e = thrown;
    const where = e.path ? ` (${e.syscall ?? 'writing'} ${e.path})` : e.syscall ? ` (${e.syscall})` : '';
    return new InfrastructureError(`${known[0]}${where}`, known[1], { cause: thrown });
}
/** Turns anything thrown (an Error or not) into an Error without losing what it was. */
function toError(thrown) {
    if (thrown instanceof Error)
        return thrown;
    let text;
    try {
        text = typeof thrown === 'string' ? thrown : JSON.stringify(thrown);
    }
    catch {
        text = String(thrown);
    }
    return new Error(`non-Error thrown: ${text}`);
}
function errorKind(err) {
    if (err instanceof ConfigurationError)
        return 'configuration';
    if (err instanceof InfrastructureError)
        return 'infrastructure';
    if (err instanceof InterruptedError)
        return 'interrupted';
    return 'bug';
}
/** Exit codes shared by the CLI and documented in README.md. */
const ExitCode = { pass: 0, fail: 1, usage: 2, infrastructure: 3, sigint: 130, sigterm: 143 };
/** 130 for SIGINT, 143 for SIGTERM (128 + the signal's number, as shells report it). */
function interruptedExitCode(signal) {
    return signal === 'SIGTERM' ? ExitCode.sigterm : ExitCode.sigint;
}
/** One line (or a few) for a person: the message, plus the hint for infrastructure errors. */
function describeError(err) {
    const e = toError(err);
    if (e instanceof InfrastructureError && e.hint)
        return `${e.message}\n  hint: ${e.hint}`;
    if (e instanceof ConfigurationError || e instanceof InterruptedError)
        return e.message;
    return e.stack ?? e.message;
}

export { ConfigurationError as C, ExitCode as E, InfrastructureError as I, asEnvironmentError as a, badInput as b, configKeyLabel as c, describeError as d, errorKind as e, InterruptedError as f, describeInput as g, throwIfInterrupted as h, interruptedExitCode as i, toError as t };
