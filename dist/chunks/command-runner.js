import { spawn } from 'node:child_process';
import { I as InfrastructureError } from './errors.js';

// Runs programs from argv arrays, never through a shell: no input is ever interpreted by one.
class CommandNotFoundError extends InfrastructureError {
    program;
    constructor(program, hint) {
        super(`'${program}' is not installed or not on PATH`, hint);
        this.program = program;
    }
}
function lineSplitter(cb) {
    let rest = '';
    return (chunk, end) => {
        if (!cb)
            return;
        rest += chunk;
        const parts = rest.split('\n');
        rest = parts.pop() ?? '';
        for (const p of parts)
            cb(p.replace(/\r$/, ''));
        if (end && rest) {
            cb(rest);
            rest = '';
        }
    };
}
const nodeCommandRunner = {
    run(argv, opts = {}) {
        if (argv.length === 0)
            throw new Error('command runner: empty argv');
        const [program, ...args] = argv;
        const max = opts.maxBuffer ?? 16 * 1024 * 1024;
        const started = performance.now();
        return new Promise((resolve, reject) => {
            const env = opts.replaceEnv ? opts.env : { ...process.env, ...opts.env };
            const child = spawn(program, args, {
                cwd: opts.cwd,
                env: env,
                shell: false,
                stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
            });
            if (opts.onSpawn)
                child.once('spawn', () => child.pid !== undefined && opts.onSpawn?.(child.pid));
            let stdout = '';
            let stderr = '';
            let timedOut = false;
            const outLines = lineSplitter(opts.onStdoutLine);
            const errLines = lineSplitter(opts.onStderrLine);
            const out = child.stdout;
            const err = child.stderr;
            out.setEncoding('utf8');
            err.setEncoding('utf8');
            out.on('data', (d) => {
                stdout = (stdout + d).slice(-max);
                outLines(d);
            });
            err.on('data', (d) => {
                stderr = (stderr + d).slice(-max);
                errLines(d);
            });
            let killTimer;
            const kill = () => {
                child.kill('SIGTERM');
                killTimer = setTimeout(() => child.kill('SIGKILL'), 2000);
            };
            const timer = opts.timeoutMs !== undefined
                ? setTimeout(() => {
                    timedOut = true;
                    kill();
                }, opts.timeoutMs)
                : undefined;
            const onAbort = () => kill();
            opts.signal?.addEventListener('abort', onAbort, { once: true });
            child.on('error', err => {
                if (timer)
                    clearTimeout(timer);
                opts.signal?.removeEventListener('abort', onAbort);
                if (err.code === 'ENOENT')
                    reject(new CommandNotFoundError(program));
                else
                    reject(new InfrastructureError(`could not start '${program}': ${err.message}`, undefined, { cause: err }));
            });
            child.on('close', (code, signal) => {
                if (timer)
                    clearTimeout(timer);
                if (killTimer)
                    clearTimeout(killTimer);
                opts.signal?.removeEventListener('abort', onAbort);
                outLines('', true);
                errLines('', true);
                resolve({ argv, code, signal, stdout, stderr, timedOut, durationMs: performance.now() - started });
            });
            if (opts.input !== undefined && child.stdin) {
                child.stdin.on('error', () => { });
                child.stdin.end(opts.input);
            }
        });
    }
};

export { CommandNotFoundError, nodeCommandRunner };
