import { readdir, stat, readFile, open, mkdir, mkdtemp, writeFile, appendFile, rm, copyFile, readlink, rename, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, normalize, sep, basename, relative, isAbsolute, dirname } from 'node:path';
import { d as describeError, I as InfrastructureError, b as badInput, h as throwIfInterrupted, C as ConfigurationError, t as toError, e as errorKind, a as asEnvironmentError } from './errors.js';
import { a as writeResultFile } from './result-file.js';
import { R as RUN_FILES, s as serviceLogName, c as clearRunFiles, l as listRunFiles } from './run-files.js';
import { s as silentLogger, e as ensureQemu, i as installKraftkit, r as rdseedWarning } from './kraftkit-install.js';
import { u as quoteWord, v as compilePattern, x as formatPattern, y as statusMatches, z as formatStatuses, A as DEFAULT_ATTEMPT_TIMEOUT_MS, B as findStoredKernel, C as verifiedKernelPath, l as splitWordsFor } from './kernel-store.js';
import { createWriteStream, createReadStream, lstatSync, statSync, realpathSync, mkdirSync, writeFileSync, rmSync, readlinkSync, readdirSync, constants } from 'node:fs';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { request, createServer } from 'node:http';
import { randomBytes, createHash } from 'node:crypto';
import { a as diagnose, h as hintFor, L as LINUX_SYSCALLS, e as errnoCode, b as errnoName, T as TOLERATED_SYSCALLS } from './diagnose2.js';
import 'node:string_decoder';
import { systemClock } from './clock.js';
import { nodeCommandRunner, CommandNotFoundError } from './command-runner.js';
import { f as checkRunShape, g as allocateHostPorts, C as ConsoleCapture, i as isBannerLine, H as HOST_ADDRESS, s as startVm, h as inspectKernelImage, j as rememberQemuVersion, k as resolveClosure, l as isElfMagic, m as readHead, n as ClosureResolver, o as parseShebang, t as readElf, E as ElfFormatError, u as DEFAULT_LIBRARY_DIRS, w as emptyArgumentIndexes, S as STRACE_PACKAGE } from './start-vm.js';
import './vm-registry.js';
import 'node:zlib';
import 'node:stream/promises';
import { f as cpioEntryBytes, c as CPIO_TRAILER_NAME } from './cpio-batch-sink.js';
import { p as parseVersion, c as compareVersions } from './version-compare.js';
import { a as ensureLinuxKernel } from './linux-kernel.js';
import { d as detectPrivileges, p as privileged } from './privileges.js';
import { T as TreeWriter, w as walkTree, s as splitRdev, a as readSpecials, b as sniffArchiveFile, o as openArchive, U as UnexpectedEofError, t as tarChecksumOk, c as specialsSidecarPath, e as extractCpio, p as packDirectory } from './pack-directory.js';
import { t as toGuestPath, T as TreeView, c as comparePaths, n as normaliseArchivePath, S as SymlinkLoopError, g as guestDirname } from './tree-path.js';
import { d as distExports } from './index.js';
import { B as vmSummaryFrom, C as portsToJson, D as timelineFromVm, R as RESULT_SCHEMA_VERSION, E as summarize } from './result.js';
import { a as TOOL_VERSION, T as TOOL_NAME } from './version.js';
import { m as makeScratchDir } from './scratch.js';
import { isUtf8, isAscii } from 'node:buffer';
import './find-program.js';
import './memory.js';
import 'node:events';
import 'node:stream';
import 'process';
import 'buffer';
import 'node:url';

// One TCP request/response exchange with a hard deadline: connect, send, read until the reply is whole.
// Reports exactly how it ended, because with QEMU's user networking "connected" proves nothing:
// QEMU accepts the host side itself, and only a reply shows the guest is there.
function exchange(opts) {
    return new Promise(resolve => {
        let connected = false;
        let received = Buffer.alloc(0);
        let settled = false;
        const socket = connect({ host: opts.host, port: opts.port });
        const finish = (end, error) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            opts.signal?.removeEventListener('abort', onAbort);
            socket.destroy();
            resolve({ connected, received, end, ...(error === undefined ? {} : { error }) });
        };
        const timer = setTimeout(() => finish('timeout'), opts.timeoutMs);
        const onAbort = () => finish('aborted');
        if (opts.signal?.aborted)
            return finish('aborted');
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        socket.setNoDelay(true);
        socket.on('connect', () => {
            connected = true;
            socket.write(opts.payload);
        });
        socket.on('data', (d) => {
            received = Buffer.concat([received, d]);
            let whole;
            try {
                whole = opts.isComplete(received);
            }
            catch {
                whole = true;
            }
            if (whole)
                finish('complete');
        });
        socket.on('end', () => finish('closed'));
        socket.on('close', () => finish('closed'));
        socket.on('error', (e) => finish('error', e.code ?? e.message));
    });
}
/** Bytes as they read in evidence: printable text, control bytes escaped, capped. */
function showBytes(b, max = 300) {
    const s = typeof b === 'string' ? b : b.toString('utf8');
    const shown = s.replace(/[\x00-\x1f\x7f]/g, c => c === '\r'
        ? '\\r'
        : c === '\n'
            ? '\\n'
            : c === '\t'
                ? '\\t'
                : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    return shown.length > max ? `${shown.slice(0, max)}... (${s.length} chars)` : shown;
}

/** Output kept per stream (the tail): enough for a test run's summary in the artifacts. */
const OUTPUT_CAP = 256 * 1024;
function probeEnvironment(host, ports) {
    const env = { HOST: host };
    for (const [guest, hostPort] of Object.entries(ports))
        env[`PORT_${guest}`] = String(hostPort);
    return env;
}
async function commandAttempt(spec, ctx) {
    const sent = spec.argv.map(quoteWord).join(' ');
    const r = await ctx.runner.run(spec.argv, {
        env: ctx.env,
        timeoutMs: ctx.timeoutMs,
        signal: ctx.signal,
        maxBuffer: OUTPUT_CAP
    });
    const output = { stdout: r.stdout, stderr: r.stderr, exitCode: r.code, signal: r.signal };
    const lastLine = (r.stderr.trim() || r.stdout.trim()).split('\n').pop() ?? '';
    const received = `exit ${r.code ?? `signal ${r.signal}`}${lastLine ? `; last output: ${showBytes(lastLine, 200)}` : ''}`;
    if (r.code === 0)
        return { passed: true, evidence: { sent, received }, output };
    const note = r.timedOut
        ? `killed after ${ctx.timeoutMs} ms`
        : r.code === null
            ? `killed by ${r.signal}`
            : `exited with status ${r.code}`;
    return { passed: false, evidence: { sent, received, note }, output };
}

/** ANSI escapes and carriage returns out, so regexes see what a person sees. */
function cleanLine(text) {
    return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g, '').replace(/\r/g, '');
}
/** "the VM ended (crashed at 1234 ms)": how the VM's end reads in a note. */
function describeEnd(r) {
    if (!r)
        return 'the VM ended';
    const at = r.timeline.exitMs !== null ? ` at ${Math.round(r.timeline.exitMs)} ms` : '';
    return `the VM ended (${r.reason}${at})`;
}
/** The result of a console-watching probe: one attempt, timed from `startedAt` (clock time). */
function watchResult(spec, run, w) {
    return {
        kind: spec.kind,
        target: spec.target,
        input: spec.input,
        passed: w.passed,
        attempts: 1,
        durationMs: Math.round(run.clock.now() - run.startedAt),
        readyAtMs: w.passed ? w.atMs : null,
        evidence: { sent: run.sent, received: w.received, atMs: w.atMs, ...(w.note ? { note: w.note } : {}) }
    };
}

class Waker {
    clock;
    pending = false;
    ctrl = null;
    constructor(clock) {
        this.clock = clock;
    }
    wake() {
        if (this.ctrl)
            this.ctrl.abort();
        else
            this.pending = true;
    }
    async wait(ms) {
        if (this.pending || ms <= 0) {
            this.pending = false;
            return;
        }
        const ctrl = new AbortController();
        this.ctrl = ctrl;
        try {
            await this.clock.sleep(ms, ctrl.signal);
        }
        finally {
            this.ctrl = null;
        }
    }
}

function lastLines(text, count) {
    const lines = text
        .split('\n')
        .map(cleanLine)
        .filter(l => l.trim() !== '');
    return lines.length === 0 ? '(no console output)' : showBytes(lines.slice(-3).join('\n'), 400);
}
async function runConsoleProbe(spec, ctx) {
    const { clock, vm } = ctx;
    const started = clock.now();
    const re = compilePattern(spec.pattern);
    const waker = new Waker(clock);
    let match = null;
    let seen = 0;
    const unsubscribe = vm.onConsoleLine((line) => {
        if (match)
            return;
        seen = Math.max(seen, line.n);
        const text = cleanLine(line.text);
        if (re.test(text)) {
            match = { n: line.n, text, atMs: line.atMs };
            waker.wake();
        }
    });
    void ctx.whenEnded.then(() => waker.wake());
    const sent = `match ${formatPattern(spec.pattern)} against each console line`;
    const result = (passed, atMs, received, note) => watchResult(spec, { clock, startedAt: started, sent }, { passed, atMs, received, note });
    try {
        for (;;) {
            if (match) {
                const m = match;
                if (spec.stop)
                    ctx.stopRequested = true;
                return result(true, m.atMs, `line ${m.n}: ${showBytes(m.text, 300)}`);
            }
            if (ctx.isEnded()) {
                const end = await ctx.whenEnded;
                if (match)
                    continue;
                // A last line without its newline may come only with QEMU's exit: read the whole text once.
                const all = vm.consoleText();
                const lines = all.split('\n');
                for (let i = seen; i < lines.length; i++) {
                    const text = cleanLine(lines[i]);
                    if (re.test(text)) {
                        match = { n: i + 1, text, atMs: vm.elapsedMs() };
                        break;
                    }
                }
                if (match)
                    continue;
                return result(false, vm.elapsedMs(), lastLines(all, 3), `no console line matched before ${describeEnd(end)}`);
            }
            const now = clock.now();
            if (now >= ctx.deadlineAt) {
                return result(false, vm.elapsedMs(), lastLines(vm.consoleText(), 3), `no console line matched within ${Math.round(now - started)} ms (deadline)`);
            }
            await waker.wait(ctx.deadlineAt - now);
        }
    }
    finally {
        unsubscribe();
    }
}

const MAIN_RETURNED = /\bmain returned (-?\d+)/;
/** Anchored at the line's end: app output printed without a newline may stand before it. */
const EXIT_GROUP = /exit_group\((-?\d+)\)\s*=\s*\?\s*$/;
/** `line N: exit_group(3) = ?` or `line N: main returned 3`, with the status it gives. */
function statusLine(text) {
    const clean = cleanLine(text);
    const g = EXIT_GROUP.exec(clean);
    if (g)
        return { value: Number(g[1]), shown: `exit_group(${g[1]}) = ?` };
    const m = MAIN_RETURNED.exec(clean);
    return m ? { value: Number(m[1]), shown: `main returned ${m[1]}` } : null;
}
/** After a console probe asked to stop the VM: how long the program gets to report its status. */
const EXIT_GRACE_MS = 2000;
/** An int returned from main becomes an exit status the way exit() truncates it. */
function asStatus(n) {
    return ((n % 256) + 256) % 256;
}
async function runExitProbe(spec, ctx) {
    const { clock, vm } = ctx;
    const started = clock.now();
    const waker = new Waker(clock);
    let fromLine = null;
    const unsubscribe = vm.onConsoleLine(line => {
        if (fromLine)
            return;
        const s = statusLine(line.text);
        if (s) {
            fromLine = { n: line.n, ...s, atMs: line.atMs };
            waker.wake();
        }
    });
    void ctx.whenEnded.then(() => waker.wake());
    const graceUntil = ctx.stopRequested ? started + EXIT_GRACE_MS : Infinity;
    const sent = `expect exit status ${spec.code}`;
    const decide = (status, received, atMs) => {
        const passed = status === spec.code;
        return result(passed, received, atMs, passed ? undefined : `expected exit status ${spec.code}, got ${status}`);
    };
    const result = (passed, received, atMs, note) => watchResult(spec, { clock, startedAt: started, sent }, { passed, atMs, received, note });
    const unknown = (why) => {
        const r = result(false, 'exit status unknown', vm.elapsedMs(), `exit status unknown: ${why}`);
        return ctx.guestReportsExit ? r : { ...r, inconclusive: true };
    };
    try {
        for (;;) {
            if (fromLine) {
                const l = fromLine;
                return decide(asStatus(l.value), `line ${l.n}: ${l.shown}`, l.atMs);
            }
            if (ctx.isEnded()) {
                const end = await ctx.whenEnded;
                if (end && end.guestExit !== null) {
                    return decide(end.guestExit, `the guest reported exit status ${end.guestExit}`, vm.elapsedMs());
                }
                const lines = vm.consoleText().split('\n');
                for (let i = 0; i < lines.length; i++) {
                    const s = statusLine(lines[i]);
                    if (s)
                        return decide(asStatus(s.value), `line ${i + 1}: ${s.shown}`, vm.elapsedMs());
                }
                return unknown(`${describeEnd(end)} without reporting one (no 'exit_group(N) = ?' or 'main returned N' line, no guest status)`);
            }
            const now = clock.now();
            if (now >= graceUntil) {
                // The ELF loader never powers off: the matched output was the end of the program.
                await vm.stop();
                await ctx.whenEnded;
                continue;
            }
            if (now >= ctx.deadlineAt) {
                const waited = Math.round(now - started);
                return unknown(ctx.guestReportsExit
                    ? `the program had not exited after ${waited} ms (deadline)`
                    : `no exit was reported within ${waited} ms (deadline); this kernel prints no 'exit_group(N) = ?' line, and Unikraft 0.16.x neither reports a program's exit status nor powers off after it, so the program may have exited long before`);
            }
            await waker.wait(Math.min(graceUntil, ctx.deadlineAt) - now);
        }
    }
    finally {
        unsubscribe();
    }
}

// The http probe: one request on the forwarded port; the status (2xx by default), and optionally a
// body regex and header matches, decide. A body check matters: nginx with `sendfile on` under Unikraft
// answers 200 with an empty body.
/** Bodies beyond this are not read further: a health check's answer is small. */
const BODY_CAP = 1024 * 1024;
function get(spec, ctx) {
    return new Promise((resolve, reject) => {
        const req = request({
            host: ctx.host,
            port: ctx.hostPort,
            path: spec.path,
            method: spec.method,
            agent: false,
            headers: { 'user-agent': 'unikraft-compat-probe', connection: 'close' },
            signal: ctx.signal
        });
        const timer = setTimeout(() => req.destroy(new Error(`no complete answer within ${ctx.timeoutMs} ms`)), ctx.timeoutMs);
        req.on('error', e => {
            clearTimeout(timer);
            reject(e);
        });
        req.on('response', res => {
            const chunks = [];
            let size = 0;
            const done = () => {
                clearTimeout(timer);
                const headers = {};
                for (const [k, v] of Object.entries(res.headers)) {
                    if (v !== undefined)
                        headers[k] = Array.isArray(v) ? v.join(', ') : v;
                }
                resolve({
                    status: res.statusCode ?? 0,
                    statusText: res.statusMessage ?? '',
                    headers,
                    body: Buffer.concat(chunks).toString('utf8')
                });
                res.destroy();
            };
            res.on('data', (d) => {
                if (size < BODY_CAP)
                    chunks.push(d);
                size += d.length;
                if (size >= BODY_CAP)
                    done();
            });
            res.on('end', done);
            res.on('error', e => {
                clearTimeout(timer);
                reject(e);
            });
        });
        req.end();
    });
}
async function httpAttempt(spec, ctx) {
    const sent = `${spec.method} ${spec.path} HTTP/1.1`;
    let reply;
    try {
        reply = await get(spec, ctx);
    }
    catch (e) {
        const err = e;
        const what = err.code === 'ECONNRESET'
            ? 'connection reset without an answer (nothing accepted it in the guest)'
            : err.message;
        return { passed: false, evidence: { sent, note: `no HTTP answer: ${what}` } };
    }
    const statusLine = `HTTP ${reply.status} ${reply.statusText}`.trim();
    const received = `${statusLine}; body: ${reply.body === '' ? '(empty)' : showBytes(reply.body, 200)}`;
    const fail = (note) => ({ passed: false, evidence: { sent, received, note } });
    if (!statusMatches(spec.status, reply.status)) {
        return fail(`status ${reply.status} is not ${formatStatuses(spec.status)}`);
    }
    if (spec.body && !compilePattern(spec.body).test(reply.body)) {
        return fail(`body does not match ${formatPattern(spec.body)}`);
    }
    for (const h of spec.headers) {
        const v = reply.headers[h.name];
        if (v === undefined)
            return fail(`header ${h.name} is missing`);
        if (!compilePattern(h.pattern).test(v))
            return fail(`header ${h.name}: ${v} does not match ${formatPattern(h.pattern)}`);
    }
    return { passed: true, evidence: { sent, received } };
}

/** Between attempt starts once the guest has printed anything. */
const POLL_INTERVAL_MS = 25;
/** Before the first console output: the guest cannot be serving yet. */
const BACKOFF_START_MS = 50;
const BACKOFF_MAX_MS = 1000;
async function pollProbe(spec, ctx, opts, attempt) {
    const { clock, vm, logger } = ctx;
    const started = clock.now();
    const stopAll = new AbortController();
    const waker = new Waker(clock);
    let attempts = 0;
    let inFlight = 0;
    // An object, not a `let`: attempts settle in callbacks the type checker does not follow.
    const won = { winner: null };
    let last = null;
    let lastOutput;
    let lastNote;
    let sawOutput = ctx.hasOutput();
    let backoff = BACKOFF_START_MS;
    let nextStart = started;
    const unsubscribe = ctx.onLine(() => {
        if (!sawOutput)
            waker.wake();
    });
    void ctx.whenEnded.then(() => waker.wake());
    const result = (passed, evidence, output = lastOutput) => ({
        kind: spec.kind,
        target: spec.target,
        input: spec.input,
        passed,
        attempts,
        durationMs: Math.round(clock.now() - started),
        readyAtMs: passed ? evidence.atMs : null,
        evidence,
        ...(output ? { output } : {})
    });
    const failed = (note) => {
        const ev = last ? { ...last } : { atMs: vm.elapsedMs() };
        ev.note = last?.note ? `${note}; last attempt: ${last.note}` : note;
        return result(false, ev);
    };
    try {
        for (;;) {
            const winner = won.winner;
            if (winner)
                return result(true, { ...winner.outcome.evidence, atMs: winner.atMs }, winner.outcome.output);
            if (ctx.isEnded()) {
                const end = await ctx.whenEnded;
                if (won.winner)
                    continue;
                return failed(`${describeEnd(end)} before ${spec.target} passed`);
            }
            const now = clock.now();
            if (now >= ctx.deadlineAt) {
                return failed(`${spec.target} did not pass within ${Math.round(now - started)} ms (deadline)`);
            }
            if (!sawOutput && ctx.hasOutput()) {
                sawOutput = true;
                nextStart = Math.min(nextStart, now);
            }
            if (inFlight < opts.concurrency && now >= nextStart) {
                attempts++;
                inFlight++;
                const left = ctx.deadlineAt - now;
                const timeoutMs = Math.max(1, Math.round(Math.min(opts.attemptTimeoutMs ?? left, left)));
                // Cut short by the deadline: its failure may only say that time ran out.
                const cutShort = opts.attemptTimeoutMs != null && left < opts.attemptTimeoutMs;
                const n = attempts;
                attempt(stopAll.signal, timeoutMs)
                    .catch((e) => ({
                    passed: false,
                    evidence: { note: `attempt failed: ${e instanceof Error ? e.message : String(e)}` }
                }))
                    .then(outcome => {
                    const atMs = vm.elapsedMs();
                    if (stopAll.signal.aborted)
                        return;
                    if (outcome.passed) {
                        won.winner ??= { outcome, atMs };
                    }
                    else if (!cutShort || last === null) {
                        // The evidence of the last full attempt says more than one the deadline cut short.
                        last = { ...outcome.evidence, atMs };
                        lastOutput = outcome.output;
                        if (outcome.evidence.note !== lastNote) {
                            lastNote = outcome.evidence.note;
                            logger.debug(`${spec.input} ${spec.target}: attempt ${n} failed at ${Math.round(atMs)} ms: ${lastNote}`);
                        }
                    }
                })
                    .finally(() => {
                    inFlight--;
                    waker.wake();
                });
                nextStart = now + (sawOutput ? POLL_INTERVAL_MS : backoff);
                if (!sawOutput)
                    backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
            }
            const untilNext = inFlight < opts.concurrency ? nextStart - clock.now() : Infinity;
            await waker.wait(Math.min(untilNext, ctx.deadlineAt - clock.now()));
        }
    }
    finally {
        stopAll.abort();
        unsubscribe();
    }
}

/** Why an exchange that produced no reply ended, in words for the evidence. */
function noReplyNote(end, connected, timeoutMs, error) {
    if (!connected) {
        if (end === 'error')
            return `connect failed (${error ?? 'error'}): nothing listens on the forwarded host port`;
        if (end === 'timeout')
            return `connect did not complete within ${timeoutMs} ms`;
        return 'connection not made';
    }
    switch (end) {
        case 'timeout':
            return `connected, but no reply within ${timeoutMs} ms (QEMU accepts host-side connections itself; the guest did not answer)`;
        case 'closed':
            return 'connection closed without a reply (nothing accepted it in the guest)';
        case 'error':
            return `connection failed (${error ?? 'error'}) without a reply`;
        case 'aborted':
            return 'attempt abandoned';
        default:
            return 'no reply';
    }
}

// Just enough of RESP (the Redis protocol) to probe a server without redis-cli: encode commands,
// parse the RESP2 replies (+simple, -error, :integer, $bulk, *array) incrementally.
function encodeCommand(args) {
    const parts = [`*${args.length}\r\n`];
    for (const a of args)
        parts.push(`$${Buffer.byteLength(a)}\r\n${a}\r\n`);
    return Buffer.from(parts.join(''));
}
class RespProtocolError extends Error {
    name = 'RespProtocolError';
}
/**
 * Parses one reply at `offset`. Returns the value and the offset after it, or null when `buf` does not
 * hold a whole reply yet. Throws RespProtocolError on bytes that are not RESP.
 */
function parseReply(buf, offset = 0) {
    if (offset >= buf.length)
        return null;
    const eol = buf.indexOf('\r\n', offset);
    if (eol < 0)
        return null;
    const type = String.fromCharCode(buf[offset]);
    const line = buf.toString('utf8', offset + 1, eol);
    const next = eol + 2;
    switch (type) {
        case '+':
            return { value: { type: 'simple', value: line }, next };
        case '-':
            return { value: { type: 'error', value: line }, next };
        case ':':
            if (!/^-?\d+$/.test(line))
                throw new RespProtocolError(`bad integer reply ':${line}'`);
            return { value: { type: 'integer', value: Number(line) }, next };
        case '$': {
            const len = Number(line);
            if (!/^-?\d+$/.test(line) || len < -1)
                throw new RespProtocolError(`bad bulk length '$${line}'`);
            if (len === -1)
                return { value: { type: 'bulk', value: null }, next };
            if (buf.length < next + len + 2)
                return null;
            return { value: { type: 'bulk', value: buf.toString('utf8', next, next + len) }, next: next + len + 2 };
        }
        case '*': {
            const count = Number(line);
            if (!/^-?\d+$/.test(line) || count < -1)
                throw new RespProtocolError(`bad array length '*${line}'`);
            if (count === -1)
                return { value: { type: 'array', value: null }, next };
            const items = [];
            let at = next;
            for (let i = 0; i < count; i++) {
                const item = parseReply(buf, at);
                if (!item)
                    return null;
                items.push(item.value);
                at = item.next;
            }
            return { value: { type: 'array', value: items }, next: at };
        }
        default:
            throw new RespProtocolError(`not a RESP reply (starts with ${JSON.stringify(type)})`);
    }
}
/** Parses as many whole replies as `buf` holds. */
function parseReplies(buf) {
    const out = [];
    let at = 0;
    for (;;) {
        const r = parseReply(buf, at);
        if (!r)
            return out;
        out.push(r.value);
        at = r.next;
    }
}
/** How a reply reads in evidence: `+PONG`, `-ERR ...`, `$5 hello`. */
function formatReply(v) {
    switch (v.type) {
        case 'simple':
            return `+${v.value}`;
        case 'error':
            return `-${v.value}`;
        case 'integer':
            return `:${v.value}`;
        case 'bulk':
            return v.value === null ? '$-1 (nil)' : `$${Buffer.byteLength(v.value)} ${JSON.stringify(v.value)}`;
        case 'array':
            return v.value === null ? '*-1' : `*${v.value.length} [${v.value.map(formatReply).join(', ')}]`;
    }
}

// The redis probe: speaks RESP itself, so no redis-cli is needed. PING must answer +PONG; with
// `setget`, a SET/GET round trip of a random key (which expires after 60 s) must give the value back.
async function redisAttempt(spec, ctx) {
    const key = `unikraft-compat:probe:${randomBytes(8).toString('hex')}`;
    const value = randomBytes(12).toString('hex');
    const commands = [['PING']];
    if (spec.setGet)
        commands.push(['SET', key, value, 'PX', '60000'], ['GET', key]);
    const sent = commands.map(c => c.join(' ')).join('; ');
    const r = await exchange({
        host: ctx.host,
        port: ctx.hostPort,
        payload: Buffer.concat(commands.map(encodeCommand)),
        isComplete: buf => parseReplies(buf).length >= commands.length,
        timeoutMs: ctx.timeoutMs,
        signal: ctx.signal
    });
    let replies;
    try {
        replies = parseReplies(r.received);
    }
    catch (e) {
        return {
            passed: false,
            evidence: { sent, received: showBytes(r.received), note: `not a redis server: ${e.message}` }
        };
    }
    const received = replies.length > 0 ? replies.map(formatReply).join('; ') : showBytes(r.received);
    if (replies.length === 0) {
        const note = r.received.length > 0
            ? 'incomplete RESP reply'
            : noReplyNote(r.end, r.connected, ctx.timeoutMs, r.error);
        return { passed: false, evidence: { sent, received, note } };
    }
    const pong = replies[0];
    if (pong.type !== 'simple' || pong.value !== 'PONG') {
        return {
            passed: false,
            evidence: { sent, received, note: `PING must answer +PONG, got ${formatReply(pong)}` }
        };
    }
    if (!spec.setGet)
        return { passed: true, evidence: { sent, received } };
    const [set, get] = [replies[1], replies[2]];
    if (!set || !get) {
        return {
            passed: false,
            evidence: { sent, received, note: `+PONG, but the SET/GET replies did not come (${r.end})` }
        };
    }
    if (set.type !== 'simple' || set.value !== 'OK') {
        return {
            passed: false,
            evidence: { sent, received, note: `SET must answer +OK, got ${formatReply(set)}` }
        };
    }
    if (get.type !== 'bulk' || get.value !== value) {
        return {
            passed: false,
            evidence: { sent, received, note: `GET must return the value just set, got ${formatReply(get)}` }
        };
    }
    return { passed: true, evidence: { sent, received } };
}

// The tcp probe. QEMU's user networking accepts the host-side connection whether or not the guest
// listens, so a connect proves nothing. Readiness is what QEMU itself reports: the forwarded connection
// is ESTABLISHED in `info usernet` (the guest answered the SYN) rather than SYN_SENT. The connection
// is held open while we ask, so the state we read is our own connection's (or a later one's).
// Bytes from the guest prove it too. A server that accepts and closes at once without a byte is
// indistinguishable here from one that is not there.
/** How often to ask QEMU again while our connection waits for the guest. */
const RECHECK_MS = 10;
function tcpAttempt(spec, ctx) {
    const sent = `connect 127.0.0.1:${ctx.hostPort} (guest port ${spec.port}), then QEMU info usernet`;
    return new Promise(resolve => {
        let settled = false;
        let connected = false;
        let checks = 0;
        const socket = connect({ host: ctx.host, port: ctx.hostPort });
        const finish = (passed, note, received) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            ctx.signal.removeEventListener('abort', onAbort);
            socket.destroy();
            resolve({ passed, evidence: { sent, ...(received ? { received } : {}), ...(note ? { note } : {}) } });
        };
        const timer = setTimeout(() => finish(false, connected
            ? `QEMU accepted the host-side connection, but the guest did not accept it within ${ctx.timeoutMs} ms (SYN_SENT)`
            : `connect did not complete within ${ctx.timeoutMs} ms`, connected ? `${checks} checks: not established` : undefined), ctx.timeoutMs);
        const onAbort = () => finish(false, 'attempt abandoned');
        if (ctx.signal.aborted)
            return onAbort();
        ctx.signal.addEventListener('abort', onAbort, { once: true });
        const check = async () => {
            while (!settled) {
                checks++;
                let accepted;
                try {
                    accepted = await ctx.guestAccepted(spec.port);
                }
                catch (e) {
                    return finish(false, `could not ask QEMU whether the guest accepted: ${e.message}`);
                }
                if (settled)
                    return;
                if (accepted)
                    return finish(true, undefined, `guest accepted (ESTABLISHED) after ${checks} check(s)`);
                await new Promise(r => setTimeout(r, RECHECK_MS));
            }
        };
        socket.on('connect', () => {
            connected = true;
            void check();
        });
        // Bytes can only come from the guest (QEMU sends none of its own): that is acceptance too.
        socket.on('data', (d) => finish(true, undefined, `guest sent ${d.length} byte(s) first`));
        socket.on('close', () => finish(false, connected
            ? 'QEMU accepted the host-side connection, then closed it: nothing accepted it in the guest'
            : 'connection closed before it was made'));
        socket.on('error', (e) => finish(false, `connect failed (${e.code ?? e.message}): nothing listens on the forwarded host port`));
    });
}

// Runs the probes against a running VM, in order, from launch: each starts when the one before passed;
// after a failure the rest are reported as not run. Marks time-to-ready when the last readiness probe
// passes, and stops the VM at the end when a console probe asked for it (the ELF loader never powers off).
/** Protocol attempts in flight at once per probe. */
const CONCURRENCY = 4;
/** Probes that wait for the app to come up; time-to-ready is when the last of them passes. */
function isReadinessProbe(spec) {
    return spec.kind !== 'exit' && (spec.kind !== 'command' || spec.retry);
}
async function runProbes(specs, vm, opts) {
    const clock = opts.clock ?? systemClock;
    const logger = opts.logger ?? silentLogger;
    let hasOutput = false;
    let ended = false;
    const listeners = new Set();
    const unsubscribe = vm.onConsoleLine(() => {
        hasOutput = true;
        for (const l of listeners)
            l();
    });
    const whenEnded = vm.done.then(r => r, () => null);
    void whenEnded.then(() => {
        ended = true;
    });
    const ctx = {
        vm,
        clock,
        logger,
        runner: opts.runner ?? nodeCommandRunner,
        deadlineAt: clock.now() + opts.deadlineMs,
        hasOutput: () => hasOutput,
        onLine: cb => {
            listeners.add(cb);
            return () => listeners.delete(cb);
        },
        isEnded: () => ended || vm.ended,
        whenEnded,
        guestReportsExit: opts.guestReportsExit ?? true,
        stopRequested: false
    };
    const lastReadiness = specs.reduce((last, s, i) => (isReadinessProbe(s) ? i : last), -1);
    const results = [];
    let failed = null;
    try {
        for (const [i, spec] of specs.entries()) {
            if (failed) {
                results.push(notRun(spec, failed, vm.elapsedMs()));
                continue;
            }
            const r = await runOne(spec, ctx);
            results.push(r);
            if (r.passed) {
                logger.info(`${spec.input} ${spec.target}: passed at ${r.readyAtMs} ms after ${r.attempts} attempt(s)`);
                if (i === lastReadiness)
                    vm.markReady();
            }
            else {
                logger.info(`${spec.input} ${spec.target}: failed after ${r.attempts} attempt(s): ${r.evidence.note ?? ''}`);
                failed = r;
            }
        }
        if (ctx.stopRequested && !ctx.isEnded()) {
            logger.debug('stopping the VM: a console probe matched and asked for it');
            await vm.stop();
        }
    }
    finally {
        unsubscribe();
    }
    return results;
}
function runOne(spec, ctx) {
    const host = ctx.vm.hostAddress;
    const hostPortOf = (guest) => {
        const p = ctx.vm.ports[guest];
        // guestPortsOf() makes the runner forward every probe port; a missing one is a wiring bug.
        if (p === undefined)
            throw new Error(`guest port ${guest} is not forwarded (ports: ${JSON.stringify(ctx.vm.ports)})`);
        return p;
    };
    const poll = (timeout, attempt, concurrency = CONCURRENCY) => pollProbe(spec, ctx, { concurrency, attemptTimeoutMs: timeout }, attempt);
    switch (spec.kind) {
        case 'redis': {
            const hostPort = hostPortOf(spec.port);
            return poll(spec.attemptTimeoutMs, (signal, timeoutMs) => redisAttempt(spec, { host, hostPort, signal, timeoutMs }));
        }
        case 'http': {
            const hostPort = hostPortOf(spec.port);
            return poll(spec.attemptTimeoutMs, (signal, timeoutMs) => httpAttempt(spec, { host, hostPort, signal, timeoutMs }));
        }
        case 'tcp': {
            const hostPort = hostPortOf(spec.port);
            const guestAccepted = (port) => ctx.vm.guestAccepted(port);
            return poll(spec.attemptTimeoutMs, (signal, timeoutMs) => tcpAttempt(spec, { host, hostPort, signal, timeoutMs, guestAccepted }));
        }
        case 'console':
            return runConsoleProbe(spec, ctx);
        case 'exit':
            return runExitProbe(spec, ctx);
        case 'command': {
            const env = probeEnvironment(host, ctx.vm.ports);
            const attempt = (signal, timeoutMs) => commandAttempt(spec, { env, signal, timeoutMs, runner: ctx.runner });
            if (spec.retry)
                return poll(spec.attemptTimeoutMs ?? 10_000, attempt, 1);
            return runOnce(spec, ctx, attempt);
        }
    }
}
/** A command probe without retry: a test, run once whatever the VM's state, its output kept. */
async function runOnce(spec, ctx, attempt) {
    const started = ctx.clock.now();
    const left = Math.max(1, Math.round(ctx.deadlineAt - started));
    let outcome;
    try {
        outcome = await attempt(new AbortController().signal, Math.min(spec.attemptTimeoutMs ?? left, left));
    }
    catch (e) {
        outcome = {
            passed: false,
            evidence: { note: `could not run: ${e instanceof Error ? e.message : String(e)}` }
        };
    }
    const atMs = ctx.vm.elapsedMs();
    return {
        kind: spec.kind,
        target: spec.target,
        input: spec.input,
        passed: outcome.passed,
        attempts: 1,
        durationMs: Math.round(ctx.clock.now() - started),
        readyAtMs: outcome.passed ? atMs : null,
        evidence: { ...outcome.evidence, atMs },
        ...(outcome.output ? { output: outcome.output } : {})
    };
}
function notRun(spec, failed, atMs) {
    return {
        kind: spec.kind,
        target: spec.target,
        input: spec.input,
        passed: false,
        attempts: 0,
        durationMs: 0,
        readyAtMs: null,
        evidence: { atMs, note: `not run: ${failed.input} (${failed.target}) failed first` }
    };
}

// The verdict of a check. `error`: the check could not be carried out (QEMU missing, Docker down, a
// download failed), or a probe could not judge (an exit status Unikraft does not report). `fail`: a probe failed, or diagnosis found an error that is not allowed, even when
// every probe passed (a crash or a missing library after the app answered is still broken).
// `pass`: all probes passed and no error finding remains. The allow-list turns the listed ids' error and
// warning findings into notes marked `allowed`, e.g. `process.fork-unsupported` for redis's BGSAVE.
function applyAllowList(findings, allow) {
    const allowed = new Set(allow);
    return findings.map(f => allowed.has(f.id) && f.severity !== 'note' ? { ...f, severity: 'note', allowed: true } : { ...f });
}
/**
 * What a log line reports that the app may survive: a missing system call, socket option, address
 * family or /proc file, a refused fork, an unknown kernel error line. When every probe passed, the
 * app evidently coped, so these are warnings. Crashes, out-of-memory, loader and boot failures, exit
 * statuses and probe failures stay decisive whatever the probes said.
 */
const DEGRADATIONS = new Set([
    'syscall.unsupported',
    'process.fork-unsupported',
    'process.rlimit-unsupported',
    'net.address-family-unsupported',
    'net.option-unsupported',
    'fs.procfs-missing',
    'fs.sysfs-missing',
    'loader.symbol-not-found',
    'memory.heap-limit',
    'kernel.error'
]);
/** Error findings of DEGRADATIONS become warnings once every probe (at least one) has passed. */
function weighByProbes(findings, probes) {
    const served = probes.length > 0 && probes.every(p => p.passed);
    return findings.map(f => served && f.severity === 'error' && DEGRADATIONS.has(f.id)
        ? {
            ...f,
            severity: 'warning',
            hint: `${f.hint} The app kept working (every probe passed), so this is a warning.`
        }
        : f);
}
function computeVerdict(input) {
    const findings = weighByProbes(applyAllowList(input.findings, input.allow), input.probes);
    const firstFailure = input.probes.find(p => !p.passed);
    // A probe that could not judge is no failure of the app; an error finding still decides.
    const inconclusive = firstFailure?.inconclusive ? firstFailure : undefined;
    const errors = findings.filter(f => f.severity === 'error');
    const withFailure = firstFailure ? { firstFailure } : {};
    if (input.infraError !== undefined && input.infraError !== null) {
        const why = describeError(input.infraError).split('\n')[0];
        return {
            verdict: 'error',
            ...withFailure,
            findings,
            summary: `the check could not be carried out: ${why}`,
            errorText: why
        };
    }
    const reasons = [];
    if (inconclusive && errors.length === 0) {
        const note = inconclusive.evidence.note ? `: ${inconclusive.evidence.note}` : '';
        const summary = `${inconclusive.input} ${inconclusive.target} is inconclusive${note}`;
        return { verdict: 'error', firstFailure: inconclusive, findings, summary, errorText: summary };
    }
    if (firstFailure && !inconclusive) {
        const note = firstFailure.evidence.note ? `: ${firstFailure.evidence.note}` : '';
        reasons.push(`${firstFailure.input} ${firstFailure.target} failed${note}`);
    }
    if (errors.length > 0) {
        const ids = [...new Set(errors.map(f => f.id))];
        reasons.push(`${errors.length} error finding(s): ${ids.join(', ')}`);
    }
    if (reasons.length > 0)
        return { verdict: 'fail', ...withFailure, findings, summary: reasons.join('; ') };
    const passed = input.probes.length;
    const notes = findings.filter(f => f.allowed).length;
    const allowedText = notes > 0 ? `; ${notes} allowed finding(s) kept as notes` : '';
    return { verdict: 'pass', findings, summary: `${passed} probe(s) passed, no error findings${allowedText}` };
}

/**
 * With no probe configured: each forwarded port must be accepted by the guest (tcp), else the
 * program must run to completion with status 0 on Linux. On Unikraft with neither, the run waits for
 * the guest to end (the deadline bounds it) and the verdict rests on the findings.
 */
function probesFor(options, guest) {
    if (options.probes.length > 0)
        return [...options.probes];
    if (options.ports.length > 0)
        return options.ports.map((p, i) => ({
            kind: 'tcp',
            input: `default probe ${i + 1}`,
            target: `tcp:${p.guest}`,
            port: p.guest,
            attemptTimeoutMs: DEFAULT_ATTEMPT_TIMEOUT_MS.tcp
        }));
    return guest === 'linux' ? [{ kind: 'exit', input: 'default probe', target: 'exit:0', code: 0 }] : [];
}

const blocking = (findings) => findings.filter(f => f.severity === 'error' && !f.allowed);
function label(f) {
    return f.detail ? `${f.id} (${f.detail})` : f.id;
}
/** `crash.trap (invalid opcode), loader.missing-library (libssl.so.3)`, at most three. */
function headline(findings) {
    const errors = blocking(findings);
    if (errors.length === 0)
        return 'no error finding';
    const shown = errors.slice(0, 3).map(label);
    return errors.length > 3 ? `${shown.join(', ')} and ${errors.length - 3} more` : shown.join(', ');
}
function differential(unikraft, linux) {
    const ukPassed = unikraft.passed ?? blocking(unikraft.findings).length === 0;
    const linuxPassed = linux.passed ?? blocking(linux.findings).length === 0;
    const linuxLabels = new Set(blocking(linux.findings).map(label));
    const common = [...new Set(blocking(unikraft.findings).map(label))].filter(l => linuxLabels.has(l));
    let kind;
    let summary;
    if (unikraft.error || linux.error) {
        // A side that could not run says nothing about the app: no gap, no broken app.
        kind = 'inconclusive';
        const sides = [
            unikraft.error ? `the Unikraft run could not be carried out (${unikraft.error})` : null,
            linux.error ? `the Linux baseline run could not be carried out (${linux.error})` : null
        ].filter(Boolean);
        summary = `No comparison: ${sides.join(' and ')}.`;
    }
    else if (!ukPassed && linuxPassed) {
        kind = 'unikraft-gap';
        summary =
            'Unikraft compatibility gap: the same root filesystem and command pass on the Linux baseline ' +
                `and fail on Unikraft (${headline(unikraft.findings)}).`;
    }
    else if (!ukPassed && !linuxPassed) {
        kind = 'app-broken';
        summary =
            'The app or its root filesystem is broken: it fails on the Linux baseline too ' +
                `(Linux: ${headline(linux.findings)}; Unikraft: ${headline(unikraft.findings)}).`;
    }
    else if (ukPassed && linuxPassed) {
        kind = 'both-pass';
        summary = 'Both pass: the app behaves the same on Unikraft and on the Linux baseline.';
    }
    else {
        kind = 'baseline-only-failure';
        summary =
            `Unikraft passes but the Linux baseline fails (${headline(linux.findings)}): check the ` +
                'baseline setup (kernel, memory, command, environment).';
    }
    return {
        kind,
        summary,
        unikraft: { passed: ukPassed, findings: unikraft.findings },
        linux: { passed: linuxPassed, findings: linux.findings },
        common
    };
}

/** Global flags, placed after the subcommand path (`kraft run --no-prompt --log-type basic ...`). */
const KRAFT_GLOBAL_FLAGS = ['--no-prompt', '--log-type', 'basic'];
/** `[kraft, ...command, --no-prompt, --log-type, basic, ...args]`. */
function kraftArgv(kraftPath, command, args) {
    return [kraftPath, ...command, ...KRAFT_GLOBAL_FLAGS, ...args];
}
/** `kraft run -d --rm -M <mem>Mi -p H:G --plat qemu --arch x86_64 -n NAME [-W] [--rootfs CPIO] [-e K=V] TARGET [-- CMD]`. */
function kraftRunArgv(a) {
    return kraftArgv(a.kraftPath, ['run'], [
        '-d',
        '--rm',
        '-M',
        `${a.memoryMiB}Mi`,
        ...a.ports.flatMap(p => ['-p', `${p.host}:${p.guest}`]),
        '--plat',
        'qemu',
        '--arch',
        'x86_64',
        '-n',
        a.name,
        ...(a.accel === 'tcg' ? ['-W'] : []),
        ...(a.initrd ? ['--rootfs', a.initrd] : []),
        ...Object.entries(a.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
        ...(a.kernelArgs ?? []).flatMap(arg => ['-a', arg]),
        a.target,
        ...(a.cmd.length > 0 ? ['--', ...a.cmd] : [])
    ]);
}
/** `kraft ps -a -l -o json --plat qemu`: `-l` adds the machine id that names its state directory. */
function kraftPsArgv(kraftPath) {
    return kraftArgv(kraftPath, ['ps'], ['-a', '-l', '-o', 'json', '--plat', 'qemu']);
}
function kraftStopArgv(kraftPath, name) {
    return kraftArgv(kraftPath, ['stop'], [name]);
}
function kraftRmArgv(kraftPath, name) {
    return kraftArgv(kraftPath, ['rm'], [name]);
}

// How every kraft command is run: never interactive, no update checks, no sudo nagging, plain logs
// (the flags for that are part of every argv, see kraft-argv.ts).
/** Environment for kraft: merged over the process environment by the command runner. */
function kraftEnv(opts = {}) {
    return {
        KRAFTKIT_NO_CHECK_UPDATES: 'true',
        KRAFTKIT_NO_WARN_SUDO: 'true',
        KRAFTKIT_NO_PROMPT: 'true',
        ...(opts.runtimeDir ? { KRAFTKIT_RUNTIME_DIR: opts.runtimeDir } : {})
    };
}

// What kraft leaves of a machine it runs: its state directory `<runtime>/<machine id>/` (machine.log
// = the console, qemu.log = QEMU's output, machine.pid, the HMP monitor socket), the QEMU process
// itself and its command line (from /proc), read while they exist (`kraft rm` deletes the directory).
const MACHINE_FILES = {
    console: 'machine.log',
    qemuLog: 'qemu.log',
    pid: 'machine.pid',
    monitor: 'qemu_mon.sock'
};
/** Reads of a growing file are this big at most, so a runaway console is never read whole. */
const READ_CHUNK = 1024 * 1024;
function alive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (err) {
        return err.code === 'EPERM';
    }
}
async function readPid(path) {
    try {
        const n = Number((await readFile(path, 'utf8')).trim());
        return Number.isInteger(n) && n > 0 ? n : null;
    }
    catch {
        return null;
    }
}
async function readQemuArgv(pid) {
    try {
        const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
        return raw.split('\0').filter(s => s !== '');
    }
    catch {
        return null;
    }
}
function accelFrom(qemuArgv, requested) {
    if (qemuArgv) {
        const kvm = qemuArgv.includes('-enable-kvm') || qemuArgv.some(a => /accel=kvm/.test(a));
        return { accel: kvm ? 'kvm' : 'tcg', reason: `kraft chose ${kvm ? 'KVM' : 'TCG'} (QEMU's command line)` };
    }
    if (requested === 'tcg')
        return { accel: 'tcg', reason: 'kraft run -W (acceleration disabled)' };
    return {
        accel: 'kvm',
        reason: "kraft decides the accelerator; QEMU's command line was not readable (assumed KVM)"
    };
}
/**
 * The machine's state directory: named by its id (`kraft ps -l`); without one (older kraft) the
 * runtime directory is ours alone, so its machine is the one with a console.
 */
async function findStateDir(runtimeDir, machineId) {
    if (machineId)
        return join(runtimeDir, machineId);
    let found = null;
    for (const entry of await readdir(runtimeDir).catch(() => [])) {
        if (await stat(join(runtimeDir, entry, MACHINE_FILES.console)).catch(() => null))
            found = join(runtimeDir, entry);
    }
    return found;
}
/** Ends a process that `kraft stop` left running: SIGTERM, then SIGKILL, about a second each. */
async function endProcess(pid, clock) {
    for (const sig of ['SIGTERM', 'SIGKILL']) {
        if (!alive(pid))
            return;
        try {
            process.kill(pid, sig);
        }
        catch {
            return;
        }
        for (let i = 0; i < 20 && alive(pid); i++)
            await clock.sleep(50);
    }
}
/**
 * Hands what `path` gained past `offset` to `onChunk` in bounded reads, and returns the new offset.
 * A file that does not exist (yet) gained nothing.
 */
async function readGrowth(path, offset, onChunk) {
    let fh;
    try {
        fh = await open(path, 'r');
    }
    catch {
        return offset;
    }
    try {
        const size = (await fh.stat()).size;
        while (offset < size) {
            const buf = Buffer.alloc(Math.min(size - offset, READ_CHUNK));
            const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
            if (bytesRead === 0)
                break;
            offset += bytesRead;
            onChunk(buf.subarray(0, bytesRead));
        }
        return offset;
    }
    finally {
        await fh.close();
    }
}

// Reads `kraft ps -a -o json`: kraft's table printer turns each row into a flat map of lower-cased
// column names to strings (unikraft/kraftkit: internal/tableprinter/render_json.go), `null` when
// there are no machines. With `-l` it adds `machine id`, `ip`, `pid` and a separate `arch` column.
const STATES = new Set([
    'created',
    'running',
    'exited',
    'errored',
    'failed',
    'restarting',
    'paused',
    'suspended',
    'unknown'
]);
/** `0.0.0.0:8080->80/tcp, :8443->443/tcp` (MachinePorts.String in api/machine/v1alpha1/port.go). */
function parseKraftPorts(text) {
    const out = [];
    for (const part of text.split(',')) {
        const m = /^\s*(.*):(\d+)->(\d+)(?:\/(\w+))?\s*$/.exec(part);
        if (m)
            out.push({
                hostIp: m[1],
                host: Number(m[2]),
                guest: Number(m[3]),
                protocol: (m[4] ?? 'tcp').toLowerCase()
            });
    }
    return out;
}
function str(row, key) {
    const v = row[key];
    return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}
function jsonPart(stdout) {
    const text = stdout.trim();
    try {
        return JSON.parse(text);
    }
    catch {
        // kraft may print log lines before the JSON (older versions log to stdout): take the JSON line.
        const line = text
            .split('\n')
            .reverse()
            .find(l => /^\s*(\[|null\s*$)/.test(l));
        if (line === undefined)
            throw new Error('no JSON array in the output');
        return JSON.parse(line);
    }
}
function parseKraftPs(stdout) {
    let data;
    try {
        data = jsonPart(stdout);
    }
    catch (err) {
        throw new InfrastructureError(`could not read the output of 'kraft ps -o json': ${err.message}: ${stdout.trim().slice(0, 200)}`);
    }
    if (data === null)
        return [];
    if (!Array.isArray(data)) {
        throw new InfrastructureError(`'kraft ps -o json' printed ${typeof data}, expected an array of machines`);
    }
    return data
        .filter((r) => typeof r === 'object' && r !== null)
        .map(row => {
        const status = str(row, 'status');
        const platText = str(row, 'plat');
        const [plat, archFromPlat] = platText.includes('/') ? platText.split('/', 2) : [platText, ''];
        const arch = str(row, 'arch') || archFromPlat || null;
        const pidText = str(row, 'pid');
        return {
            name: str(row, 'name'),
            kernel: str(row, 'kernel'),
            args: str(row, 'args'),
            created: str(row, 'created'),
            status,
            state: (STATES.has(status) ? status : 'unknown'),
            mem: str(row, 'mem'),
            ports: parseKraftPorts(str(row, 'ports')),
            plat,
            arch,
            id: str(row, 'machine id') || null,
            pid: /^\d+$/.test(pidText) && pidText !== '0' ? Number(pidText) : null
        };
    });
}

// Asks a QEMU that kraft started whether the guest accepted a forwarded connection: kraft gives QEMU
// an HMP monitor at `<state>/qemu_mon.sock` (`-monitor unix:...,server,nowait`), and `info usernet`
// lists each forwarded connection as TCP[SYN_SENT] until the guest accepts it, then TCP[ESTABLISHED].
/** Rows of `info usernet` (QEMU 7.2 format: `TCP[SYN_SENT]  12  127.0.0.1 18082  10.0.2.15  80  0  0`). */
function parseUsernet(text) {
    const rows = [];
    for (const line of text.split(/\r?\n/)) {
        const m = /^\s*(\w+)\[([A-Z_0-9]+)\]\s+(-?\d+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)/.exec(line);
        if (!m)
            continue;
        rows.push({
            protocol: m[1],
            state: m[2],
            srcAddress: m[4],
            srcPort: Number(m[5]),
            destAddress: m[6],
            destPort: Number(m[7])
        });
    }
    return rows;
}
/** Whether any TCP connection to `guestPort` is ESTABLISHED in the guest. */
function guestAcceptedFrom(rows, guestPort) {
    return rows.some(r => r.protocol === 'TCP' && r.state === 'ESTABLISHED' && r.destPort === guestPort);
}
/** Runs one HMP command on a monitor socket and returns its output (between the prompts). */
function hmpCommand(socketPath, command, timeoutMs = 2000) {
    return new Promise((resolve, reject) => {
        const sock = connect(socketPath);
        let buf = '';
        let sent = false;
        const timer = setTimeout(() => finish(new Error(`QEMU monitor ${socketPath} did not answer within ${timeoutMs} ms`)), timeoutMs);
        function finish(err, out) {
            clearTimeout(timer);
            sock.destroy();
            if (err)
                reject(err);
            else
                resolve(out ?? '');
        }
        sock.setEncoding('utf8');
        sock.on('error', err => finish(err));
        sock.on('data', (d) => {
            buf += d;
            if (!sent) {
                if (buf.includes('(qemu) ')) {
                    sent = true;
                    buf = '';
                    sock.write(`${command}\n`);
                }
                return;
            }
            const end = buf.lastIndexOf('(qemu) ');
            if (end >= 0)
                finish(null, buf.slice(0, end).replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''));
        });
    });
}

// `runner: kraft`: boots through `kraft run -d --rm` for people who want kraft's exact behaviour.
// The VM is kraft's, so the evidence comes from kraft's machine state directory
// (`<runtime>/<uid>/machine.log` = console, `qemu.log` = QEMU's output), copied as it grows because
// `kraft rm` (and `--rm`) deletes it; the end state comes from `kraft ps`. Everything else is the VM
// layer's, as for startVm: the input check, the host ports, the console capture (cap, marker), the
// banner line of the timeline.
/**
 * Starts a VM through kraft. Bad input is refused before anything runs, with startVm's errors
 * (ConfigurationError). Failures of kraft itself end the handle at once with reason 'qemu-error'.
 */
async function startKraftVm(spec, deps) {
    const { runner, logger, clock } = deps;
    const pollMs = deps.pollMs ?? 100;
    const t0 = clock.now();
    const since = () => Math.round(clock.now() - t0);
    checkRunShape(spec);
    const forwards = await allocateHostPorts(spec.ports);
    const ports = Object.fromEntries(forwards.map(f => [f.guest, f.host]));
    const name = spec.name ?? `ukc-${randomBytes(4).toString('hex')}`;
    const argv = kraftRunArgv({
        kraftPath: spec.kraftPath,
        target: spec.target,
        initrd: spec.initrd,
        cmd: spec.cmd,
        env: spec.env,
        memoryMiB: spec.memoryMiB,
        ports: forwards,
        accel: spec.accel,
        name,
        kernelArgs: spec.kernelArgs
    });
    await mkdir(spec.outDir, { recursive: true });
    const ownRuntime = !spec.runtimeDir;
    const runtimeDir = spec.runtimeDir ?? (await mkdtemp(join(tmpdir(), 'ukc-kr-')));
    const env = kraftEnv({ runtimeDir });
    const consolePath = join(spec.outDir, RUN_FILES.console);
    const qemuLogPath = join(spec.outDir, RUN_FILES.qemuStderr);
    const kraftLogPath = join(spec.outDir, RUN_FILES.kraftLog);
    await writeFile(qemuLogPath, '');
    await writeFile(kraftLogPath, '');
    const kraftLog = (text) => appendFile(kraftLogPath, text.endsWith('\n') ? text : text + '\n');
    /** A kraft command whose output goes to kraft.log; null when it could not run. */
    const runKraft = async (cmd, timeoutMs) => {
        try {
            const r = await runner.run(cmd, { env, timeoutMs });
            await kraftLog(`$ ${cmd.join(' ')}\n${r.stdout}${r.stderr}`);
            return r;
        }
        catch (err) {
            logger.debug(`kraft ${cmd[1]} failed: ${err.message}`);
            return null;
        }
    };
    const timeline = {
        spawnMs: null,
        firstOutputMs: null,
        bannerMs: null,
        readyMs: null,
        exitMs: null
    };
    const capture = new ConsoleCapture({ path: consolePath, cap: spec.consoleCap, now: since });
    capture.onLine(line => {
        if (timeline.bannerMs === null && isBannerLine(line.text, 'unikraft'))
            timeline.bannerMs = line.atMs;
    });
    let stateDir = null;
    let qemuPid = null;
    let qemuArgv = null;
    let ended = false;
    let endReason = null;
    let logOffset = 0;
    let resolveDone;
    const done = new Promise(r => (resolveDone = r));
    // One copy at a time: the poller and the end may both ask, and each must see the file's growth once.
    let pumping = Promise.resolve();
    const pumpConsole = () => (pumping = pumping
        .then(async () => {
        if (!stateDir)
            return;
        logOffset = await readGrowth(join(stateDir, MACHINE_FILES.console), logOffset, c => capture.push(c));
        timeline.firstOutputMs = capture.firstOutputMs;
        // kraft may not have written it (yet); the empty copy then stays.
        await copyFile(join(stateDir, MACHINE_FILES.qemuLog), qemuLogPath).catch(() => { });
    })
        .catch((err) => logger.debug(`reading kraft's machine log failed: ${err.message}`)));
    const ps = async () => {
        const r = await runKraft(kraftPsArgv(spec.kraftPath), 15_000);
        try {
            return r?.code === 0 ? (parseKraftPs(r.stdout).find(m => m.name === name) ?? null) : null;
        }
        catch (err) {
            logger.debug(`kraft ps: ${err.message}`);
            return null;
        }
    };
    let finishing = null;
    const finish = (reason, kill) => {
        if (finishing)
            return finishing;
        finishing = (async () => {
            clearInterval(poller);
            clearTimeout(deadline);
            if (kill && qemuPid !== null && alive(qemuPid)) {
                await runKraft(kraftStopArgv(spec.kraftPath, name), 2000);
                // kraft stop gave up or is slow: end the QEMU it started for us.
                await endProcess(qemuPid, clock);
            }
            timeline.exitMs = since();
            await pumpConsole();
            capture.finish();
            const machine = await ps();
            let finalReason = reason;
            if (reason === 'exited' && machine && (machine.state === 'failed' || machine.state === 'errored')) {
                finalReason = machine.state === 'failed' ? 'crashed' : 'qemu-error';
            }
            await runKraft(kraftRmArgv(spec.kraftPath, name), 15_000);
            if (ownRuntime)
                await rm(runtimeDir, { recursive: true, force: true });
            ended = true;
            endReason = finalReason;
            const { accel, reason: accelReason } = accelFrom(qemuArgv, spec.accel);
            const result = {
                reason: finalReason,
                qemuExit: null,
                qemuSignal: null,
                killedFromOutside: false,
                guestExit: null,
                debugExit: null,
                accel,
                accelReason,
                qemuVersion: spec.qemuVersion ?? null,
                qmpEvents: [],
                timeline: { ...timeline, firstOutputMs: capture.firstOutputMs },
                ports: { ...ports },
                consoleLog: consolePath,
                qemuStderrLog: qemuLogPath,
                consoleTruncated: capture.truncated,
                argv,
                networkProblem: null
            };
            resolveDone(result);
            return result;
        })();
        return finishing;
    };
    let poller;
    let deadline;
    logger.info(`$ ${argv.join(' ')}`);
    let started = false;
    try {
        const r = await runner.run(argv, { env, timeoutMs: 120_000 });
        await kraftLog(`$ ${argv.join(' ')}\n${r.stdout}${r.stderr}`);
        timeline.spawnMs = since();
        if (r.code !== 0) {
            await writeFile(qemuLogPath, r.stderr || r.stdout);
            logger.warning(`kraft run failed (exit ${r.code ?? r.signal}): ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
        }
        else
            started = true;
    }
    catch (err) {
        await writeFile(qemuLogPath, err.message);
        logger.warning(`kraft run could not start: ${err.message}`);
    }
    if (started) {
        const machine = await ps();
        stateDir = await findStateDir(runtimeDir, machine?.id ?? null);
        if (stateDir) {
            qemuPid = (await readPid(join(stateDir, MACHINE_FILES.pid))) ?? machine?.pid ?? null;
            if (qemuPid !== null)
                qemuArgv = await readQemuArgv(qemuPid);
        }
        else
            logger.warning(`kraft started '${name}' but its state directory was not found under ${runtimeDir}`);
    }
    if (!started || !stateDir || qemuPid === null) {
        timeline.exitMs = since();
        void finish('qemu-error', false);
    }
    else {
        let busy = false;
        poller = setInterval(() => {
            if (busy || finishing)
                return;
            busy = true;
            void (async () => {
                try {
                    await pumpConsole();
                    if (qemuPid !== null && !alive(qemuPid))
                        await finish('exited', false);
                    else if (capture.firstOutputMs === null &&
                        spec.bootTimeoutMs !== undefined &&
                        since() > spec.bootTimeoutMs) {
                        await finish('boot-timeout', true);
                    }
                }
                finally {
                    busy = false;
                }
            })();
        }, pollMs);
        deadline = setTimeout(() => void finish('deadline', true), Math.max(0, spec.timeoutMs - since()));
    }
    let monitorQueue = Promise.resolve();
    return {
        name,
        hostAddress: HOST_ADDRESS,
        ports,
        get stateDir() {
            return ended ? null : stateDir;
        },
        get qemuArgv() {
            return qemuArgv;
        },
        get ended() {
            return ended;
        },
        done,
        onConsoleLine: cb => capture.onLine(cb),
        consoleText: () => capture.text(),
        elapsedMs: since,
        guestAccepted(guestPort) {
            const sock = stateDir ? join(stateDir, MACHINE_FILES.monitor) : null;
            if (!sock || ended || finishing)
                return Promise.resolve(false);
            // One monitor client at a time (`server,nowait` takes a single connection).
            const next = monitorQueue.then(async () => {
                try {
                    return guestAcceptedFrom(parseUsernet(await hmpCommand(sock, 'info usernet')), guestPort);
                }
                catch (err) {
                    logger.debug(`info usernet failed: ${err.message}`);
                    return false;
                }
            });
            monitorQueue = next;
            return next;
        },
        markReady() {
            if (timeline.readyMs === null)
                timeline.readyMs = since();
        },
        stop(reason = 'killed') {
            return ended && endReason ? done : finish(reason, true);
        }
    };
}

// Starts the config's host services before the boot and stops them after it, keeping their logs.
const TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.txt': 'text/plain; charset=utf-8',
    '.json': 'application/json'
};
function httpServer(spec, log) {
    const root = resolve(spec.dir);
    return createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://host');
        let path = normalize(join(root, decodeURIComponent(url.pathname)));
        const done = (status) => {
            log.write(`${new Date().toISOString()} ${req.method} ${url.pathname} ${status}\n`);
        };
        if (req.method !== 'GET' && req.method !== 'HEAD') {
            res.writeHead(405).end();
            return done(405);
        }
        if (path !== root && !path.startsWith(root + sep)) {
            res.writeHead(403).end();
            return done(403);
        }
        void (async () => {
            try {
                if ((await stat(path)).isDirectory())
                    path = join(path, 'index.html');
                const st = await stat(path);
                const ext = path.slice(path.lastIndexOf('.'));
                res.writeHead(200, {
                    'content-type': TYPES[ext] ?? 'application/octet-stream',
                    'content-length': st.size
                });
                if (req.method === 'HEAD')
                    res.end();
                else
                    createReadStream(path).pipe(res);
                done(200);
            }
            catch {
                res.writeHead(404).end();
                done(404);
            }
        })();
    });
}
function accepts(port) {
    return new Promise(resolveAccept => {
        const s = connect({ host: '127.0.0.1', port });
        s.once('connect', () => {
            s.destroy();
            resolveAccept(true);
        });
        s.once('error', () => resolveAccept(false));
    });
}
async function startServices(specs, outDir, logger) {
    const servers = [];
    const children = [];
    const streams = [];
    const logs = [];
    const stop = async () => {
        for (const s of servers)
            await new Promise(r => s.close(() => r()));
        for (const c of children) {
            if (c.exitCode === null && c.signalCode === null && c.pid) {
                try {
                    process.kill(-c.pid, 'SIGTERM');
                }
                catch {
                    /* already gone */
                }
                const exited = await Promise.race([
                    new Promise(r => c.once('exit', r)),
                    new Promise(r => setTimeout(() => r(null), 1000))
                ]);
                if (exited === null) {
                    try {
                        process.kill(-c.pid, 'SIGKILL');
                    }
                    catch {
                        /* already gone */
                    }
                }
            }
        }
        await Promise.all(streams.map(s => new Promise(r => s.end(r))));
    };
    try {
        for (const [i, spec] of specs.entries()) {
            const name = serviceLogName(i);
            const log = createWriteStream(join(outDir, name));
            streams.push(log);
            logs.push(name);
            if (spec.kind === 'http') {
                const server = httpServer(spec, log);
                await new Promise((ok, fail) => {
                    server.once('error', fail);
                    server.listen(spec.port, '127.0.0.1', () => ok());
                }).catch(err => {
                    throw new InfrastructureError(`host service ${i + 1} cannot listen on 127.0.0.1:${spec.port}: ${err.message}`, 'free the port, or give the service another one');
                });
                servers.push(server);
                logger.info(`host service ${i + 1}: serving ${spec.dir} on 127.0.0.1:${spec.port} (10.0.2.2:${spec.port} in the guest)`);
            }
            else {
                if (await accepts(spec.port))
                    throw new InfrastructureError(`host service ${i + 1}: port ${spec.port} is already in use`, 'free the port, or give the service another one');
                const child = spawn(spec.argv[0], spec.argv.slice(1), {
                    detached: true,
                    stdio: ['ignore', 'pipe', 'pipe'],
                    shell: false
                });
                children.push(child);
                child.stdout?.pipe(log, { end: false });
                child.stderr?.pipe(log, { end: false });
                const failed = new Promise(r => child.once('error', r));
                const deadline = Date.now() + 10_000;
                for (;;) {
                    const err = await Promise.race([failed, new Promise(r => setTimeout(() => r(null), 100))]);
                    if (err)
                        throw new InfrastructureError(`host service ${i + 1} (${spec.argv[0]}) could not start: ${err.message}`);
                    if (child.exitCode !== null)
                        throw new InfrastructureError(`host service ${i + 1} (${spec.argv[0]}) exited with ${child.exitCode} before listening; see ${name}`);
                    if (await accepts(spec.port))
                        break;
                    if (Date.now() > deadline)
                        throw new InfrastructureError(`host service ${i + 1} (${spec.argv[0]}) did not listen on 127.0.0.1:${spec.port} within 10 s; see ${name}`);
                }
                logger.info(`host service ${i + 1}: ${spec.argv.join(' ')} listening on 127.0.0.1:${spec.port}`);
            }
        }
    }
    catch (err) {
        await stop();
        throw err;
    }
    return { logs, stop };
}

// One boot of the app on one guest (Unikraft, or the Linux baseline): start the VM, run the probes,
// stop it, read its evidence, diagnose, decide. Always returns what it saw, even when probes throw.
async function runOnGuest(input, deps, runStart) {
    const { options } = input;
    const launchAtMs = deps.clock.now() - runStart;
    // Host services listen before the guest boots, and stop after it (their logs stay in outDir).
    const services = options.services.length > 0 ? await startServices(options.services, input.outDir, deps.logger) : null;
    try {
        return await bootAndProbe(input, deps, launchAtMs);
    }
    finally {
        await services?.stop();
    }
}
async function bootAndProbe(input, deps, launchAtMs) {
    const { options } = input;
    const useKraft = options.runner === 'kraft' && input.guest === 'unikraft' && input.kraftPath;
    const vm = useKraft
        ? await startKraftVm({
            kraftPath: input.kraftPath,
            target: input.kernel,
            initrd: input.initrd,
            cmd: input.cmd,
            env: input.env,
            memoryMiB: options.memoryMiB,
            ports: input.ports,
            accel: options.accel,
            timeoutMs: options.timeoutMs,
            outDir: input.outDir
        }, { runner: deps.runner, logger: deps.logger, clock: deps.clock })
        : await startVm({
            guest: input.guest,
            kernel: input.kernel,
            initrd: input.initrd,
            cmd: input.cmd,
            env: input.env,
            cwd: input.workdir ?? undefined,
            memoryMiB: options.memoryMiB,
            ports: input.ports,
            network: options.services.length > 0,
            accel: options.accel,
            timeoutMs: options.timeoutMs,
            outDir: input.outDir,
            linuxModulesDir: input.linuxModulesDir ?? undefined,
            trace: input.trace
        }, {
            logger: deps.logger,
            runner: deps.runner,
            clock: deps.clock,
            cacheDir: deps.cacheDir,
            signal: deps.signal
        });
    deps.progress?.({
        phase: 'probes',
        state: 'start',
        message: `probing (${input.probes.map(p => p.target).join(', ') || 'waiting for the program to end'})`
    });
    let probes = [];
    let error = undefined;
    try {
        if (input.probes.length > 0) {
            probes = await runProbes(input.probes, vm, {
                deadlineMs: options.timeoutMs,
                clock: deps.clock,
                logger: deps.logger,
                runner: deps.runner,
                // Only the baseline's init reports every exit; Unikraft reports one only if its kernel prints it.
                guestReportsExit: input.guest === 'linux'
            });
        }
    }
    catch (err) {
        error = err;
    }
    finally {
        // Servers never exit by themselves: once the probes have their answer the VM is stopped. With
        // no probe, a run-to-completion program is waited for (the runner's deadline bounds the wait).
        if (!vm.ended && input.probes.length > 0)
            await vm.stop();
    }
    const result = await vm.done;
    if (result.killedFromOutside && error === undefined) {
        // Neither the guest nor this run ended it: QEMU was killed (OOM killer, a job timeout, a person).
        error = new InfrastructureError(`QEMU was ended by ${result.qemuSignal} from outside this check at ${result.timeline.exitMs ?? '?'} ms; the app was not judged`, 'Something on this machine killed QEMU: the kernel OOM killer (see `dmesg`), a job or runner timeout, or another process. Rerun; give the guest less memory if the OOM killer did it.');
    }
    if (result.networkProblem && error === undefined) {
        // The probes had no way to reach the app: whatever they saw says nothing about it.
        error = new InfrastructureError(`the Linux baseline guest had no network: ${result.networkProblem}`, 'This is a problem of the baseline kernel, not of the app: the log names the kernel package. ' +
            'Run with baseline: never to skip the baseline, or report it.');
    }
    const passed = probes.filter(p => p.passed).length;
    deps.progress?.({
        phase: 'probes',
        state: passed === input.probes.length && !error ? 'done' : 'failed',
        message: `${passed}/${input.probes.length} probe(s) passed, VM ${result.reason}`,
        elapsedMs: result.timeline.exitMs ?? undefined
    });
    const t0 = deps.clock.now();
    deps.progress?.({ phase: 'diagnose', state: 'start', message: 'reading the console log' });
    const consoleBytes = await readFile(result.consoleLog).catch(() => Buffer.alloc(0));
    const qemuStderr = await readFile(result.qemuStderrLog, 'utf8').catch(() => '');
    const findings = diagnose({
        console: consoleBytes,
        qemuStderr,
        qemuExit: result.qemuExit,
        qmpEvents: result.qmpEvents,
        preflight: input.preflight,
        probes: probes.map(p => ({
            kind: p.kind,
            target: p.target,
            passed: p.passed,
            inconclusive: p.inconclusive,
            evidence: p.evidence.note ?? p.evidence.received
        })),
        guest: input.guest,
        vmEnd: result.reason
    });
    const v = computeVerdict({ probes, findings, allow: options.allow, infraError: error });
    deps.progress?.({
        phase: 'diagnose',
        state: 'done',
        message: `${findings.filter(f => f.severity === 'error').length} error finding(s)`,
        elapsedMs: deps.clock.now() - t0
    });
    return {
        guest: input.guest,
        vm: result,
        probes,
        findings: v.findings,
        verdict: v.verdict,
        summary: v.summary,
        errorText: v.verdict === 'error' ? (v.errorText ?? v.summary) : null,
        launchAtMs,
        error
    };
}

// Kraftfile for a pinned Unikraft version: the ELF loader (app-elfloader) with unikraft, lwip and
// libelf at their RELEASE-x.y.z tags for qemu/x86_64, configured like the catalog's ELF-loader
// runtime (`unikraft.org/base`), plus the cache key that names the kernel it builds.
// One Kconfig table per Unikraft release step (0.16 to 0.20): 0.16 written out as the catalog had
// it, each later one as the renames and additions of its step, in place, so the lists stay in the
// catalog's order (the tests pin every list in full).
const ELFLOADER_TEMPLATE_SOURCE = 'https://github.com/unikraft/app-elfloader.git';
const LWIP_SOURCE = 'https://github.com/unikraft/lib-lwip.git';
const LIBELF_SOURCE = 'https://github.com/unikraft/lib-libelf.git';
/** The `name:` of the generated project; the build output is `.unikraft/build/<name>_qemu-x86_64`. */
const KRAFTFILE_APP_NAME = 'elfloader';
/*
 * The Kconfig options come from unikraft/catalog: library/base/Kraftfile (the ELF-loader runtime
 * behind unikraft.org/base), one commit per Unikraft release step. Every version of that file builds
 * against `staging`, never a release tag, so a release's table is the newest catalog commit (on main)
 * whose symbols all exist in that release; the commit after it follows a rename made for the next
 * release. Checked for 0.16 and 0.17 against the Config.uk files of unikraft RELEASE-0.16.3 and
 * RELEASE-0.17.0, app-elfloader RELEASE-0.16.3 and lib-lwip RELEASE-0.16.2 (the newest tags at
 * hand), for 0.18 to 0.20 against the release notes of the renames. A symbol a release does not
 * know is dropped by Kconfig, so a near miss costs a feature, not the build (I8042,
 * LIBPOSIX_NETLINK, LIBUKDEBUG_CRASH_SCREEN and UKPLAT_KSP_SIZE are in every catalog version but in
 * none of the releases checked).
 * Left out everywhere: the catalog's commented debug options, its fc/x86_64 target (only
 * qemu/x86_64 is built) and its rootfs/cmd (the app brings its own initrd).
 * Versions before 0.16 get the 0.16 table; versions after 0.20 get the newest (0.20) table.
 */
/** `table` with `key` replaced, in its place, by `entries` (a rename, or one option split in two). */
function replaced(table, key, entries) {
    const at = table.findIndex(([k]) => k === key);
    if (at < 0)
        throw new Error(`kraftfile: ${key} is not in the table it replaces`);
    return [...table.slice(0, at), ...entries, ...table.slice(at + 1)];
}
/** `table` with `entries` inserted right after `key`. */
function insertedAfter(table, key, entries) {
    const at = table.findIndex(([k]) => k === key);
    if (at < 0)
        throw new Error(`kraftfile: ${key} is not in the table it extends`);
    return [...table.slice(0, at + 1), ...entries, ...table.slice(at + 1)];
}
/*
 * 0.16.x: catalog d1648d22cad03d11cea918d2602532ffd9caaa80 (2024-07-22), the last one with
 * libukswrand (75f873b then renamed it to libukrandom for 0.17). Changed from the table used
 * before (catalog 0bfc2f5, 2024-01-18), which the catalog itself corrected: its APPELFLOADER_HFS_*
 * names exist in no app-elfloader release (RELEASE-0.16.2 shipped them as APPELFLOADER_AUTOGEN_*,
 * fcb330f), DHCP is on (2f8c58b), environment via kernel parameters (LIBPOSIX_ENVIRON_LIBPARAM,
 * LIBUKLIBPARAM), $PWD/$PATH lookup with the exec bit required (VFSEXEC_ENVPWD/ENVPATH/EXECBIT),
 * 9pfs (LIBUK9P) and LIBUKNETDEV with lwip's WAITIFACE. lwip's FAILNOIFACE, set at this commit, is
 * left out: the catalog removed it again (031ba3c) because it stops a boot without a network
 * interface. AUTOGEN needs app-elfloader 0.16.2 and ENVPWD/ENVPATH 0.16.3; older 0.16.x drop them.
 */
const KCONFIG_0_16 = [
    ['CONFIG_APPELFLOADER_ARCH_PRCTL', "'y'"],
    ['CONFIG_APPELFLOADER_BRK', "'y'"],
    ['CONFIG_APPELFLOADER_CUSTOMAPPNAME', "'y'"],
    ['CONFIG_APPELFLOADER_STACK_NBPAGES', '128'],
    ['CONFIG_APPELFLOADER_VFSEXEC', "'y'"],
    ['CONFIG_APPELFLOADER_VFSEXEC_EXECBIT', "'y'"],
    ['CONFIG_APPELFLOADER_VFSEXEC_ENVPWD', "'y'"],
    ['CONFIG_APPELFLOADER_VFSEXEC_ENVPATH', "'y'"],
    ['CONFIG_APPELFLOADER_AUTOGEN', "'y'"],
    ['CONFIG_APPELFLOADER_AUTOGEN_ETCRESOLVCONF', "'y'"],
    ['CONFIG_APPELFLOADER_AUTOGEN_ETCHOSTS', "'y'"],
    ['CONFIG_APPELFLOADER_AUTOGEN_ETCHOSTS_LOCALHOST4', "'y'"],
    ['CONFIG_APPELFLOADER_AUTOGEN_ETCHOSTNAME', "'y'"],
    ['CONFIG_APPELFLOADER_AUTOGEN_REPLACEEXIST', "'y'"],
    ['CONFIG_HAVE_PAGING_DIRECTMAP', "'y'"],
    ['CONFIG_HAVE_PAGING', "'y'"],
    ['CONFIG_I8042', "'y'"],
    ['CONFIG_LIBDEVFS_AUTOMOUNT', "'y'"],
    ['CONFIG_LIBDEVFS_DEV_NULL', "'y'"],
    ['CONFIG_LIBDEVFS_DEV_STDOUT', "'y'"],
    ['CONFIG_LIBDEVFS_DEV_ZERO', "'y'"],
    ['CONFIG_LIBDEVFS', "'y'"],
    ['CONFIG_LIBPOSIX_ENVIRON', "'y'"],
    ['CONFIG_LIBPOSIX_ENVIRON_ENVP0', '"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"'],
    ['CONFIG_LIBPOSIX_ENVIRON_ENVP1', '"LD_LIBRARY_PATH=/usr/local/lib:/usr/lib:/lib"'],
    ['CONFIG_LIBPOSIX_ENVIRON_ENVP2', '"HOME=/"'],
    ['CONFIG_LIBPOSIX_ENVIRON_ENVP3', '"PWD=/"'],
    ['CONFIG_LIBPOSIX_ENVIRON_LIBPARAM', "'y'"],
    ['CONFIG_LIBPOSIX_EVENTFD', "'y'"],
    ['CONFIG_LIBPOSIX_FDIO', "'y'"],
    ['CONFIG_LIBPOSIX_FDTAB', "'y'"],
    ['CONFIG_LIBPOSIX_FUTEX', "'y'"],
    ['CONFIG_LIBPOSIX_MMAP', "'y'"],
    ['CONFIG_LIBPOSIX_NETLINK', "'y'"],
    ['CONFIG_LIBPOSIX_PIPE', "'y'"],
    ['CONFIG_LIBPOSIX_POLL', "'y'"],
    ['CONFIG_LIBPOSIX_PROCESS_CLONE', "'y'"],
    ['CONFIG_LIBPOSIX_SOCKET', "'y'"],
    ['CONFIG_LIBPOSIX_SYSINFO', "'y'"],
    ['CONFIG_LIBPOSIX_TIME', "'y'"],
    ['CONFIG_LIBPOSIX_TIMERFD', "'y'"],
    ['CONFIG_LIBPOSIX_UNIXSOCKET', "'y'"],
    ['CONFIG_LIBPOSIX_USER_GID', '0'],
    ['CONFIG_LIBPOSIX_USER_GROUPNAME', '"root"'],
    ['CONFIG_LIBPOSIX_USER_UID', '0'],
    ['CONFIG_LIBPOSIX_USER_USERNAME', '"root"'],
    ['CONFIG_LIBPOSIX_USER', "'y'"],
    ['CONFIG_LIBRAMFS', "'y'"],
    ['CONFIG_LIBSYSCALL_SHIM_HANDLER_ULTLS', "'y'"],
    ['CONFIG_LIBSYSCALL_SHIM_HANDLER', "'y'"],
    ['CONFIG_LIBSYSCALL_SHIM_LEGACY_VERBOSE', "'y'"],
    ['CONFIG_LIBSYSCALL_SHIM', "'y'"],
    ['CONFIG_LIBUKALLOCPOOL', "'y'"],
    ['CONFIG_LIBUKBLKDEV_SYNC_IO_BLOCKED_WAITING', "'y'"],
    ['CONFIG_LIBUKBLKDEV', "'y'"],
    ['CONFIG_LIBUKBOOT_BANNER_MINIMAL', "'y'"],
    ['CONFIG_LIBUKBOOT_HEAP_BASE', "'0x400000000'"],
    ['CONFIG_LIBUKBOOT_MAINTHREAD', "'y'"],
    ['CONFIG_LIBUKBOOT_SHUTDOWNREQ_HANDLER', "'y'"],
    ['CONFIG_LIBUKLIBPARAM', "'y'"],
    ['CONFIG_LIBUKCPIO', "'y'"],
    ['CONFIG_LIBUKDEBUG_CRASH_SCREEN', "'y'"],
    ['CONFIG_LIBUKDEBUG_ENABLE_ASSERT', "'y'"],
    ['CONFIG_LIBUKDEBUG_PRINT_SRCNAME', "'n'"],
    ['CONFIG_LIBUKDEBUG_PRINT_TIME', "'y'"],
    ['CONFIG_LIBUKDEBUG_PRINTK_ERR', "'y'"],
    ['CONFIG_LIBUKDEBUG_PRINTK', "'y'"],
    ['CONFIG_LIBUKDEBUG', "'y'"],
    ['CONFIG_LIBUKFALLOC', "'y'"],
    ['CONFIG_LIBUKMPI', "'n'"],
    ['CONFIG_LIBUKSIGNAL', "'y'"],
    ['CONFIG_LIBUKSWRAND_DEVFS', "'y'"],
    ['CONFIG_LIBUKSWRAND', "'y'"],
    ['CONFIG_LIBUKVMEM_DEFAULT_BASE', "'0x0000001000000000'"],
    ['CONFIG_LIBUKVMEM_DEMAND_PAGE_IN_SIZE', '12'],
    ['CONFIG_LIBUKVMEM_PAGEFAULT_HANDLER_PRIO', '4'],
    ['CONFIG_LIBUKVMEM', "'y'"],
    ['CONFIG_LIBVFSCORE_AUTOMOUNT_CI_EINITRD', "'y'"],
    ['CONFIG_LIBVFSCORE_AUTOMOUNT_CI', "'y'"],
    ['CONFIG_LIBVFSCORE_AUTOMOUNT_FB', "'y'"],
    ['CONFIG_LIBVFSCORE_AUTOMOUNT_FB0_DEV', '"embedded"'],
    ['CONFIG_LIBVFSCORE_AUTOMOUNT_FB0_DRIVER', '"extract"'],
    ['CONFIG_LIBVFSCORE_AUTOMOUNT_FB0_MP', '"/"'],
    ['CONFIG_LIBVFSCORE_AUTOMOUNT_UP', "'y'"],
    ['CONFIG_LIBVFSCORE_AUTOMOUNT', "'y'"],
    ['CONFIG_LIBVFSCORE_NONLARGEFILE', "'y'"],
    ['CONFIG_LIBVFSCORE', "'y'"],
    ['CONFIG_LIBUK9P', "'y'"],
    ['CONFIG_OPTIMIZE_DEADELIM', "'y'"],
    ['CONFIG_OPTIMIZE_LTO', "'y'"],
    ['CONFIG_PAGING', "'y'"],
    ['CONFIG_STACK_SIZE_PAGE_ORDER', '4'],
    ['CONFIG_UKPLAT_KSP_SIZE', '32768'],
    ['CONFIG_UKPLAT_MEMREGION_MAX_COUNT', '64'],
    ['CONFIG_LIBUKNETDEV', "'y'"],
    ['CONFIG_LIBUKNETDEV_EINFO_LIBPARAM', "'y'"]
];
/*
 * 0.17.x: catalog 031ba3c0c8393405319f3b22ee5881a4ad139007 (2024-10-31), the last one before
 * LIBUKRANDOM_GETRANDOM (merged in b495d0b), which 0.17.0 does not have. From 0.16:
 * LIBUKSWRAND, LIBUKSWRAND_DEVFS -> LIBUKRANDOM, LIBUKRANDOM_DEVFS (catalog 7134ee7, merged 75f873b).
 */
const KCONFIG_0_17 = replaced(replaced(KCONFIG_0_16, 'CONFIG_LIBUKSWRAND_DEVFS', [['CONFIG_LIBUKRANDOM_DEVFS', "'y'"]]), 'CONFIG_LIBUKSWRAND', [['CONFIG_LIBUKRANDOM', "'y'"]]);
/*
 * 0.18.x: catalog 5ded6d41c2e2cdfe9b077dbc5534f9d50bb44bab (2024-12-19), the last one with
 * LIBPOSIX_PROCESS_CLONE. From 0.17: added LIBUKRANDOM_GETRANDOM (2b31b83, for the reworked
 * ukrandom of 0.18), LIBUKRANDOM_CMDLINE_SEED and LIBUKRANDOM_LCPU (5ded6d4).
 */
const KCONFIG_0_18 = insertedAfter(KCONFIG_0_17, 'CONFIG_LIBUKRANDOM', [
    ['CONFIG_LIBUKRANDOM_GETRANDOM', "'y'"],
    ['CONFIG_LIBUKRANDOM_CMDLINE_SEED', "'y'"],
    ['CONFIG_LIBUKRANDOM_LCPU', "'y'"]
]);
/*
 * 0.19.x: catalog aef870317cbdf5df1f5d95068bfc4ae3e7b05cd0 (2025-05-02), the last one with
 * APPELFLOADER_ARCH_PRCTL. From 0.18: 0.19 merged LIBPOSIX_PROCESS_PIDS and _CLONE into
 * LIBPOSIX_PROCESS_MULTITHREADING (c9a0402), which needs LIBPOSIX_PROCESS itself (aef8703).
 */
const KCONFIG_0_19 = replaced(KCONFIG_0_18, 'CONFIG_LIBPOSIX_PROCESS_CLONE', [
    ['CONFIG_LIBPOSIX_PROCESS', "'y'"],
    ['CONFIG_LIBPOSIX_PROCESS_MULTITHREADING', "'y'"]
]);
/*
 * 0.20.x and later: catalog f1029456bf568ccce1d43912c00825b4e9fcefce (2025-08-08), the newest
 * library/base/Kraftfile on main. From 0.19: arch_prctl moved from app-elfloader to posix-process,
 * APPELFLOADER_ARCH_PRCTL -> LIBPOSIX_PROCESS_ARCH_PRCTL. The new VFS of 0.20 (posix-vfs, ukfs) is
 * not used: the catalog keeps vfscore, which 0.20 still has (deprecated for 0.22).
 */
const KCONFIG_0_20 = replaced(KCONFIG_0_19, 'CONFIG_APPELFLOADER_ARCH_PRCTL', [
    ['CONFIG_LIBPOSIX_PROCESS_ARCH_PRCTL', "'y'"]
]);
/*
 * lwip's kconfig, the same at every step: catalog 031ba3c to f1029456 have exactly this list, and
 * d1648d2 (0.16) has it plus FAILNOIFACE, left out as said above. Before, 0.16 had DHCP off and no
 * WAITIFACE (catalog 0bfc2f5).
 */
const LWIP_KCONFIG = [
    ['CONFIG_LWIP_LOOPIF', "'y'"],
    ['CONFIG_LWIP_UKNETDEV', "'y'"],
    ['CONFIG_LWIP_LOOPBACK', "'y'"],
    ['CONFIG_LWIP_TCP', "'y'"],
    ['CONFIG_LWIP_UDP', "'y'"],
    ['CONFIG_LWIP_RAW', "'y'"],
    ['CONFIG_LWIP_WND_SCALE', "'y'"],
    ['CONFIG_LWIP_TCP_KEEPALIVE', "'y'"],
    ['CONFIG_LWIP_THREADS', "'y'"],
    ['CONFIG_LWIP_HEAP', "'y'"],
    ['CONFIG_LWIP_SOCKET', "'y'"],
    ['CONFIG_LWIP_AUTOIFACE', "'y'"],
    ['CONFIG_LWIP_IPV4', "'y'"],
    ['CONFIG_LWIP_DHCP', "'y'"],
    ['CONFIG_LWIP_WAITIFACE', "'y'"],
    ['CONFIG_LWIP_DNS', "'n'"],
    ['CONFIG_LWIP_NUM_TCPCON', '64'],
    ['CONFIG_LWIP_NUM_TCPLISTENERS', '64'],
    ['CONFIG_LWIP_ICMP', "'y'"]
];
/** `[first release, unikraft kconfig]`, oldest first. */
const RELEASE_STEPS = [
    ['0.16.0', KCONFIG_0_16],
    ['0.17.0', KCONFIG_0_17],
    ['0.18.0', KCONFIG_0_18],
    ['0.19.0', KCONFIG_0_19],
    ['0.20.0', KCONFIG_0_20]
];
/** The table of the last step `version` has reached; before the first step, the first table. */
function unikraftKconfig(version) {
    let table = RELEASE_STEPS[0][1];
    for (const [from, t] of RELEASE_STEPS)
        if (compareVersions(version, from) >= 0)
            table = t;
    return table;
}
function validate(o) {
    if (parseVersion(o.unikraftVersion) === null || !/^\d+\.\d+\.\d+$/.test(o.unikraftVersion)) {
        throw badInput('unikraft-version', "'latest' or a release like 0.18.0", o.unikraftVersion);
    }
    if (o.arch !== 'x86_64')
        throw badInput('arch', "'x86_64'", o.arch);
    if (o.plat !== 'qemu')
        throw badInput('plat', "'qemu'", o.plat);
}
function block(entries, indent) {
    return entries.map(([k, v]) => `${indent}${k}: ${v}\n`).join('');
}
/** The Kraftfile text (YAML, spec v0.6). Deterministic: the cache key hashes it. */
function generateKraftfile(o) {
    validate(o);
    const tag = `RELEASE-${o.unikraftVersion}`;
    return (`# Generated by unikraft-compat: the ELF loader at ${tag}, configured like unikraft/catalog's\n` +
        `# library/base (the unikraft.org/base runtime).\n` +
        `spec: v0.6\n\n` +
        `name: ${KRAFTFILE_APP_NAME}\n\n` +
        `template:\n  source: ${ELFLOADER_TEMPLATE_SOURCE}\n  version: ${tag}\n\n` +
        `unikraft:\n  version: ${tag}\n  kconfig:\n` +
        block(unikraftKconfig(o.unikraftVersion), '    ') +
        `\nlibraries:\n` +
        `  lwip:\n    source: ${LWIP_SOURCE}\n    version: ${tag}\n    kconfig:\n` +
        block(LWIP_KCONFIG, '      ') +
        `  libelf:\n    source: ${LIBELF_SOURCE}\n    version: ${tag}\n\n` +
        `targets:\n- ${o.plat}/${o.arch}\n`);
}
/** `unikraft-kernel-<version>-<arch>-<sha256 of the Kraftfile>`: a matrix builds each version once. */
function kernelCacheKey(unikraftVersion, arch, kraftfileText) {
    const digest = createHash('sha256').update(kraftfileText).digest('hex');
    return `unikraft-kernel-${unikraftVersion}-${arch}-${digest}`;
}

// The Unikraft kernel a check boots: the user's own image (`kernel:`), the ELF-loader runtime pulled
// with `kraft pkg pull` (`latest`), or a pinned release built from a generated Kraftfile with
// `kraft build`, kept across runs under a key of version + Kraftfile so a matrix builds it once.
const BASE_RUNTIME_IMAGE = 'unikraft.org/base:latest';
function kraftPullArgv(o) {
    return kraftArgv(o.kraftPath ?? 'kraft', ['pkg', 'pull'], ['--plat', o.plat ?? 'qemu', '--arch', o.arch ?? 'x86_64', '-w', o.dir, o.image ?? BASE_RUNTIME_IMAGE]);
}
/** Where `kraft pkg pull -w DIR` leaves the runtime's kernel. */
function pulledKernelPath(dir) {
    return join(dir, 'unikraft', 'bin', 'kernel');
}
function kraftBuildArgv(o) {
    return kraftArgv(o.kraftPath ?? 'kraft', ['build'], ['--plat', o.plat ?? 'qemu', '--arch', o.arch ?? 'x86_64', o.dir]);
}
/** Unikraft's build output: `.unikraft/build/<name>_<plat>-<arch>`. */
function builtKernelPath(dir, o = {}) {
    return join(dir, '.unikraft', 'build', `${o.name ?? KRAFTFILE_APP_NAME}_${o.plat ?? 'qemu'}-${o.arch ?? 'x86_64'}`);
}
const NETWORK_HINT = "kraft needs to reach unikraft.org and github.com; without them pass a prebuilt Unikraft image with --kernel (input 'kernel'), or check on the Linux baseline only with guest: linux";
async function isFile(path) {
    try {
        return (await stat(path)).isFile();
    }
    catch {
        return false;
    }
}
function tail(text, n = 15) {
    return text.trim().split('\n').slice(-n).join('\n');
}
async function runKraft(argv, what, cwd, logFile, deps, timeoutMs) {
    deps.logger.info(`$ ${argv.join(' ')}`);
    let r;
    try {
        r = await deps.runner.run(argv, {
            cwd,
            env: kraftEnv(),
            timeoutMs,
            signal: deps.signal,
            onStdoutLine: l => deps.logger.debug(l),
            onStderrLine: l => deps.logger.debug(l)
        });
    }
    catch (err) {
        throw new InfrastructureError(`${what} failed: ${err.message}`, NETWORK_HINT, { cause: err });
    }
    await writeFile(logFile, `$ ${argv.join(' ')}\n${r.stdout}${r.stderr ? `\n--- stderr ---\n${r.stderr}` : ''}`);
    throwIfInterrupted(deps.signal, what);
    if (r.code !== 0) {
        const how = r.timedOut
            ? `timed out after ${Math.round(timeoutMs / 1000)} s`
            : `exit ${r.code ?? r.signal}`;
        throw new InfrastructureError(`${what} failed (${how}):\n${tail(r.stderr || r.stdout) || '(no output)'}`, NETWORK_HINT);
    }
    return r;
}
async function ensureUnikraftKernel(req, deps) {
    if (req.kernel) {
        // Named before anything is built: an ARM image, a program or a truncated file is the input's fault.
        const image = await inspectKernelImage(req.kernel, 'kernel');
        deps.logger.info(`Unikraft kernel: ${req.kernel} (given; ${image.format} ${image.container}, ${image.bytes} bytes)`);
        return { path: req.kernel, source: 'given', cacheKey: null, persist: null, logFile: null };
    }
    if (req.arch !== 'x86_64')
        throw badInput('arch', "'x86_64'", req.arch);
    await mkdir(req.workDir, { recursive: true });
    if (req.unikraftVersion === 'latest') {
        const dir = join(req.workDir, 'base-latest');
        await mkdir(dir, { recursive: true });
        const logFile = join(req.workDir, 'kraft-pull.log');
        await runKraft(kraftPullArgv({ dir, kraftPath: req.kraftPath, arch: req.arch }), `kraft pkg pull ${BASE_RUNTIME_IMAGE}`, dir, logFile, deps, deps.pullTimeoutMs ?? 10 * 60_000);
        const path = pulledKernelPath(dir);
        if (!(await isFile(path))) {
            throw new InfrastructureError(`kraft pkg pull ${BASE_RUNTIME_IMAGE} succeeded but left no kernel at ${path}`, NETWORK_HINT);
        }
        deps.logger.info(`Unikraft kernel: ${path} (pulled ${BASE_RUNTIME_IMAGE})`);
        return { path, source: 'pulled', cacheKey: null, persist: null, logFile };
    }
    const text = generateKraftfile({ unikraftVersion: req.unikraftVersion, arch: req.arch, plat: 'qemu' });
    const key = kernelCacheKey(req.unikraftVersion, req.arch, text);
    const cacheDir = join(req.workDir, 'kernels', key);
    const cached = join(cacheDir, 'kernel');
    if (deps.persistentCache) {
        const hit = await deps.persistentCache.restore([cacheDir], key);
        if (hit && (await isFile(cached))) {
            deps.logger.info(`Unikraft kernel: ${cached} (Unikraft ${req.unikraftVersion} from the cache, key ${key})`);
            return { path: cached, source: 'persistent-cache', cacheKey: key, persist: null, logFile: null };
        }
    }
    const project = join(req.workDir, `unikraft-${req.unikraftVersion}-${req.arch}`);
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'Kraftfile'), text);
    const logFile = join(req.workDir, 'kraft-build.log');
    await runKraft(kraftBuildArgv({ dir: project, kraftPath: req.kraftPath, arch: req.arch }), `kraft build of Unikraft ${req.unikraftVersion}`, project, logFile, deps, deps.buildTimeoutMs ?? 45 * 60_000);
    const built = builtKernelPath(project, { arch: req.arch });
    if (!(await isFile(built))) {
        throw new InfrastructureError(`kraft build succeeded but left no kernel at ${built}`, NETWORK_HINT);
    }
    await mkdir(cacheDir, { recursive: true });
    await copyFile(built, cached);
    deps.logger.info(`Unikraft kernel: ${cached} (built Unikraft ${req.unikraftVersion}, cache key ${key})`);
    return {
        path: cached,
        source: 'built',
        cacheKey: key,
        persist: deps.persistentCache ? { paths: [cacheDir], key } : null,
        logFile
    };
}

// Debian packages a `binary:` root filesystem is taken from (config key `packages`): installed
// with apt when missing, so a fresh machine can run an example built from its own binaries.
async function missingPackages(packages, deps) {
    const missing = [];
    for (const p of packages) {
        const r = await deps.runner.run(['dpkg-query', '-W', '-f=${Status}', p]).catch(() => null);
        if (!r || r.code !== 0 || !r.stdout.includes('install ok installed'))
            missing.push(p);
    }
    return missing;
}
/** Installs the missing ones (`installMissing`), else an error saying who needs them (`neededBy`). */
async function ensureHostPackages(packages, deps, neededBy = 'the root filesystem') {
    const missing = await missingPackages(packages, deps);
    if (missing.length === 0)
        return;
    if (!deps.installMissing) {
        throw new InfrastructureError(`${neededBy} needs the Debian packages ${missing.join(', ')}, which are not installed`, `apt-get install ${missing.join(' ')}`);
    }
    const p = await detectPrivileges(deps.runner);
    if (!p.isRoot && !p.hasSudo) {
        throw new InfrastructureError(`the Debian packages ${missing.join(', ')} are needed and this user cannot install them`, `run as root, or: sudo apt-get install ${missing.join(' ')}`);
    }
    deps.logger.info(`Installing ${missing.join(', ')} with apt`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    for (const argv of [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]
    ]) {
        const r = await deps.runner.run(privileged(argv, p), { env, timeoutMs: 15 * 60_000, signal: deps.signal });
        // Ended by a signal: the check stops here, it is no failed install.
        throwIfInterrupted(deps.signal, 'the package install');
        if (r.code !== 0) {
            throw new InfrastructureError(`'${argv.join(' ')}' failed (exit ${r.code ?? r.signal}): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`, 'check that the Debian archive is reachable');
        }
    }
}

// Step 1 of a check: QEMU, and the kernel for the guest. The kernel comes from `kernel`, else from
// the kernel store (a pinned version, verified before every boot), else from KraftKit. When none can
// be had, the CLI falls back to the Linux baseline for the default version and says so; a version
// asked for by name, and the action, never answer with Linux instead.
const NO_KERNEL_HINT = 'give a prebuilt Unikraft image with the `kernel` input (--kernel PATH; skips KraftKit), a kernel store holding the version (`kernel-store`), run where github.com and unikraft.org are reachable, or check with `guest: linux` only';
async function prepareGuest(options, deps, facts) {
    const qemu = await ensureQemu({
        runner: deps.runner,
        logger: deps.logger,
        versionCacheFile: join(deps.cacheDir, 'qemu-version.json')
    }, { install: deps.installMissing });
    if (!qemu.ok) {
        throw new InfrastructureError(qemu.problem ?? 'QEMU is not usable', 'install it: apt-get install qemu-system-x86 (or run `unikraft-compat setup`)');
    }
    facts.qemuVersion = qemu.version;
    if (qemu.path && qemu.version)
        rememberQemuVersion(qemu.path, qemu.version);
    if (options.packages.length > 0)
        await ensureHostPackages(options.packages, deps);
    if (options.guest === 'linux') {
        if (options.runner === 'kraft')
            deps.logger.info('runner: kraft runs Unikraft images only; the Linux baseline runs under QEMU directly');
        return linuxGuest(deps, null);
    }
    const installKraft = () => installKraftFor(options, deps, facts);
    const stored = !options.kernel && options.kernelStore
        ? findStoredKernel(options.kernelStore, options.unikraftVersion)
        : null;
    if (stored && options.kernelStore) {
        // Verified before every boot; a damaged or tampered file is an error, never a fallback.
        const kernel = await verifiedKernelPath(options.kernelStore, stored);
        deps.logger.info(`Unikraft kernel: ${kernel} (Unikraft ${stored.version}, ${stored.variant}, from the kernel store; sha256 verified)`);
        return unikraft(kernel, options.runner === 'kraft' ? await installKraft() : null);
    }
    try {
        return await kraftGuest(options, deps, facts, installKraft);
    }
    catch (err) {
        // Only a kernel KraftKit could not get may fall back; a given or stored kernel's problem is the check's.
        if (!(err instanceof InfrastructureError) || options.kernel)
            throw err;
        return fallBack(err, options, deps);
    }
}
async function installKraftFor(options, deps, facts) {
    const kk = await installKraftkit({ version: options.kraftkitVersion, arch: options.arch }, {
        download: deps.download,
        toolCache: deps.toolCache,
        logger: deps.logger,
        runner: deps.runner,
        persistentCache: deps.persistentCache
    });
    if (kk.persist)
        facts.persist.push(kk.persist);
    facts.kraftkitVersion = kk.version;
    return kk.path;
}
/** A given kernel (checked), or one KraftKit pulls or builds. */
async function kraftGuest(options, deps, facts, installKraft) {
    const kraftPath = options.kernel ? null : await installKraft();
    const k = await ensureUnikraftKernel({
        kernel: options.kernel,
        unikraftVersion: options.unikraftVersion,
        arch: options.arch,
        kraftPath: kraftPath ?? '',
        workDir: join(deps.cacheDir, 'unikraft')
    }, { runner: deps.runner, logger: deps.logger, persistentCache: deps.persistentCache, signal: deps.signal });
    if (k.persist)
        facts.persist.push(k.persist);
    return unikraft(k.path, kraftPath ?? (options.runner === 'kraft' ? await installKraft() : null));
}
function unikraft(kernel, kraftPath) {
    return { guest: 'unikraft', kernel, linuxModulesDir: null, fallbackNote: null, kraftPath };
}
/** No Unikraft kernel could be had (no `kernel` given): an error naming the ways out, or the CLI's Linux fallback. */
async function fallBack(err, options, deps) {
    const why = err.message.split('\n')[0];
    if (deps.kernelFallback !== 'linux' || options.unikraftVersionGiven) {
        // A release asked for by name is the point of the check: never answered by Linux instead.
        const stored = [...new Set(options.kernelStore?.kernels.map(k => k.version) ?? [])];
        const where = stored.length > 0
            ? `the kernel store has ${stored.join(', ')}; `
            : options.kernelStore
                ? ''
                : 'no kernel store holds it (see docs/setup.md, "Kernel stores"); ';
        throw new InfrastructureError(`Unikraft ${options.unikraftVersion} could not be had: ${why}`, where + NO_KERNEL_HINT, {
            cause: err
        });
    }
    deps.logger.warning(`No Unikraft kernel could be had (${why}). Running on the Linux baseline instead: pass --kernel PATH (a Unikraft ELF-loader image) to check on Unikraft.`);
    return linuxGuest(deps, {
        id: 'setup.unikraft-unavailable',
        severity: 'warning',
        line: null,
        evidence: why,
        detail: options.unikraftVersion,
        hint: hintFor('setup.unikraft-unavailable', null),
        source: 'setup'
    });
}
/** The Linux baseline's kernel (downloaded once into the cache) as the guest. */
async function linuxGuest(deps, fallbackNote) {
    const linux = await ensureLinuxKernel(join(deps.cacheDir, 'linux'), {
        runner: deps.runner,
        logger: deps.logger
    });
    return {
        guest: 'linux',
        kernel: linux.kernel,
        linuxModulesDir: linux.modulesDir,
        fallbackNote,
        kraftPath: null
    };
}

// Step 3 of a check: boot the app on its guest and probe it; then, when the policy asks, rerun it
// on the Linux baseline with the same root filesystem and command to tell Unikraft gaps from
// broken apps.
/** The baseline runs for a Unikraft run with a root filesystem: always, or (auto) when it did not pass. */
function wantsBaseline(mode, guest, hasRootfs, main) {
    return (guest === 'unikraft' && hasRootfs && (mode === 'always' || (mode === 'auto' && main.verdict !== 'pass')));
}
/**
 * One run of the check's root filesystem and command as a phase: `place` says on what (resolved
 * inside the phase: a kernel download is part of it). A signal after it stops the check there,
 * keeping what the run saw.
 */
async function runPhase(c, phase, place) {
    const { input, options, deps } = c;
    const run = await c.phase(phase.name, phase.message, async () => {
        const p = await place();
        await mkdir(p.outDir, { recursive: true });
        return runOnGuest({
            ...p,
            initrd: input.initrd,
            ...input.command,
            ports: [...options.ports],
            probes: probesFor(options, p.guest),
            preflight: input.preflightFindings,
            options
        }, deps, c.runStart);
    });
    throwIfInterrupted(deps.signal, phase.interrupted);
    return run.value;
}
/** The run on the chosen guest. */
function bootMain(c) {
    const { prepared } = c;
    const where = prepared.guest === 'linux' ? 'the Linux baseline' : 'Unikraft';
    // Interrupted while booting or probing: what the run saw is kept, no baseline is started.
    return runPhase(c, { name: 'boot', message: `Booting on ${where}`, interrupted: 'the run on the guest' }, async () => ({
        guest: prepared.guest,
        kernel: prepared.kernel,
        linuxModulesDir: prepared.linuxModulesDir,
        outDir: c.outDir,
        kraftPath: prepared.kraftPath
    }));
}
/**
 * The same root filesystem and command on the Linux baseline (its evidence in `baseline/`); with
 * `trace`, under strace, its trace in `baseline/strace.log`.
 */
function bootBaseline(c, trace = false) {
    const { deps } = c;
    const message = trace ? 'Rerunning on the Linux baseline under strace' : 'Rerunning on the Linux baseline';
    return runPhase(c, { name: 'baseline', message, interrupted: 'the Linux baseline run' }, async () => {
        const { guest, kernel, linuxModulesDir } = await linuxGuest(deps, null);
        return { guest, kernel, linuxModulesDir, outDir: join(c.outDir, RUN_FILES.baselineDir), trace };
    });
}

// The `binary:PATH` source: a tree holding the program, its interpreter and its library closure
// (symlinks kept as symlinks), plus extra files given as SRC:DEST: the catalog's hand-written
// "copy the binary, each .so, and ld-linux" Dockerfile, done for the user.
const EXTRA_FORM = "'SRC:DEST' with DEST an absolute path in the guest (e.g. 'redis.conf:/etc/redis/redis.conf', or 'conf/:/etc/app/')";
/** 'SRC:DEST' -> paths; SRC relative to appDir; DEST ending in '/' takes SRC's name. */
function parseExtra(spec, appDir) {
    const i = spec.lastIndexOf(':');
    if (i <= 0 || i === spec.length - 1)
        throw new ConfigurationError('files', `Input 'files' must be ${EXTRA_FORM}, got '${spec}'`);
    const src = resolve(appDir, spec.slice(0, i));
    let dest = spec.slice(i + 1);
    if (!dest.startsWith('/'))
        throw new ConfigurationError('files', `Input 'files' must be ${EXTRA_FORM}, got '${spec}' (DEST is not absolute)`);
    if (dest.endsWith('/'))
        dest += basename(src);
    dest = toGuestPath(dest);
    if (dest === '/')
        throw new ConfigurationError('files', `Input 'files' must be ${EXTRA_FORM}, got '${spec}' (DEST is the root)`);
    if (dest.split('/').includes('..'))
        throw new ConfigurationError('files', `Input 'files' must be ${EXTRA_FORM}, got '${spec}' (DEST has '..')`);
    return { src, dest, within: appDir };
}
/**
 * SRC, resolved through every symlink, must lie inside the app directory: the root filesystem's
 * files end up in the uploaded artifacts, so `../../etc/shadow` (or a link to it) must not get in.
 */
function checkInside(extra) {
    if (!extra.within)
        return;
    const base = realpathSync(extra.within);
    const real = realpathSync(extra.src);
    const rel = relative(base, real);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel)))
        return;
    throw new ConfigurationError('files', `Input 'files' must name files inside the app directory ${extra.within}, got '${extra.src}'` +
        (real !== extra.src ? ` (a link to ${real})` : '') +
        ': copy the file into the app directory');
}
/**
 * The real directory (guest path) a new entry at `dest` goes into: existing components are
 * resolved inside the tree (so '/lib/x' lands in usr/lib when /lib -> usr/lib), missing ones made.
 */
function parentForWrite(root, dest) {
    const parts = dest.split('/').filter(Boolean).slice(0, -1);
    let real = '/';
    for (const c of parts) {
        const cand = real === '/' ? `/${c}` : `${real}/${c}`;
        const r = new TreeView(root).resolve(cand);
        if (!r) {
            mkdirSync(join(root, cand), { mode: 0o755 });
            real = cand;
        }
        else if (!r.stats.isDirectory()) {
            throw new ConfigurationError('files', `cannot put '${dest}' in the root filesystem: '${cand}' is not a directory there`);
        }
        else
            real = r.path;
    }
    return real;
}
/** Copies one extra (file, symlink target followed, or a directory with its symlinks kept) into the tree. */
async function addExtra(writer, root, extra) {
    let st;
    try {
        st = statSync(extra.src);
    }
    catch {
        throw new ConfigurationError('files', `Input 'files' names '${extra.src}' (for '${extra.dest}'), which does not exist`);
    }
    checkInside(extra);
    const parent = parentForWrite(root, extra.dest);
    const destRel = `${parent === '/' ? '' : parent.slice(1) + '/'}${basename(extra.dest)}`;
    if (st.isFile()) {
        await writer.file(destRel, st.mode, createReadStream(extra.src));
        return;
    }
    if (!st.isDirectory())
        throw new ConfigurationError('files', `Input 'files' names '${extra.src}', which is neither a file nor a directory`);
    await writer.dir(destRel, st.mode);
    for (const w of walkTree(extra.src)) {
        const rel = `${destRel}/${w.rel}`;
        if (w.st.isDirectory())
            await writer.dir(rel, w.st.mode);
        else if (w.st.isSymbolicLink())
            await writer.symlink(rel, await readlink(w.abs));
        else if (w.st.isFile())
            await writer.file(rel, w.st.mode, createReadStream(w.abs));
    }
}
/** Builds the tree for `binary:PATH` in `destDir` (which must be new or empty). */
async function buildBinaryTree(programPath, destDir, opts = {}) {
    const sysroot = opts.sysroot ?? '/';
    const closure = resolveClosure(programPath, { sysroot, ldLibraryPath: opts.ldLibraryPath });
    const writer = new TreeWriter(destDir, { what: `binary:${programPath}` });
    await writer.init();
    const host = (guest) => join(sysroot, guest);
    for (const f of closure.files) {
        const rel = f.path.slice(1);
        if (f.type === 'symlink')
            await writer.symlink(rel, f.target);
        else {
            const st = lstatSync(host(f.path));
            await writer.file(rel, st.mode, createReadStream(host(f.path)));
        }
    }
    if (closure.needsLdSoCache) {
        // A library came from an ld.so.conf-only directory: the guest's ld.so finds it through the cache.
        const cache = new TreeView(sysroot).resolve('/etc/ld.so.cache');
        if (cache?.stats.isFile())
            await writer.file('etc/ld.so.cache', 0o644, createReadStream(host(cache.path)));
    }
    for (const e of opts.extra ?? [])
        await addExtra(writer, destDir, e);
    await writer.finish();
    return closure;
}

// The docker command lines of a Dockerfile root filesystem build, as data (argv arrays, never a
// shell line): the build to a tarball, the same build to a tagged image, inspect and untag.
const DEFAULT_DOCKER = '/usr/bin/docker';
/**
 * `docker build` with plain progress (a readable log, parsed on failure). Needs DOCKER_BUILDKIT=1
 * in the environment (see DOCKER_BUILD_ENV): the legacy builder ignores `-o`, exits 0 and writes nothing.
 */
function dockerBuildArgv(spec, output) {
    const argv = [spec.docker, 'build', '--progress=plain', '-f', spec.dockerfile];
    if (spec.target)
        argv.push('--target', spec.target);
    for (const [key, value] of Object.entries(spec.buildArgs ?? {}))
        argv.push('--build-arg', `${key}=${value}`);
    if ('tar' in output)
        argv.push('-o', `type=tar,${csvField(`dest=${output.tar}`)}`);
    else
        argv.push('-t', output.tag);
    argv.push(spec.context);
    return argv;
}
const DOCKER_BUILD_ENV = { DOCKER_BUILDKIT: '1' };
function dockerInspectArgv(docker, image) {
    return [docker, 'image', 'inspect', image];
}
/** Removes the tag only; the build cache keeps the layers, so the next build stays cheap. */
function dockerUntagArgv(docker, image) {
    return [docker, 'image', 'rm', image];
}
/** `-o` is parsed as one CSV record: a path with a comma or a quote must be a quoted field. */
function csvField(field) {
    return /[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

// Reads a Dockerfile just enough to point at its lines: parser directives (`# syntax=`), stages,
// and each instruction with the lines it spans, so a failing BuildKit step maps back to a line.
// Not a full Dockerfile parser: Docker's own frontend does the real parsing during the build.
function parseDockerfileText(text) {
    const lines = text.split(/\r?\n/);
    const directives = [];
    // Directives are `# key=value` comments at the very top; anything else ends them.
    let first = 0;
    for (; first < lines.length; first++) {
        const m = /^#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$/.exec(lines[first]);
        if (!m)
            break;
        directives.push({ name: m[1].toLowerCase(), value: m[2], line: first + 1 });
    }
    const escape = directives.find(d => d.name === 'escape')?.value === '`' ? '`' : '\\';
    const instructions = [];
    const stages = [];
    let current = null;
    for (let i = first; i < lines.length; i++) {
        const trimmed = lines[i].trim();
        // Comment and empty lines are skipped, also inside a continuation (Docker does the same).
        if (trimmed.startsWith('#') || trimmed === '')
            continue;
        const continues = trimmed.endsWith(escape);
        const part = continues ? trimmed.slice(0, -1) : trimmed;
        if (current === null)
            current = { line: i + 1, endLine: i + 1, text: part };
        else {
            current.text += ` ${part}`;
            current.endLine = i + 1;
        }
        if (continues && i < lines.length - 1)
            continue;
        const m = /^(\S+)\s*([\s\S]*?)\s*$/.exec(current.text);
        if (m) {
            const keyword = m[1].toUpperCase();
            if (keyword === 'FROM')
                stages.push(stageOf(m[2], stages.length, current.line));
            instructions.push({
                keyword,
                args: m[2],
                line: current.line,
                endLine: current.endLine,
                stage: stages.length - 1
            });
        }
        current = null;
    }
    return { directives, instructions, stages };
}
function stageOf(args, index, line) {
    const words = args.split(/\s+/).filter(w => !w.startsWith('--'));
    const as = words.findIndex(w => w.toLowerCase() === 'as');
    return {
        index,
        name: as >= 0 && words[as + 1] ? words[as + 1].toLowerCase() : null,
        base: words[0] ?? '',
        line
    };
}
/** The stage BuildKit calls `name` (a step's `[build 3/4]`), by `AS` name or its `stage-N` form. */
function findStage(parsed, name) {
    const lower = name.toLowerCase();
    const byName = parsed.stages.find(s => s.name === lower);
    if (byName)
        return byName;
    const m = /^stage-(\d+)$/.exec(lower);
    return m ? parsed.stages[Number(m[1])] : undefined;
}
/**
 * The instruction a BuildKit step name describes, e.g. `RUN make -C src` or
 * `FROM docker.io/library/debian:bookworm-slim`, searched in `stage` when known. Whitespace is
 * compared collapsed: BuildKit joins continuation lines keeping their indentation.
 */
function findInstruction(parsed, stepText, stage) {
    const candidates = parsed.instructions.filter(ins => stage === undefined || ins.stage === stage.index);
    const step = collapse(stepText);
    const keyword = step.split(' ')[0].toUpperCase();
    const rest = step.slice(keyword.length).trim();
    if (keyword === 'FROM') {
        const wanted = imageKey(rest.split(' ')[0]);
        return candidates.find(ins => ins.keyword === 'FROM' && imageKey(ins.args.split(/\s+/)[0]) === wanted);
    }
    const same = candidates.filter(ins => ins.keyword === keyword && collapse(ins.args) === rest);
    if (same.length > 0)
        return same[same.length === 1 ? 0 : same.length - 1];
    // BuildKit may shorten or expand a step's text; a unique prefix match is still a safe pointer.
    const prefix = rest.slice(0, 40);
    const loose = candidates.filter(ins => ins.keyword === keyword && collapse(ins.args).startsWith(prefix));
    return loose.length === 1 ? loose[0] : undefined;
}
/** The FROM line that names `image` (as BuildKit prints it: `docker.io/library/debian:bookworm-slim`). */
function findFromLine(parsed, image) {
    const wanted = imageKey(image);
    return parsed.stages.find(s => imageKey(s.base) === wanted);
}
function collapse(s) {
    return s.replace(/\s+/g, ' ').trim();
}
/** `debian:bookworm-slim`, `docker.io/library/debian:bookworm-slim` and `library/debian:bookworm-slim` alike. */
function imageKey(ref) {
    let r = ref.trim().toLowerCase();
    r = r
        .replace(/^docker\.io\//, '')
        .replace(/^index\.docker\.io\//, '')
        .replace(/^library\//, '');
    if (!/[:@]/.test(r.split('/').pop() ?? ''))
        r += ':latest';
    return r;
}

// The errors a Dockerfile root filesystem build throws: the user's (DockerBuildError: the Dockerfile
// or its context does not build) or the machine's (DockerInfrastructureError: engine down, no
// BuildKit, registry unreachable, disk full), each naming the Dockerfile line when there is one.
// buildError words what docker-build-failure.ts read from Docker's output as one of them.
/** The Dockerfile (or its context) does not build: the user's to fix. */
class DockerBuildError extends ConfigurationError {
    location;
    lastLines;
    logPath;
    name = 'DockerBuildError';
    constructor(message, location, lastLines, logPath) {
        super('rootfs', message);
        this.location = location;
        this.lastLines = lastLines;
        this.logPath = logPath;
    }
}
/** Docker could not build at all here (engine down, no BuildKit, registry unreachable, disk full). */
class DockerInfrastructureError extends InfrastructureError {
    location;
    lastLines;
    logPath;
    name = 'DockerInfrastructureError';
    constructor(message, hint, location, lastLines, logPath) {
        super(message, hint);
        this.location = location;
        this.lastLines = lastLines;
        this.logPath = logPath;
    }
}
const START_DOCKER_HINT = 'Start the Docker engine (this project: .ci/start-dockerd.sh; with systemd: sudo systemctl start docker) ' +
    'and make sure this user can reach /var/run/docker.sock.';
/** The error for a failed `docker build`, from what its output says (analyzeBuildFailure). */
function buildError(opts, failure) {
    const location = failure.line !== null ? { file: opts.dockerfile, line: failure.line } : null;
    const at = location ? `${location.file}:${location.line}` : opts.dockerfile;
    const what = failure.instruction ? ` (${shorten(failure.instruction, 100)})` : '';
    const evidence = failure.lines.map(l => `  ${l}`).join('\n');
    const tail = `${evidence ? `\n${evidence}` : ''}\nFull build log: ${opts.logPath}`;
    const infra = (message, hint) => new DockerInfrastructureError(message + tail, hint, location, failure.lines, opts.logPath);
    switch (failure.kind) {
        case 'daemon':
            return infra('The Docker engine is not answering, so the root filesystem cannot be built', START_DOCKER_HINT);
        case 'client':
            return infra(`The docker client '${opts.docker ?? DEFAULT_DOCKER}' cannot write a BuildKit tarball (docker build -o)`, 'Use a client with BuildKit outputs: /usr/bin/docker from Debian’s docker.io, or install the buildx plugin.');
        case 'disk':
            return infra('Docker ran out of disk space during the build', 'Free disk space (docker builder prune, docker image prune).');
        case 'frontend':
            return infra(`The '# syntax=' line at ${at} makes BuildKit fetch a frontend image, and the registry is unreachable`, 'Remove the # syntax= line (Docker’s built-in frontend builds the Dockerfile unless it needs newer ' +
                'syntax), or run where the registry is reachable.');
        case 'registry':
            return infra(`Docker could not fetch the base image at ${at}${what}: the registry is unreachable`, 'Provide the image locally under the same name (docker load, or docker import like .ci/base-image.sh ' +
                'does for debian:bookworm-slim), or run where the registry is reachable.');
        case 'target':
            return new ConfigurationError('target', `Input 'target' names a stage that ${opts.dockerfile} does not define${tail}`);
        case 'dockerfile':
            return new DockerBuildError(`docker build failed at ${at}${what}:${tail}`, location, failure.lines, opts.logPath);
    }
}
function shorten(s, max) {
    const one = s.replace(/\s+/g, ' ');
    return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}

// Reads a failed `docker build --progress=plain` output: whose fault it is (the Dockerfile's, or the
// machine's: daemon down, client without BuildKit outputs, registry unreachable, disk full), which
// Dockerfile line failed, and the few lines of Docker's output that say why.
// Handles both the plain progress of Debian's Docker 20.10 (no `Dockerfile:N` excerpt: the line is
// found from the failing step's text) and of current buildx (`Dockerfile:N` followed by `>>>` lines).
const MAX_LINE_CHARS = 400;
const DAEMON = /cannot connect to the docker daemon|is the docker daemon running|failed to dial grpc|error during connect|permission denied while trying to connect to the docker daemon/i;
const CLIENT = /buildx component is missing|unknown flag: --output|unknown shorthand flag: 'o'|"--output" requires|the --output option requires buildkit/i;
const NETWORK = /dial tcp|no such host|i\/o timeout|tls handshake timeout|connection refused|network is unreachable|server misbehaving|temporary failure in name resolution/i;
const DISK = /no space left on device/i;
/** The engine went away mid-build (stopped, restarted, its socket cut): gRPC's words for it. */
const LOST = /error reading from server: EOF|rpc error: code = Unavailable|transport is closing/i;
/**
 * The connection to the engine broke while no step had failed: the client's last word is then a bare
 * `unexpected EOF` (docker.io 20.10 with BuildKit) or a gRPC "unavailable".
 */
function lostDaemon(all, failing) {
    if (failing)
        return false;
    const last = [...all]
        .reverse()
        .find(l => l.trim() !== '')
        ?.trim() ?? '';
    return last === 'unexpected EOF' || all.some(l => LOST.test(l));
}
function analyzeBuildFailure(output, parsed) {
    const all = output.split(/\r?\n/);
    const steps = readSteps(all);
    const failing = [...steps.values()].reverse().find(s => s.error !== null);
    const lines = evidenceLines(all, failing);
    const text = output;
    const result = (kind, line = null) => {
        const ins = line !== null ? parsed?.instructions.find(i => i.line === line) : undefined;
        return { kind, line, instruction: ins ? `${ins.keyword} ${ins.args}`.trim() : null, lines };
    };
    if (DAEMON.test(text) || lostDaemon(all, failing))
        return result('daemon');
    if (CLIENT.test(text))
        return result('client');
    if (DISK.test(text))
        return result('disk');
    const syntax = parsed?.directives.find(d => d.name === 'syntax');
    const failingHeader = failing?.header ?? '';
    if (syntax &&
        (/resolve image config for/.test(failingHeader) || /frontend gateway/.test(text)) &&
        NETWORK.test(text)) {
        return result('frontend', syntax.line);
    }
    const metadata = /^\[internal\] load metadata for (\S+)/.exec(failingHeader);
    const fromLine = metadata && parsed ? (findFromLine(parsed, metadata[1])?.line ?? null) : null;
    if (metadata && NETWORK.test(failing?.error ?? ''))
        return result('registry', fromLine);
    if (/target stage \S+ could not be found/.test(text))
        return result('target');
    return result('dockerfile', fromLine ?? lineFromOutput(all, failing, parsed));
}
/** Groups `#N ...` progress lines by step number. */
function readSteps(all) {
    const steps = new Map();
    for (const raw of all) {
        const m = /^#(\d+) (.*)$/.exec(raw);
        if (!m)
            continue;
        const n = Number(m[1]);
        const rest = m[2];
        let step = steps.get(n);
        if (!step) {
            step = { header: rest, output: [], error: null };
            steps.set(n, step);
            continue;
        }
        const err = /^ERROR: (.*)$/.exec(rest);
        if (err)
            step.error = err[1];
        const out = /^\d+(?:\.\d+)? (.*)$/.exec(rest);
        if (out)
            step.output.push(out[1]);
    }
    return steps;
}
function lineFromOutput(all, failing, parsed) {
    // buildx: `Dockerfile:7` then a rule of dashes, then the excerpt with `>>>` on the failing lines.
    for (let i = all.length - 2; i >= 0; i--) {
        const m = /^\S*?:(\d+)$/.exec(all[i].trim());
        if (m && /^-{5,}$/.test(all[i + 1].trim()))
            return Number(m[1]);
    }
    const parseError = /dockerfile parse error (?:on )?line (\d+)/i.exec(all.join('\n'));
    if (parseError)
        return Number(parseError[1]);
    if (!failing || !parsed)
        return null;
    // Docker 20.10: the step header `[build 4/4] RUN make` names the stage and the instruction.
    const m = /^\[(?:(\S+) )?\d+\/\d+\] (.*)$/.exec(failing.header);
    if (!m)
        return null;
    const stage = m[1] !== undefined ? findStage(parsed, m[1]) : parsed.stages.length === 1 ? parsed.stages[0] : undefined;
    return findInstruction(parsed, m[2], stage)?.line ?? null;
}
/** The failing step's last output lines and its error, then Docker's closing message. */
function evidenceLines(all, failing) {
    const closing = all.map(l => l.trim()).filter(l => l !== '' && !isProgressNoise(l));
    const out = [];
    if (failing) {
        out.push(...failing.output.slice(-10));
        if (failing.error)
            out.push(`ERROR: ${failing.error}`);
        // Docker's closing message, unless it only repeats the step's error.
        const last = closing[closing.length - 1];
        if (last && !out.some(l => l.includes(last) || last.includes(l.replace(/^ERROR: /, ''))))
            out.push(last);
    }
    else {
        out.push(...closing.slice(-12));
    }
    return out.slice(-12).map(l => (l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS)}...` : l));
}
function isProgressNoise(line) {
    return /^#\d+ /.test(line) || /^-+$/.test(line) || /^> \[.*\]/.test(line) || /^\d+ \|/.test(line);
}

// Checks of a Dockerfile build's inputs before Docker runs: the Dockerfile is a readable file, the
// context a directory, build-arg names are names, and the target is a stage the Dockerfile defines.
// Each failure is a ConfigurationError naming the input, so a bad input never reaches docker build.
async function readDockerfile(path) {
    try {
        const st = await stat(path);
        if (st.isDirectory()) {
            throw new ConfigurationError('rootfs', `Input 'rootfs' names '${path}', a directory, where a Dockerfile was expected`);
        }
        return await readFile(path, 'utf8');
    }
    catch (err) {
        if (err instanceof ConfigurationError)
            throw err;
        const code = err.code;
        const why = code === 'ENOENT' ? 'which does not exist' : `which cannot be read (${code ?? String(err)})`;
        throw new ConfigurationError('rootfs', `Input 'rootfs' names the Dockerfile '${path}', ${why}`);
    }
}
async function requireDirectory(context) {
    const st = await stat(context).catch(() => null);
    if (!st?.isDirectory()) {
        throw new ConfigurationError('rootfs', `The Docker build context '${context}' is not a directory`);
    }
}
function checkBuildArgs(args) {
    for (const key of Object.keys(args ?? {})) {
        if (!/^[^\s=]+$/.test(key))
            throw badInput('build-args', 'a map of NAME: value, NAME without spaces or =', key);
    }
}
function checkTarget(target, parsed, dockerfile) {
    if (target === undefined)
        return;
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) {
        throw badInput('target', 'the name of a Dockerfile stage (FROM ... AS NAME)', target);
    }
    const names = parsed.stages.map(s => s.name).filter((n) => n !== null);
    if (parsed.stages.length > 0 && !names.includes(target.toLowerCase())) {
        const known = names.length > 0 ? `its named stages are ${names.join(', ')}` : 'it names no stage (FROM ... AS NAME)';
        throw new ConfigurationError('target', `Input 'target' names stage '${target}', which ${dockerfile} does not define: ${known}`);
    }
}

// The image configuration a Dockerfile build leaves behind (CMD, ENTRYPOINT, ENV, WORKDIR, USER),
// read from `docker image inspect`, and the default command Docker would run from it.
/**
 * Parses the JSON `docker image inspect IMAGE` prints (an array of one image), or one image
 * object, or its `.Config` alone. Throws on anything else: this is Docker's output, so a
 * surprise here is a bug or an unsupported Docker, not the user's mistake.
 */
function parseImageInspect(json) {
    const data = typeof json === 'string' ? JSON.parse(json) : json;
    const image = Array.isArray(data) ? data[0] : data;
    if (!isObject(image))
        throw new Error('docker image inspect: expected an image object');
    const config = isObject(image.Config) ? image.Config : image;
    return {
        cmd: stringList(config.Cmd, 'Cmd'),
        entrypoint: stringList(config.Entrypoint, 'Entrypoint'),
        env: envRecord(stringList(config.Env, 'Env') ?? []),
        workdir: nonEmptyString(config.WorkingDir),
        user: nonEmptyString(config.User)
    };
}
/** `['A=1', 'B=x=y']` -> `{A: '1', B: 'x=y'}`; a later entry wins, an entry without `=` is an empty value. */
function envRecord(list) {
    const env = {};
    for (const entry of list) {
        const eq = entry.indexOf('=');
        if (eq === 0)
            continue;
        if (eq < 0)
            env[entry] = '';
        else
            env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return env;
}
/**
 * The command Docker would run: ENTRYPOINT followed by CMD (CMD alone when there is no ENTRYPOINT),
 * or null when the image names none.
 *
 * Shell forms arrive as `/bin/sh -c TEXT`. A unikernel root filesystem built FROM scratch rarely has a
 * shell, so when TEXT is plain words (no quotes, variables, globs, redirections or operators) the
 * shell is dropped and the words are run directly, which is what the shell would have done. Otherwise
 * the `/bin/sh -c` form is kept, and the preflight will say if /bin/sh is missing. A shell-form
 * ENTRYPOINT ignores CMD (sh -c takes CMD's words as $0, $1...), as Docker documents, so the
 * unwrapped form drops CMD too.
 */
function defaultCommand(config) {
    const entrypoint = config.entrypoint ?? [];
    const cmd = config.cmd ?? [];
    if (entrypoint.length > 0) {
        const words = shellFormWords(entrypoint);
        if (words)
            return words;
        return [...entrypoint, ...cmd];
    }
    if (cmd.length === 0)
        return null;
    return shellFormWords(cmd) ?? [...cmd];
}
/** The words of `['/bin/sh', '-c', TEXT]` when TEXT needs no shell, else null. */
function shellFormWords(argv) {
    if (argv.length !== 3 || argv[0] !== '/bin/sh' || argv[1] !== '-c')
        return null;
    const text = argv[2].trim();
    if (!/^[\w@%+=:,./-]+(\s+[\w@%+=:,./-]+)*$/.test(text))
        return null;
    // `FOO=1 prog` sets a variable for prog: that is shell work, keep the shell.
    if (/^\w+=/.test(text))
        return null;
    return text.split(/\s+/);
}
function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function stringList(v, field) {
    if (v === null || v === undefined)
        return null;
    if (!Array.isArray(v) || !v.every(x => typeof x === 'string')) {
        throw new Error(`docker image inspect: Config.${field} is not a list of strings`);
    }
    return v;
}
function nonEmptyString(v) {
    return typeof v === 'string' && v !== '' ? v : null;
}

// Builds a root filesystem tarball from a Dockerfile with the machine's Docker engine (BuildKit's
// tar exporter), plus the image configuration (CMD, ENTRYPOINT, ENV, WORKDIR) that becomes the
// defaults for the guest. Failures are one error naming whose fault it is and the Dockerfile line.
// The pieces: docker-build-argv.ts (the command lines), docker-build-inputs.ts (input checks),
// docker-build-dockerfile.ts and docker-build-failure.ts (reading the Dockerfile and a failed
// build's output) and docker-build-errors.ts (the errors thrown); DockerBuildError,
// DockerInfrastructureError and SourceLocation are re-exported from here.
async function buildDockerRootfs(opts, deps) {
    const docker = opts.docker ?? DEFAULT_DOCKER;
    const text = await readDockerfile(opts.dockerfile);
    await requireDirectory(opts.context);
    const parsed = parseDockerfileText(text);
    checkBuildArgs(opts.buildArgs);
    checkTarget(opts.target, parsed, opts.dockerfile);
    const syntax = parsed.directives.find(d => d.name === 'syntax');
    if (syntax) {
        deps.logger.warning(`${opts.dockerfile}:${syntax.line}: '# syntax=${syntax.value}' makes BuildKit fetch that frontend image ` +
            'from a registry before building; without registry access the build fails. Remove the line unless ' +
            'the Dockerfile needs newer syntax than Docker’s built-in frontend.');
    }
    await mkdir(dirname(opts.outTar), { recursive: true });
    await mkdir(dirname(opts.logPath), { recursive: true });
    // Built beside the destination and renamed when complete: a failed or interrupted build never
    // leaves a tarball where the next step (or the next run) would take it for a good one.
    const partial = join(dirname(opts.outTar), `.${basename(opts.outTar)}.${randomBytes(6).toString('hex')}.partial`);
    const spec = {
        docker,
        dockerfile: opts.dockerfile,
        context: opts.context,
        target: opts.target,
        buildArgs: opts.buildArgs
    };
    const log = createWriteStream(opts.logPath);
    // A log that cannot be written must not crash the build (an unhandled 'error' event would).
    log.on('error', err => deps.logger.warning(`cannot write the build log ${opts.logPath}: ${err.message}`));
    const ctx = { opts, deps, parsed, log };
    try {
        deps.logger.info(`docker build ${opts.dockerfile} (context ${opts.context}) -> ${opts.outTar}`);
        const started = performance.now();
        await runBuild(ctx, spec, { tar: partial });
        await requireTarball(partial, opts.logPath);
        const buildMs = performance.now() - started;
        const config = await readImageConfig(ctx, spec);
        const configMs = performance.now() - started - buildMs;
        await rename(partial, opts.outTar);
        deps.logger.info(`docker build done in ${(buildMs / 1000).toFixed(1)} s (image configuration ${(configMs / 1000).toFixed(1)} s)`);
        return { tarPath: opts.outTar, config, buildMs, configMs };
    }
    catch (err) {
        await rm(partial, { force: true });
        // An older tarball at the destination belongs to an earlier Dockerfile: not this build's output.
        await rm(opts.outTar, { force: true });
        throw err;
    }
    finally {
        await closeStream(log);
    }
}
async function runBuild(ctx, spec, output) {
    const argv = dockerBuildArgv(spec, output);
    const result = await runDocker(ctx, argv, true);
    if (result.timedOut) {
        throw new DockerInfrastructureError(`docker build of ${ctx.opts.dockerfile} did not finish within ${Math.round((ctx.opts.timeoutMs ?? 0) / 1000)} s`, 'Look at the build log for the step that hangs (often a network download); raise the timeout if the build is just slow.', null, [], ctx.opts.logPath);
    }
    // Killed because the check was interrupted: not the Dockerfile's failure.
    throwIfInterrupted(ctx.opts.signal, 'the Docker build');
    if (result.code !== 0)
        throw buildError(ctx.opts, analyzeBuildFailure(result.stderr + '\n' + result.stdout, ctx.parsed));
}
/**
 * `-o type=tar` carries no image configuration, so the same build runs once more to a tagged image
 * (every step is a cache hit, so it costs the export of the final stage only) and `docker image
 * inspect` reads it. Chosen over reading the Dockerfile's final stage ourselves: Docker's own answer
 * includes what a stage inherits from its base image, ARG substitution and ONBUILD, which a
 * Dockerfile reader would have to re-implement and would still get wrong for an image it cannot see.
 */
async function readImageConfig(ctx, spec) {
    const tag = `unikraft-compat/${randomBytes(6).toString('hex')}`;
    ctx.log.write(`\n# second build, to a tagged image, for the image configuration (CMD, ENTRYPOINT, ENV, WORKDIR)\n`);
    await runBuild(ctx, spec, { tag });
    try {
        const inspect = await runDocker(ctx, dockerInspectArgv(spec.docker, tag), false);
        if (inspect.code !== 0) {
            throw new DockerInfrastructureError(`docker image inspect ${tag} failed: ${lastLine(inspect.stderr)}`, START_DOCKER_HINT, null, [], ctx.opts.logPath);
        }
        return parseImageInspect(inspect.stdout);
    }
    finally {
        // Best effort: a leftover tag costs a little disk, never correctness.
        const untag = await runDocker(ctx, dockerUntagArgv(spec.docker, tag), false).catch(() => null);
        if (untag?.code !== 0)
            ctx.deps.logger.debug(`could not remove the temporary image tag ${tag}`);
    }
}
async function runDocker(ctx, argv, toLog) {
    const { opts, log } = ctx;
    if (toLog)
        log.write(`$ DOCKER_BUILDKIT=1 ${argv.join(' ')}\n`);
    const write = toLog ? (line) => void log.write(line + '\n') : undefined;
    try {
        return await ctx.deps.runner.run(argv, {
            env: { ...DOCKER_BUILD_ENV },
            timeoutMs: opts.timeoutMs,
            signal: opts.signal,
            onSpawn: toLog && opts.pidFile
                ? pid => writeFileSync(opts.pidFile, `${pid}\n${opts.dockerfile}\n`)
                : undefined,
            onStdoutLine: write,
            onStderrLine: write,
            maxBuffer: 4 * 1024 * 1024
        });
    }
    catch (err) {
        if (err instanceof CommandNotFoundError) {
            throw new DockerInfrastructureError(`The docker client '${argv[0]}' is not installed`, 'Install Docker (Debian/Ubuntu: apt-get install docker.io) and start it; on GitHub runners Docker is preinstalled.', null, [], null);
        }
        throw err;
    }
    finally {
        if (toLog && opts.pidFile)
            rmSync(opts.pidFile, { force: true });
    }
}
async function requireTarball(path, logPath) {
    const st = await stat(path).catch(() => null);
    if (!st || st.size === 0) {
        throw new DockerInfrastructureError('docker build succeeded but wrote no tarball: the legacy builder ignores -o', 'Use a Docker with BuildKit (DOCKER_BUILDKIT=1 is set; Docker 18.09 or newer, or the buildx plugin).', null, [], logPath);
    }
}
function lastLine(s) {
    return s.trim().split('\n').pop() ?? '';
}
function closeStream(stream) {
    return new Promise(resolve => stream.end(() => resolve()));
}

// The manifest of a root filesystem tree for the artifacts: every entry (path, type, size,
// mode, symlink target) in archive order, plus totals, including the exact size of the
// uncompressed initrd packDirectory would write (hard links copied).
const octal = (m) => (m & 0o7777).toString(8).padStart(4, '0');
async function buildManifest(treeDir) {
    const entries = [];
    for (const w of walkTree(treeDir)) {
        const st = w.st;
        const path = `/${w.rel}`;
        if (st.isFile())
            entries.push({ path, type: 'file', size: st.size, mode: octal(st.mode) });
        else if (st.isDirectory())
            entries.push({ path, type: 'dir', size: 0, mode: octal(st.mode) });
        else if (st.isSymbolicLink()) {
            const target = readlinkSync(w.abs);
            entries.push({ path, type: 'symlink', size: Buffer.byteLength(target), mode: octal(st.mode), target });
        }
        else if (st.isCharacterDevice() || st.isBlockDevice()) {
            const { major, minor } = splitRdev(st.rdev);
            entries.push({
                path,
                type: st.isCharacterDevice() ? 'char' : 'block',
                size: 0,
                mode: octal(st.mode),
                rdev: `${major},${minor}`
            });
        }
        else if (st.isFIFO())
            entries.push({ path, type: 'fifo', size: 0, mode: octal(st.mode) });
    }
    const specials = await readSpecials(treeDir);
    if (specials.length) {
        // As in packDirectory, a recorded node replaces whatever the tree has at its path.
        const replaced = new Set(specials.map(s => `/${s.path}`));
        const kept = entries.filter(e => !replaced.has(e.path));
        entries.length = 0;
        entries.push(...kept);
        for (const s of specials) {
            const path = `/${s.path}`;
            entries.push({
                path,
                type: s.type,
                size: 0,
                mode: octal(s.mode),
                ...(s.type === 'fifo' ? {} : { rdev: `${s.rdevMajor},${s.rdevMinor}` })
            });
        }
        entries.sort((a, b) => comparePaths(a.path.slice(1), b.path.slice(1)));
    }
    const totals = {
        entries: entries.length,
        files: 0,
        dirs: 0,
        symlinks: 0,
        other: 0,
        fileBytes: 0,
        cpioBytes: 0
    };
    for (const e of entries) {
        if (e.type === 'file') {
            totals.files++;
            totals.fileBytes += e.size;
        }
        else if (e.type === 'dir')
            totals.dirs++;
        else if (e.type === 'symlink')
            totals.symlinks++;
        else
            totals.other++;
        totals.cpioBytes += cpioEntryBytes(e.path.slice(1), e.size);
    }
    totals.cpioBytes += cpioEntryBytes(CPIO_TRAILER_NAME, 0);
    return { version: 1, totals, entries };
}
/** Writes the manifest as JSON, atomically. */
async function writeManifest(manifest, outPath) {
    const tmp = `${outPath}.partial-${process.pid}`;
    await writeFile(tmp, JSON.stringify(manifest, null, 1) + '\n');
    await rename(tmp, outPath);
}

// The `rootfs` input: which kind of source it names (Dockerfile, directory, tarball, cpio
// archive, or binary:PATH), decided from the name and, where the name says nothing, the bytes.
const ROOTFS_FORMS = "a Dockerfile (a file named like 'Dockerfile', 'app.Dockerfile' or 'Containerfile'), a directory, " +
    "a .tar, .tar.gz or .tgz file, a cpio archive (newc), or 'binary:/path/to/program'";
function reject(spec, why) {
    return new ConfigurationError('rootfs', `Input 'rootfs' must be ${ROOTFS_FORMS}, got '${spec}': ${why}`);
}
function looksLikeDockerfile(name) {
    return (/^(Dockerfile|Containerfile)([.\-_].*)?$/i.test(name) || /[.\-_](Dockerfile|Containerfile)$/i.test(name));
}
const TREE_DIRS = ['bin', 'sbin', 'usr', 'lib', 'lib64', 'etc'];
async function parseRootfsSpec(spec, appDir) {
    const s = spec.trim();
    if (!s)
        throw reject(spec, 'it is empty');
    if (s.startsWith('binary:')) {
        const p = s.slice('binary:'.length).trim();
        if (!p)
            throw reject(spec, 'binary: needs the program path');
        return { kind: 'binary', path: p.startsWith('/') ? p : resolve(appDir, p) };
    }
    const path = resolve(appDir, s);
    let st;
    try {
        st = statSync(path);
    }
    catch (err) {
        const code = err.code;
        const what = looksLikeDockerfile(basename(path)) ? 'the Dockerfile' : '';
        throw reject(spec, code === 'ENOENT'
            ? `${what ? what + ' ' : ''}'${path}' does not exist`
            : `'${path}' cannot be read (${code})`);
    }
    if (st.isDirectory()) {
        let names = [];
        try {
            names = readdirSync(path);
        }
        catch {
            // unreadable: packing reports it with the path
        }
        const dockerfile = names.find(n => n === 'Dockerfile' || n === 'Containerfile');
        if (dockerfile && !names.some(n => TREE_DIRS.includes(n))) {
            throw reject(spec, `it is a directory with a ${dockerfile} and no root filesystem in it; to build it, name the file: '${resolve(path, dockerfile)}'`);
        }
        return { kind: 'directory', path };
    }
    if (!st.isFile())
        throw reject(spec, `'${path}' is neither a file nor a directory`);
    const name = basename(path);
    if (looksLikeDockerfile(name))
        return { kind: 'dockerfile', dockerfile: path, context: dirname(path) };
    const sniff = await sniffArchiveFile(path).catch((err) => {
        throw reject(spec, `'${path}' cannot be read (${err.code ?? err.message})`);
    });
    if (/\.(tar|tar\.gz|tgz)$/i.test(name)) {
        if (sniff.kind !== 'tar')
            throw reject(spec, `'${path}' is named like a tarball but is not a tar archive`);
        return { kind: 'tar', path };
    }
    if (sniff.kind === 'cpio')
        return { kind: 'cpio', path, gzip: sniff.gzip };
    if (sniff.kind === 'tar')
        return { kind: 'tar', path };
    if (/\.cpio(\.gz)?$/i.test(name))
        throw reject(spec, `'${path}' is named like a cpio archive but does not start with the newc magic 070701`);
    if (isElfMagic(readHead(path, 4))) {
        throw reject(spec, `'${path}' is a program; to build a root filesystem around it use 'binary:${path}'`);
    }
    throw reject(spec, `'${path}' is not a Dockerfile, a tar archive or a cpio archive`);
}

// Streaming tar extraction (.tar and .tar.gz): ustar, pax headers (path, linkpath, size) and GNU
// long names, into a directory through TreeWriter, which refuses anything escaping the root.
/** Long names and pax records are small; anything bigger is a broken or hostile archive. */
const MAX_META_BYTES = 1 << 20;
function cString(b) {
    const z = b.indexOf(0);
    return (z >= 0 ? b.subarray(0, z) : b).toString('utf8');
}
/** Octal (space/NUL terminated) or GNU base-256 (high bit set) numeric field. */
function tarNumber(b) {
    if (b.length && b[0] & 0x80) {
        if (b[0] === 0xff)
            return NaN; // negative: never valid for the fields we read
        let n = b[0] & 0x7f;
        for (let i = 1; i < b.length; i++)
            n = n * 256 + b[i];
        return n;
    }
    const s = b.toString('latin1').replace(/\0.*$/s, '').trim();
    if (s === '')
        return 0;
    if (!/^[0-7]+$/.test(s))
        return NaN;
    return parseInt(s, 8);
}
function parseHeader(block) {
    const magic = block.subarray(257, 263).toString('latin1');
    const gnu = magic === 'ustar ';
    let name = cString(block.subarray(0, 100));
    // The ustar prefix field; GNU tar uses those bytes for other things.
    if (magic === 'ustar\0') {
        const prefix = cString(block.subarray(345, 500));
        if (prefix)
            name = `${prefix}/${name}`;
    }
    return {
        name,
        mode: tarNumber(block.subarray(100, 108)),
        size: tarNumber(block.subarray(124, 136)),
        type: String.fromCharCode(block[156] || 0x30),
        linkname: cString(block.subarray(157, 257)),
        devmajor: tarNumber(block.subarray(329, 337)),
        devminor: tarNumber(block.subarray(337, 345)),
        gnu
    };
}
/** `"%d %s=%s\n"` records; the length counts the whole record. */
function parsePax(data) {
    const out = {};
    let off = 0;
    while (off < data.length) {
        const sp = data.indexOf(0x20, off);
        if (sp < 0)
            break;
        const len = parseInt(data.subarray(off, sp).toString('latin1'), 10);
        if (!Number.isFinite(len) || len <= 0 || off + len > data.length)
            break;
        const rec = data.subarray(sp + 1, off + len - 1).toString('utf8');
        const eq = rec.indexOf('=');
        if (eq > 0)
            out[rec.slice(0, eq)] = rec.slice(eq + 1);
        off += len;
    }
    return out;
}
const pad512 = (n) => (512 - (n % 512)) % 512;
async function readMeta(reader, size, what) {
    if (size > MAX_META_BYTES)
        throw new ConfigurationError('rootfs', `${what}: a ${size}-byte extended header is not plausible`);
    const data = await reader.read(size);
    await reader.skip(pad512(size));
    return data;
}
async function extractTar(tarPath, destDir, opts = {}) {
    const what = `tar '${basename(tarPath)}'`;
    const { reader, gzip } = await openArchive(tarPath);
    const writer = new TreeWriter(destDir, { what, createSpecials: opts.createSpecials, runner: opts.runner });
    await writer.init();
    let entries = 0;
    let globalPax = {};
    let pax = {};
    let longName = null;
    let longLink = null;
    try {
        for (;;) {
            const block = await reader.readUpTo(512);
            if (block.length === 0) {
                if (entries === 0)
                    throw new ConfigurationError('rootfs', `${what} is empty`);
                break; // tolerated: an archive ending without its two zero blocks
            }
            if (block.length < 512)
                throw new UnexpectedEofError(`truncated header at byte ${reader.position - block.length}`);
            if (block.every(b => b === 0))
                break;
            if (!tarChecksumOk(block)) {
                // Corrupt deflate data often decodes to garbage before zlib notices: reading on to the
                // gzip CRC names the real fault (the catch below turns it into "the gzip data is corrupt").
                if (gzip)
                    await reader.drain();
                throw new ConfigurationError('rootfs', entries === 0
                    ? `'${tarPath}' is not a tar archive (no valid tar header at its start)`
                    : `${what} is corrupt: bad header checksum at byte ${reader.position - 512}`);
            }
            const h = parseHeader(block);
            if (!Number.isFinite(h.size) || h.size < 0) {
                throw new ConfigurationError('rootfs', `${what}: entry '${h.name}' has an unreadable size field`);
            }
            switch (h.type) {
                case 'x':
                    pax = { ...pax, ...parsePax(await readMeta(reader, h.size, what)) };
                    continue;
                case 'g':
                    globalPax = { ...globalPax, ...parsePax(await readMeta(reader, h.size, what)) };
                    continue;
                case 'L':
                    longName = cString(await readMeta(reader, h.size, what));
                    continue;
                case 'K':
                    longLink = cString(await readMeta(reader, h.size, what));
                    continue;
                case 'V':
                    await reader.skip(h.size + pad512(h.size));
                    continue;
            }
            const ext = { ...globalPax, ...pax };
            const rawName = ext.path ?? longName ?? h.name;
            const rawLink = ext.linkpath ?? longLink ?? h.linkname;
            const size = ext.size !== undefined ? Number(ext.size) : h.size;
            pax = {};
            longName = null;
            longLink = null;
            if (Object.keys(ext).some(k => k.startsWith('GNU.sparse')) || h.type === 'S') {
                throw new ConfigurationError('rootfs', `${what}: entry '${rawName}' is a sparse file, which is not supported; create the tar without --sparse`);
            }
            if (h.type === 'M')
                throw new ConfigurationError('rootfs', `${what}: multi-volume archives are not supported (entry '${rawName}')`);
            const rel = normaliseArchivePath(rawName, what);
            const mode = Number.isFinite(h.mode) ? h.mode : 0o644;
            entries++;
            let consumed = false;
            switch (h.type) {
                case '5':
                case 'D':
                    await writer.dir(rel, mode);
                    break;
                case '2':
                    if (!rawLink)
                        throw new ConfigurationError('rootfs', `${what}: symlink '${rawName}' has an empty target`);
                    await writer.symlink(rel, rawLink);
                    break;
                case '1':
                    await writer.hardlink(rel, normaliseArchivePath(rawLink, what));
                    break;
                case '3':
                case '4':
                case '6':
                    await writer.special(rel, h.type === '3' ? 'char' : h.type === '4' ? 'block' : 'fifo', mode, h.devmajor || 0, h.devminor || 0);
                    break;
                default:
                    // '0', '\0', '7' and, as POSIX asks, any unknown type: a regular file.
                    await writer.file(rel, mode, reader.chunks(size));
                    consumed = true;
            }
            await reader.skip((consumed ? 0 : size) + pad512(size));
        }
        // Past the end-of-archive blocks only padding is left: reading it checks the gzip CRC, so
        // damage that decoded to plausible file contents is not passed on silently.
        if (gzip)
            await reader.drain();
        const { specials } = await writer.finish();
        return { entries, specials };
    }
    catch (err) {
        if (err instanceof UnexpectedEofError) {
            throw new ConfigurationError('rootfs', `${what} is truncated: ${err.message}`);
        }
        if (err.code === 'Z_DATA_ERROR' ||
            err.code === 'Z_BUF_ERROR') {
            throw new ConfigurationError('rootfs', `${what}: the gzip data is corrupt (${err.message})`);
        }
        throw err;
    }
    finally {
        await reader.close();
    }
}

// From the `rootfs` input to a directory tree preflight can inspect and packDirectory can pack,
// plus the image defaults (Dockerfile) and the manifest. Built in a temporary directory and
// renamed into place at the end: a failed run leaves no tree behind, stale or half-written.
const TREE_NAME = 'rootfs';
const MANIFEST_NAME = 'rootfs-manifest.json';
const BUILD_LOG_NAME = 'docker-build.log';
/** Copies a directory into a TreeWriter (symlinks as symlinks, hard links as copies). */
async function copyTree(src, writer) {
    for (const w of walkTree(src)) {
        if (w.st.isDirectory())
            await writer.dir(w.rel, w.st.mode);
        else if (w.st.isSymbolicLink())
            await writer.symlink(w.rel, await readlink(w.abs));
        else if (w.st.isFile())
            await writer.file(w.rel, w.st.mode, createReadStream(w.abs));
        else if (w.st.isCharacterDevice() || w.st.isBlockDevice() || w.st.isFIFO()) {
            const { major, minor } = splitRdev(w.st.rdev);
            await writer.special(w.rel, w.st.isFIFO() ? 'fifo' : w.st.isCharacterDevice() ? 'char' : 'block', w.st.mode, major, minor);
        }
    }
    for (const s of await readSpecials(src))
        await writer.special(s.path, s.type, s.mode, s.rdevMajor, s.rdevMinor);
}
function unreadable(err) {
    const e = err;
    if ((e.code === 'EACCES' || e.code === 'EPERM') && e.path) {
        return new ConfigurationError('rootfs', `cannot read '${e.path}' while building the root filesystem (permission denied)`);
    }
    return err;
}
async function materializeRootfs(spec, opts, deps) {
    const source = typeof spec === 'string' ? await parseRootfsSpec(spec, opts.appDir) : spec;
    const extras = (opts.extra ?? []).map(e => parseExtra(e, opts.appDir));
    await mkdir(opts.workDir, { recursive: true });
    const finalTree = join(opts.workDir, TREE_NAME);
    const manifestPath = join(opts.workDir, MANIFEST_NAME);
    // Whatever an earlier run left belongs to an earlier input: never let it pass for this one's.
    await rm(finalTree, { recursive: true, force: true });
    await rm(specialsSidecarPath(finalTree), { force: true });
    await rm(manifestPath, { force: true });
    const id = randomBytes(6).toString('hex');
    const tmp = join(opts.workDir, `.rootfs-${id}.partial`);
    const tmpTar = join(opts.workDir, `.rootfs-${id}.tar`);
    const result = {
        kind: source.kind,
        source
    };
    let treeDir = finalTree;
    try {
        const newWriter = async (what) => {
            const w = new TreeWriter(tmp, { what, runner: deps.runner });
            await w.init();
            return w;
        };
        switch (source.kind) {
            case 'directory': {
                if (extras.length === 0) {
                    treeDir = source.path;
                    break;
                }
                const w = await newWriter(`directory '${source.path}'`);
                await copyTree(source.path, w);
                for (const e of extras)
                    await addExtra(w, tmp, e);
                await w.finish();
                break;
            }
            case 'tar':
                await extractTar(source.path, tmp, { runner: deps.runner });
                break;
            case 'cpio':
                await extractCpio(source.path, tmp, { runner: deps.runner });
                // Booted as is, unless extra files changed the tree (then the tree is what to pack).
                if (extras.length === 0)
                    result.cpioPath = source.path;
                break;
            case 'binary':
                result.closure = await buildBinaryTree(source.path, tmp, { sysroot: opts.sysroot, extra: extras });
                break;
            case 'dockerfile': {
                const logPath = opts.buildLogPath ?? join(opts.workDir, BUILD_LOG_NAME);
                const build = deps.buildDocker ?? buildDockerRootfs;
                const built = await build({
                    dockerfile: source.dockerfile,
                    context: opts.context ?? source.context,
                    target: opts.target,
                    buildArgs: opts.buildArgs,
                    outTar: tmpTar,
                    logPath,
                    signal: opts.signal,
                    pidFile: opts.buildPidFile
                }, { runner: deps.runner, logger: deps.logger });
                result.imageConfig = built.config;
                result.buildLogPath = logPath;
                await extractTar(built.tarPath, tmp, { runner: deps.runner });
                await rm(built.tarPath, { force: true });
                break;
            }
        }
        if (extras.length && (source.kind === 'tar' || source.kind === 'cpio' || source.kind === 'dockerfile')) {
            const w = new TreeWriter(tmp, { what: 'files', runner: deps.runner });
            for (const e of extras)
                await addExtra(w, tmp, e);
            await w.finish();
        }
        if (treeDir === finalTree) {
            await rename(tmp, finalTree);
            await rename(specialsSidecarPath(tmp), specialsSidecarPath(finalTree)).catch((err) => {
                if (err.code !== 'ENOENT')
                    throw err;
            });
        }
        const manifest = await buildManifest(treeDir);
        await writeManifest(manifest, manifestPath);
        deps.logger.info(`root filesystem (${source.kind}): ${manifest.totals.entries} entries, ${(manifest.totals.fileBytes / (1 << 20)).toFixed(1)} MiB in ${treeDir}`);
        return { ...result, treeDir, manifest, manifestPath, specials: await readSpecials(treeDir) };
    }
    catch (err) {
        await rm(tmp, { recursive: true, force: true });
        await rm(specialsSidecarPath(tmp), { force: true });
        await rm(tmpTar, { force: true });
        await rm(finalTree, { recursive: true, force: true });
        await rm(specialsSidecarPath(finalTree), { force: true });
        throw unreadable(err);
    }
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
function finding(id, severity, evidence, detail, hint, data) {
    return { id, severity, line: null, evidence, detail, hint, source: 'preflight', ...(data ? { data } : {}) };
}
const isExecutable = (mode) => (mode & 0o111) !== 0;
/**
 * Finds the command in the tree like execvp: a name with a '/' is a path (relative ones from the
 * working directory); a bare name is searched in PATH. Throws SymlinkLoopError on a loop.
 */
function resolveCommand(treeDir, name, opts = {}) {
    const view = new TreeView(treeDir);
    const candidates = name.includes('/')
        ? [name.startsWith('/') ? toGuestPath(name) : toGuestPath(`${opts.workdir ?? '/'}/${name}`)]
        : (opts.path ?? DEFAULT_PATH).split(':').map(d => toGuestPath(`${d || '.'}/${name}`));
    let fallback = null;
    for (const c of candidates) {
        const r = view.resolve(c);
        if (!r)
            continue;
        if (!r.stats.isFile()) {
            fallback ??= { path: r.path, named: c, problem: 'not-a-file', tried: candidates };
            continue;
        }
        if (!isExecutable(r.stats.mode)) {
            fallback ??= { path: r.path, named: c, problem: 'not-executable', tried: candidates };
            continue;
        }
        return { path: r.path, named: c, problem: null, tried: candidates };
    }
    return fallback ?? { path: null, named: null, problem: null, tried: candidates };
}
/** Where the host (or hintSysroot) has a library, for a COPY line that names a real file. */
function hostLibraryPath(name, sysroot) {
    const view = new TreeView(sysroot);
    for (const d of DEFAULT_LIBRARY_DIRS) {
        try {
            if (view.resolve(`${d}/${name}`)?.stats.isFile())
                return `${d}/${name}`;
        }
        catch {
            // a loop on the host is not this tree's problem
        }
    }
    return `/lib/x86_64-linux-gnu/${name}`;
}
const mib$1 = (n) => (n / (1 << 20)).toFixed(1);
async function isEmptyTree(treeDir) {
    for (const _ of walkTree(treeDir))
        return false;
    return (await readSpecials(treeDir)).length === 0;
}
async function preflight(treeDir, cmd, opts) {
    const findings = [];
    if (await isEmptyTree(treeDir)) {
        return [
            finding('rootfs.empty', 'error', `the root filesystem is empty (${treeDir})`, null, 'Nothing to boot: check the rootfs source (a Dockerfile whose last stage copies nothing, an empty directory or archive).')
        ];
    }
    const manifest = opts.manifest ?? (await buildManifest(treeDir));
    const limit = (opts.memoryMiB * (1 << 20)) / 2;
    if (manifest.totals.cpioBytes > limit) {
        const want = Math.ceil((2 * manifest.totals.cpioBytes) / (1 << 20) / 64 + 1) * 64;
        findings.push(finding('memory.out-of-memory', 'warning', `the initrd is ${mib$1(manifest.totals.cpioBytes)} MiB, more than half of the guest's ${opts.memoryMiB} MiB`, `${mib$1(manifest.totals.cpioBytes)} MiB initrd, ${opts.memoryMiB} MiB memory`, `The guest holds the archive and its unpacked copy in RAM: give it at least ${want} MiB (memory: ${want}M), or make the tree smaller.`, { initrdBytes: manifest.totals.cpioBytes, memoryMiB: opts.memoryMiB }));
    }
    if (cmd.length === 0 || !cmd[0]) {
        findings.push(finding('loader.missing-executable', 'error', 'no command: cmd is empty and the image has no CMD or ENTRYPOINT', null, "Set 'cmd' (e.g. cmd: /usr/bin/redis-server /etc/redis/redis.conf) or add CMD to the Dockerfile."));
        return findings;
    }
    const resolver = new ClosureResolver(treeDir);
    const env = opts.env ?? {};
    const ldLibraryPath = env.LD_LIBRARY_PATH ? env.LD_LIBRARY_PATH.split(':') : undefined;
    const hintRoot = opts.hintSysroot ?? '/';
    const loopFinding = (err) => finding('rootfs.symlink-loop', 'error', err.message, err.guestPath, `Fix the symlinks in the root filesystem: ${err.chain.slice(0, 3).join(', ')}.`);
    let res;
    try {
        res = resolveCommand(treeDir, cmd[0], { path: env.PATH, workdir: opts.workdir });
    }
    catch (err) {
        if (err instanceof SymlinkLoopError)
            return [...findings, loopFinding(err)];
        throw err;
    }
    if (!res.path || res.problem) {
        const where = cmd[0].includes('/') ? '' : ` (searched ${res.tried.map(guestDirname).join(', ')})`;
        const evidence = res.problem === 'not-executable'
            ? `${res.named} exists but is not executable (mode ${((resolver.view.lstat(res.path)?.mode ?? 0) & 0o7777).toString(8).padStart(4, '0')})`
            : res.problem === 'not-a-file'
                ? `${res.named} is not a regular file`
                : `'${cmd[0]}' is not in the root filesystem${where}`;
        const hint = res.problem === 'not-executable'
            ? `Make it executable in the image (chmod 755, or COPY --chmod=755 ${res.named} ${res.named}).`
            : `Copy the program into the image (e.g. COPY --from=build ${cmd[0].startsWith('/') ? cmd[0] : '/usr/bin/' + cmd[0]} ${cmd[0].startsWith('/') ? guestDirname(cmd[0]) : '/usr/bin'}/), or fix 'cmd'.`;
        findings.push(finding('loader.missing-executable', 'error', evidence, res.named ?? cmd[0], hint));
        return findings;
    }
    const seen = new Set();
    const checkProgram = (guestPath, shownAs, depth) => {
        if (seen.has(guestPath) || depth > 4)
            return;
        seen.add(guestPath);
        const host = resolver.view.hostPath(guestPath);
        const head = readHead(host);
        const shebang = parseShebang(head);
        if (shebang) {
            checkScript(guestPath, shownAs, shebang, depth);
            return;
        }
        if (!isElfMagic(head)) {
            const shown = head.subarray(0, 8).toString('hex').replace(/(..)/g, '$1 ').trim();
            findings.push(finding('loader.not-elf', 'error', `${shownAs} is neither an ELF program nor a #! script (it starts with ${shown || 'nothing: it is empty'})`, shownAs, 'Point cmd at the program itself (an x86-64 ELF executable).'));
            return;
        }
        let elf;
        try {
            elf = readElf(host);
        }
        catch (err) {
            if (!(err instanceof ElfFormatError))
                throw err;
            findings.push(finding('loader.not-elf', 'error', `${shownAs}: broken ELF file (${err.message})`, shownAs, 'Copy the program again: the file in the image is damaged or truncated.'));
            return;
        }
        if (elf.machineName !== 'x86-64' || elf.elfClass !== 64) {
            findings.push(finding('loader.wrong-arch', 'error', `${shownAs} is a ${elf.elfClass}-bit ${elf.machineName} ELF file; the guest is x86-64`, elf.machineName, 'Build or copy the x86-64 (amd64) version of the program (e.g. docker build --platform linux/amd64).'));
            return;
        }
        if (opts.guest === 'unikraft' && !elf.positionIndependent) {
            findings.push(finding('loader.not-pie', 'error', `${shownAs} is a fixed-address ${elf.kind === 'static' ? 'static ' : ''}executable (ELF type EXEC); Unikraft's ELF loader needs a position-independent one`, elf.kind, 'Rebuild it position-independent: gcc -fPIE -pie (the default on Debian and Ubuntu), or -static-pie for a static binary; Go: -buildmode=pie; Rust: the default.'));
        }
        let closure;
        try {
            closure = resolveClosure(guestPath, { resolver, ldLibraryPath });
        }
        catch (err) {
            if (err instanceof SymlinkLoopError) {
                findings.push(loopFinding(err));
                return;
            }
            throw err;
        }
        if (closure.interpreter && !closure.interpreter.realPath) {
            const ip = closure.interpreter.path;
            findings.push(finding('loader.missing-interpreter', 'error', `${shownAs} asks for the program interpreter ${ip} (PT_INTERP), which is not in the root filesystem`, ip, `Copy the dynamic loader into the image: COPY --from=build ${ip} ${ip}`, { neededBy: [shownAs] }));
        }
        const shown = (p) => (p === guestPath ? shownAs : p);
        for (const u of closure.unresolved) {
            const src = hostLibraryPath(u.name, hintRoot);
            const neededBy = u.neededBy.map(shown);
            findings.push(finding('loader.missing-library', 'error', `${neededBy.join(', ')} needs ${u.name} (DT_NEEDED), which is not in ${u.searched.length ? u.searched.join(', ') : 'the root filesystem'}`, u.name, `Copy the library into the image: COPY --from=build ${src} ${guestDirname(src)}/`, { neededBy, searched: u.searched }));
        }
    };
    const checkScript = (guestPath, shownAs, sb, depth) => {
        const line = `#!${sb.interpreter}${sb.arg ? ' ' + sb.arg : ''}`;
        if (opts.guest === 'unikraft') {
            findings.push(finding('loader.not-elf', 'error', `${shownAs} is a script (${line}); Unikraft's ELF loader runs ELF programs only`, shownAs, `Make the interpreter the command: cmd: ${[sb.interpreter, ...(sb.arg ? [sb.arg] : []), shownAs].join(' ')}`));
        }
        let ir;
        try {
            ir = resolver.view.resolve(sb.interpreter);
        }
        catch (err) {
            if (err instanceof SymlinkLoopError) {
                findings.push(loopFinding(err));
                return;
            }
            throw err;
        }
        if (!ir || !ir.stats.isFile()) {
            findings.push(finding('loader.missing-interpreter', 'error', `${shownAs} starts with '${line}', and ${sb.interpreter} is not in the root filesystem`, sb.interpreter, `Copy the script's interpreter into the image (COPY --from=build ${sb.interpreter} ${sb.interpreter}), or change the #! line.`, { neededBy: [shownAs] }));
            return;
        }
        checkProgram(ir.path, sb.interpreter, depth + 1);
        // '#!/usr/bin/env NAME': env then looks NAME up in PATH.
        if (/(^|\/)env$/.test(sb.interpreter) && sb.arg && !sb.arg.startsWith('-')) {
            const name = sb.arg.split(/\s+/)[0];
            const r = resolveCommand(treeDir, name, { path: env.PATH });
            if (!r.path || r.problem) {
                findings.push(finding('loader.missing-interpreter', 'error', `${shownAs} starts with '${line}', and '${name}' is not in the PATH of the root filesystem`, name, `Copy ${name} into the image (e.g. COPY --from=build /usr/bin/${name} /usr/bin/).`, { neededBy: [shownAs] }));
            }
            else
                checkProgram(r.path, r.named ?? name, depth + 1);
        }
    };
    try {
        checkProgram(res.path, res.named ?? cmd[0], 0);
    }
    catch (err) {
        if (err instanceof SymlinkLoopError)
            findings.push(loopFinding(err));
        else
            throw err;
    }
    return findings;
}

// The command a run starts, and its environment: the input, else the Kraftfile's `cmd`, else the
// image's ENTRYPOINT + CMD. A kernel given without a root filesystem is a native image: booted as it
// is, and whatever command was given becomes its arguments (optional).
function appCommand(options, from) {
    const named = options.cmd ?? from.kraftfileCmd ?? (from.image ? defaultCommand(from.image) : null);
    // An ELF loader needs the program to run; a native image takes what it is given.
    if (from.treeDir !== null && (!named || named.length === 0)) {
        throw new ConfigurationError('cmd', "Input 'cmd' is needed: the root filesystem names no command (no ENTRYPOINT or CMD, no Kraftfile cmd); give one like /usr/bin/redis-server /etc/redis/redis.conf");
    }
    const cmd = [...(named ?? [])];
    const env = { ...(from.image?.env ?? {}), ...options.env };
    const workdir = options.workdir ?? from.image?.workdir ?? null;
    // The ELF loader does not search PATH: a bare program name becomes the path execvp would find.
    if (from.treeDir !== null && !cmd[0].includes('/')) {
        const found = resolveCommand(from.treeDir, cmd[0], { path: env.PATH, workdir: workdir ?? undefined });
        if (found.named)
            cmd[0] = found.named;
    }
    return { cmd, env, workdir };
}
/** The Kraftfile's `cmd` (a list, or a string split by the POSIX rules), when the app has one. */
async function kraftfileCmd(kraftfile) {
    if (!kraftfile)
        return null;
    try {
        const doc = distExports.parse(await readFile(kraftfile, 'utf8'));
        const cmd = doc?.cmd;
        if (Array.isArray(cmd))
            return cmd.map(String);
        if (typeof cmd === 'string')
            return splitWordsFor('Kraftfile cmd', cmd);
    }
    catch (err) {
        throw new ConfigurationError('Kraftfile', `Kraftfile ${kraftfile} could not be read: ${toError(err).message}`);
    }
    return null;
}

// Step 2 of a check: the root filesystem (built, unpacked or packed), the command, and preflight.
// A root filesystem that cannot run (a missing library, not PIE...) is named before any boot and
// never packed (it can be gigabytes): nothing will boot it.
/**
 * Builds what the guest boots. `onRootfs` hears of the root filesystem as soon as it exists, so a
 * later failure (a missing command) still reports it.
 */
async function buildGuestInput(options, place, deps, onRootfs) {
    const { guest, work } = place;
    const built = await materialize(options, place, deps);
    if (built)
        onRootfs(built);
    const command = appCommand(options, {
        kraftfileCmd: await kraftfileCmd(options.kraftfile),
        image: built?.imageConfig,
        treeDir: built?.treeDir ?? null
    });
    const commandFindings = guest === 'unikraft' ? emptyArgumentFindings(command.cmd) : [];
    if (!built)
        return { command, initrd: undefined, preflightFindings: [], commandFindings, blocked: null };
    const preflightFindings = await preflight(built.treeDir, command.cmd, {
        memoryMiB: options.memoryMiB,
        guest,
        env: command.env,
        workdir: command.workdir ?? undefined,
        manifest: built.manifest
    });
    const verdict = computeVerdict({ probes: [], findings: preflightFindings, allow: options.allow });
    if (verdict.verdict === 'fail') {
        deps.logger.info(`Preflight found problems; not booting: ${verdict.summary}`);
        return { command, initrd: undefined, preflightFindings, commandFindings, blocked: verdict };
    }
    // Unikraft's ukcpio reads plain newc only: a gzip archive given as rootfs is repacked from its tree.
    const gzipCpio = built.source.kind === 'cpio' && built.source.gzip;
    let initrd;
    if (built.cpioPath && !(gzipCpio && guest === 'unikraft'))
        initrd = built.cpioPath;
    else {
        initrd = join(work, 'initrd.cpio');
        await packDirectory(built.treeDir, initrd, { hardlinks: guest === 'linux' ? 'link' : 'copy' });
    }
    return { command, initrd, preflightFindings, commandFindings, blocked: null };
}
/** The root filesystem's tree and manifest; null for a native image (a kernel given without rootfs). */
async function materialize(options, { guest, work, outDir }, deps) {
    if (!options.rootfs) {
        if (guest === 'unikraft' && options.kernel)
            return null;
        throw new ConfigurationError('rootfs', "Input 'rootfs' is needed: give a Dockerfile, a directory, a .tar/.tar.gz, a .cpio or binary:PATH (or put a Dockerfile in the app directory)");
    }
    const rootfs = await materializeRootfs(options.rootfs, {
        appDir: options.appDir,
        workDir: work,
        extra: options.files,
        buildArgs: options.buildArgs,
        target: options.target ?? undefined,
        signal: deps.signal,
        // Straight into the run directory: a failed build's log is the evidence that must stay.
        buildLogPath: join(outDir, RUN_FILES.buildLog),
        buildPidFile: join(outDir, RUN_FILES.dockerBuildPid)
    }, { runner: deps.runner, logger: deps.logger });
    await copyFile(rootfs.manifestPath, join(outDir, RUN_FILES.manifest));
    return rootfs;
}
/** Unikraft's command line cannot carry an empty argument: one warning per empty argument. */
function emptyArgumentFindings(cmd) {
    return emptyArgumentIndexes(cmd).map(i => ({
        id: 'config.empty-argument',
        severity: 'warning',
        line: null,
        evidence: `argument ${i} of the command is empty: ${JSON.stringify(cmd)}`,
        detail: String(i),
        hint: hintFor('config.empty-argument', null),
        source: 'preflight'
    }));
}

function buildResult(options, r, judged) {
    const { main } = r;
    const vm = main?.vm ?? null;
    const banner = judged.findings.find(f => f.id === 'boot.banner');
    const unikraft = r.guest === 'unikraft' && banner?.data && typeof banner.data.version === 'string'
        ? {
            version: banner.data.version,
            codename: banner.data.codename ?? null,
            commit: banner.data.commit ?? null
        }
        : null;
    const partial = {
        schemaVersion: RESULT_SCHEMA_VERSION,
        verdict: judged.verdict,
        app: { name: options.appId, dir: options.appDir },
        matrixCell: { app: options.appId, version: options.unikraftVersion },
        guest: r.guest,
        accel: vm?.accel ?? null,
        accelReason: vm?.accelReason ?? null,
        unikraft,
        qemu: r.qemuVersion ? { version: r.qemuVersion } : vm?.qemuVersion ? { version: vm.qemuVersion } : null,
        kraftkit: r.kraftkitVersion ? { version: r.kraftkitVersion } : null,
        probes: (main?.probes ?? []).map(p => ({
            kind: p.kind,
            target: p.target,
            passed: p.passed,
            ...(p.inconclusive ? { inconclusive: true } : {}),
            attempts: p.attempts,
            durationMs: Math.round(p.durationMs),
            evidence: p.evidence
        })),
        findings: judged.findings,
        timeline: timelineFromVm({
            setupMs: round(r.setupMs),
            buildMs: round(r.buildMs),
            launchMs: round(main ? main.launchAtMs : null)
        }, 
        // A Linux guest has no Unikraft banner: its first kernel line is not one.
        vm ? { ...vm.timeline, bannerMs: r.guest === 'unikraft' ? vm.timeline.bannerMs : null } : null),
        ports: portsToJson(vm?.ports ?? {}),
        vm: vm ? vmSummaryFrom(vm) : null,
        baseline: r.baseline && main ? baselineSection(main, r.baseline) : null,
        syscalls: r.syscalls,
        rootfs: r.rootfs
            ? {
                kind: r.rootfs.kind,
                entries: r.rootfs.manifest.totals.entries,
                bytes: r.rootfs.manifest.totals.fileBytes
            }
            : null,
        artifacts: [],
        error: judged.error,
        startedAt: r.startedAt,
        durationMs: Math.round(r.durationMs),
        tool: { name: TOOL_NAME, version: TOOL_VERSION }
    };
    return { ...partial, summary: summarize(partial) };
}
function baselineSection(main, baseline) {
    const side = (g) => ({ findings: g.findings, passed: g.verdict === 'pass', error: g.errorText });
    const d = differential(side(main), side(baseline));
    return {
        guest: 'linux',
        verdict: baseline.verdict,
        findings: baseline.findings,
        differential: { kind: d.kind, summary: d.summary }
    };
}
function round(n) {
    return n === null ? null : Math.round(n);
}

// Step 4 of a check: the verdict, from what the run saw. Pure: the same record always gives the same
// judgement. `fail` only for what the app did; a mistake in the inputs (exit 2), a machine that could
// not run the check (exit 3) or a probe that could not judge is `error` (docs/probes.md, "Verdict").
function judge(r) {
    const j = judgeRun(r);
    return r.traceFindings?.length ? { ...j, findings: [...j.findings, ...r.traceFindings] } : j;
}
function judgeRun(r) {
    const failure = r.failure ?? r.main?.error;
    let verdict;
    let findings;
    if (r.main) {
        verdict = r.main.verdict;
        findings = [...r.stepFindings, ...r.main.findings];
    }
    else {
        // Without a boot the findings alone decide.
        const pre = computeVerdict({
            probes: [],
            findings: [...r.stepFindings, ...r.preflightFindings],
            allow: r.allow
        });
        verdict = pre.verdict;
        findings = pre.findings;
    }
    if (failure !== undefined) {
        const e = toError(failure);
        const kind = errorKind(e);
        const hint = e instanceof InfrastructureError && e.hint ? { hint: e.hint } : {};
        const configFinding = kind === 'configuration'
            ? [
                {
                    id: 'config.invalid',
                    severity: 'error',
                    line: null,
                    evidence: e.message,
                    detail: e.input ?? null,
                    hint: 'Fix the input or config key named in the message.',
                    source: 'setup'
                }
            ]
            : [];
        return {
            verdict: 'error',
            findings: [...findings, ...configFinding],
            error: { kind, message: e.message, ...hint }
        };
    }
    // The run happened but a probe could not judge (an exit status this kernel does not report).
    if (verdict === 'error' && r.main)
        return { verdict, findings, error: { kind: 'inconclusive', message: r.main.summary } };
    return { verdict, findings, error: null };
}

// The run directory (`--out`, the action's run dir): made before anything else, so a path that can
// never hold the logs is named at once as the input's mistake, and a full disk as the machine's.
// Made one level at a time: Node's recursive mkdir loops forever under /proc (mkdir says ENOENT there).
const FORM = 'a directory this user can write (made when missing)';
async function prepareOutDir(dir, input = 'out') {
    const target = resolve(dir);
    const bad = (why) => new ConfigurationError(input, `Input '${input}' must be ${FORM}, got '${dir}': ${why}`);
    // The nearest part of the path that exists, and what is missing below it.
    const missing = [];
    let existing = target;
    for (;;) {
        let code;
        try {
            if (!(await stat(existing)).isDirectory())
                throw bad(`${existing} is not a directory`);
            break;
        }
        catch (e) {
            if (e instanceof ConfigurationError)
                throw e;
            code = e.code ?? String(e);
        }
        if (code !== 'ENOENT')
            throw bad(`${existing}: ${code}`);
        const up = dirname(existing);
        if (up === existing)
            throw bad('no part of the path exists');
        missing.unshift(existing);
        existing = up;
    }
    for (const d of missing) {
        try {
            await mkdir(d);
        }
        catch (e) {
            const code = e.code;
            if (code === 'EEXIST')
                continue;
            if (code === 'ENOSPC' || code === 'EDQUOT') {
                throw new InfrastructureError(`cannot create ${d}: the disk is full`, 'free some space, or give --out on another disk');
            }
            const why = code === 'EACCES' || code === 'EPERM'
                ? 'permission denied'
                : code === 'EROFS'
                    ? 'read-only file system'
                    : `cannot be created (${code ?? String(e)})`;
            throw bad(`${d}: ${why}`);
        }
    }
    try {
        await access(target, constants.W_OK | constants.X_OK);
    }
    catch {
        throw bad('permission denied');
    }
}

// A named step of a check: announced to the front (progress), grouped in the log, timed once.
/** Runs phases for one check; a signal stops the check between phases (nothing new starts). */
function phaseRunner(deps) {
    return async (name, message, fn) => {
        throwIfInterrupted(deps.signal, name);
        const t0 = deps.clock.now();
        deps.progress?.({ phase: name, state: 'start', message });
        try {
            const value = await deps.logger.group(message, fn);
            const ms = deps.clock.now() - t0;
            deps.progress?.({ phase: name, state: 'done', message, elapsedMs: ms });
            return { value, ms };
        }
        catch (err) {
            deps.progress?.({ phase: name, state: 'failed', message, elapsedMs: deps.clock.now() - t0 });
            throw err;
        }
    };
}

// Compact storage of a trace's calls: a few typed-array slots per call (name, line, pid, outcome,
// where its text is) and the text itself either as offsets into the string that was parsed or as
// bytes in a block arena (trace-file.ts). No object per call: parsing a million calls makes no
// garbage to collect, and memory is about the size of the calls' text. `get(i)` and `toArray()`
// build the TracedCall objects on demand (alignTraces builds only its divergence's two).
/** Arguments longer than this are cut (and end in `…`). */
const ARGS_MAX = 256;
/** An evidence line longer than this keeps its start and its end (` = result`) around a `…`. */
const TEXT_MAX = 320;
/** A returned value longer than this is cut (and ends in `…`). */
const VALUE_MAX = 64;
const TEXT_TAIL = 80;
/** A copy of `s` that shares no memory with the string it was cut from. */
function flat(s) {
    return s.length < 13 ? s : Buffer.from(s, 'utf16le').toString('utf16le');
}
/** `s` cut to `max` characters ending in `…` (never between the halves of a surrogate pair). */
function clipHead(s, max) {
    if (s.length <= max)
        return s;
    let n = max - 1;
    const c = s.charCodeAt(n - 1);
    if (c >= 0xd800 && c <= 0xdbff)
        n--;
    return flat(s.slice(0, n) + '…');
}
/** The evidence line cut to TEXT_MAX: its start and its end (where the result is) around `…`. */
function clipText(s) {
    if (s.length <= TEXT_MAX)
        return s;
    let head = TEXT_MAX - TEXT_TAIL - 1;
    let tail = s.length - TEXT_TAIL;
    const h = s.charCodeAt(head - 1);
    if (h >= 0xd800 && h <= 0xdbff)
        head--;
    const t = s.charCodeAt(tail);
    if (t >= 0xdc00 && t <= 0xdfff)
        tail++;
    return flat(s.slice(0, head) + '…' + s.slice(tail));
}
// ---------------------------------------------------------------------------------------------
// Known system call names, by a hash of their characters (open addressing); a name's slot is its id.
const NAME_SLOTS = 2048;
const nameHashes = new Int32Array(NAME_SLOTS);
/** Name by id (slot); '' for an empty slot. */
const NAMES = (() => {
    const names = new Array(NAME_SLOTS).fill('');
    for (const n of LINUX_SYSCALLS) {
        const h = nameHash(n, 0, n.length);
        let slot = h & (NAME_SLOTS - 1);
        while (names[slot] !== '')
            slot = (slot + 1) & (NAME_SLOTS - 1);
        names[slot] = n;
        nameHashes[slot] = h;
    }
    return names;
})();
/** Ids of names that are not system calls (a caller's own TracedCall) start here. */
const FIRST_OTHER_NAME_ID = NAME_SLOTS;
/** The hash knownName expects: `h = h * 31 + c` over the characters, 32-bit. */
function nameHash(s, a, b) {
    let h = 0;
    for (let i = a; i < b; i++)
        h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    return h;
}
/** The id of the known name at `s[p, p + len)` whose nameHash is `h`, or -1. */
function knownName(s, p, len, h) {
    for (let slot = h & (NAME_SLOTS - 1); NAMES[slot] !== ''; slot = (slot + 1) & (NAME_SLOTS - 1)) {
        const n = NAMES[slot];
        if (nameHashes[slot] === h && n.length === len && s.startsWith(n, p))
            return slot;
    }
    return -1;
}
/** The id of a known system call name, or -1. */
function nameId(name) {
    return knownName(name, 0, name.length, nameHash(name, 0, name.length));
}
// ---------------------------------------------------------------------------------------------
// Outcomes. Errors and `?` are shared (frozen) objects with an index; an `ok` value stays in the
// call's text. Each outcome has a class (outcomeClass in align.ts) as a number: 0 ok, 1 none,
// then one per errno name.
const CLASS_OK = 0;
const CLASS_NONE = 1;
const errnoClasses = new Map();
/** The class of an error outcome with this errno name. */
function errnoClass(errno) {
    let c = errnoClasses.get(errno);
    if (c === undefined)
        errnoClasses.set(errno, (c = errnoClasses.size + 2));
    return c;
}
const ENOSYS_CLASS = errnoClass('ENOSYS');
/** outcomeClass as a number. */
function classOf(o) {
    return o.kind === 'error' ? errnoClass(o.errno) : o.kind === 'none' ? CLASS_NONE : CLASS_OK;
}
const NONE = Object.freeze({ kind: 'none' });
const outcomes = [NONE];
const outcomeClasses = [CLASS_NONE];
/** Shared outcomes are never more than this many (garbage can invent errno names). */
const OUTCOMES_MAX = 16384;
const NONE_INDEX = 0;
const ukIndexes = new Map();
const linuxIndexes = new Map();
function addOutcome(o) {
    if (outcomes.length >= OUTCOMES_MAX)
        return -1;
    outcomes.push(Object.freeze(o));
    outcomeClasses.push(classOf(o));
    return outcomes.length - 1;
}
/** The index of Unikraft's `(-N)` error outcome. */
function ukErrorIndex(code) {
    let i = ukIndexes.get(code);
    if (i === undefined) {
        i = addOutcome({ kind: 'error', errno: errnoName(code), code });
        if (i >= 0)
            ukIndexes.set(code, i);
    }
    return i;
}
/** The index of strace's `-1 ENAME` error outcome, or -1 when the table is full. */
function linuxErrorIndex(errno) {
    let i = linuxIndexes.get(errno);
    if (i === undefined) {
        const name = flat(errno);
        i = addOutcome({ kind: 'error', errno: name, code: errnoCode(name) });
        if (i >= 0)
            linuxIndexes.set(name, i);
    }
    return i;
}
const okValues = new Map();
/** An `ok` outcome; short values (fds, sizes, `0x0`, `OK`) share one object each. */
function okValue(value) {
    if (value.length > 24)
        return { kind: 'ok', value };
    let o = okValues.get(value);
    if (!o) {
        o = Object.freeze({ kind: 'ok', value });
        if (okValues.size < OUTCOMES_MAX)
            okValues.set(value, o);
    }
    return o;
}
// ---------------------------------------------------------------------------------------------
/** Arena blocks: a call's text never straddles two. */
const BLOCK = 1 << 20;
/** Calls per page of slots (pages are added, never copied). */
const PAGE_BITS = 14;
const PAGE = 1 << PAGE_BITS;
const OUTCOME_OK = -1;
const OUTCOME_OBJECT = -2;
class CallStore {
    source;
    n = 0;
    pages = [];
    /** Calls kept whole (what the compact form cannot hold: long or non-ASCII lines, odd results). */
    objects = new Map();
    blocks = [];
    used = BLOCK;
    /**
     * `source`: the text the calls' offsets point into (parseTrace); null: their text is copied into
     * the store's own arena (`add` with bytes).
     */
    constructor(source) {
        this.source = source;
    }
    get length() {
        return this.n;
    }
    /** Bytes held: the slots and the text arena (not `source`, nor the calls kept whole). */
    get bytes() {
        return this.pages.length * PAGE * 36 + this.blocks.length * BLOCK;
    }
    next() {
        if ((this.n & (PAGE - 1)) === 0 && this.n >> PAGE_BITS === this.pages.length) {
            this.pages.push({
                f64: new Float64Array(2 * PAGE),
                i32: new Int32Array(2 * PAGE),
                u16: new Uint16Array(6 * PAGE)
            });
        }
        return this.n++;
    }
    /**
     * A call whose text is `source[at, at + len)` (or, with `bytes`, those bytes, copied), its args
     * and value at offsets in that text. `pid` -1: none. `outcome`: a shared outcome's index, or -1
     * for an ok value. Text at most TEXT_MAX long.
     */
    add(name, line, pid, outcome, bytes, at, len, argsAt, argsLen, valueAt, valueLen) {
        const i = this.next();
        const page = this.pages[i >> PAGE_BITS];
        const j = i & (PAGE - 1);
        if (bytes) {
            if (this.used + len > BLOCK) {
                this.blocks.push(Buffer.allocUnsafeSlow(BLOCK));
                this.used = 0;
            }
            const block = this.blocks[this.blocks.length - 1];
            const used = this.used;
            if (len < 64)
                for (let k = 0; k < len; k++)
                    block[used + k] = bytes[at + k];
            else
                bytes.copy(block, used, at, at + len);
            page.f64[2 * j + 1] = (this.blocks.length - 1) * BLOCK + used;
            this.used = used + len;
        }
        else
            page.f64[2 * j + 1] = at;
        page.f64[2 * j] = line;
        page.i32[2 * j] = pid;
        page.i32[2 * j + 1] = outcome;
        const u = page.u16;
        const k = 6 * j;
        u[k] = name;
        u[k + 1] = len;
        u[k + 2] = argsAt;
        u[k + 3] = argsLen;
        u[k + 4] = valueAt;
        u[k + 5] = valueLen;
    }
    /** A shared outcome by its index. */
    sharedOutcome(index) {
        return outcomes[index];
    }
    /** A call kept whole. */
    addObject(call) {
        const i = this.next();
        this.pages[i >> PAGE_BITS].i32[2 * (i & (PAGE - 1)) + 1] = OUTCOME_OBJECT;
        this.objects.set(i, call);
    }
    outcomeAt(i) {
        return this.pages[i >> PAGE_BITS].i32[2 * (i & (PAGE - 1)) + 1];
    }
    /** The name's id (NAMES); for a call kept whole whose name is not a system call, -1. */
    nameId(i) {
        const page = this.pages[i >> PAGE_BITS];
        const j = i & (PAGE - 1);
        if (page.i32[2 * j + 1] !== OUTCOME_OBJECT)
            return page.u16[6 * j];
        return nameId(this.objects.get(i).name);
    }
    name(i) {
        const id = this.nameId(i);
        return id >= 0 ? NAMES[id] : this.objects.get(i).name;
    }
    /** outcomeClass of call i as a number (classOf). */
    outcomeClass(i) {
        const o = this.outcomeAt(i);
        if (o >= 0)
            return outcomeClasses[o];
        return o === OUTCOME_OK ? CLASS_OK : classOf(this.objects.get(i).outcome);
    }
    outcome(i) {
        const o = this.outcomeAt(i);
        if (o >= 0)
            return outcomes[o];
        if (o === OUTCOME_OBJECT)
            return this.objects.get(i).outcome;
        const u = this.pages[i >> PAGE_BITS].u16;
        const k = 6 * (i & (PAGE - 1));
        return okValue(clipHead(this.piece(i, u[k + 4], u[k + 5]), VALUE_MAX));
    }
    /** `len` characters of call i's text from `from`. */
    piece(i, from, len) {
        const at = this.pages[i >> PAGE_BITS].f64[2 * (i & (PAGE - 1)) + 1] + from;
        if (this.source !== null)
            return this.source.slice(at, at + len);
        const block = this.blocks[Math.floor(at / BLOCK)];
        const off = at % BLOCK;
        return block.toString('latin1', off, off + len);
    }
    /** Call i as a TracedCall (a new object each time, but for calls kept whole). */
    get(i) {
        const page = this.pages[i >> PAGE_BITS];
        const j = i & (PAGE - 1);
        const o = page.i32[2 * j + 1];
        if (o === OUTCOME_OBJECT)
            return this.objects.get(i);
        const u = page.u16;
        const k = 6 * j;
        const text = this.piece(i, 0, u[k + 1]);
        const args = u[k + 3] === 0 ? '' : clipHead(text.slice(u[k + 2], u[k + 2] + u[k + 3]), ARGS_MAX);
        const outcome = o >= 0 ? outcomes[o] : okValue(clipHead(text.slice(u[k + 4], u[k + 4] + u[k + 5]), VALUE_MAX));
        const pid = page.i32[2 * j];
        return { name: NAMES[u[k]], args, outcome, line: page.f64[2 * j], text, pid: pid < 0 ? null : pid };
    }
    toArray() {
        const out = new Array(this.n);
        for (let i = 0; i < this.n; i++)
            out[i] = this.get(i);
        return out;
    }
}

// Aligns the Linux baseline's trace with Unikraft's and finds the first system call where they
// differ in a way that matters. Both sides run the same binary with the same arguments, so their
// sequences match call by call except for start-up noise (the loader's work, glibc's probes, calls
// one kernel makes and the other does not). Alignment walks both sequences together and, where the
// names part, looks ahead a bounded window for the nearest common call: linear in the trace length
// (times the window), never quadratic, so two 100 000-call traces align in well under a second.
// It reads names and outcome classes as numbers (from a CallStore without building any object);
// only the divergence's two calls become TracedCall objects.
/** How far ahead the walk looks for the next common call when the names part. */
const WINDOW = 48;
/** Divergences kept (distinct by call, outcome and path); a trace's first ones are the telling ones. */
const MAX_DIVERGENCES = 64;
/** Differing calls looked at (each builds two objects) before the walk stops collecting. */
const MAX_EXAMINED = 4096;
/**
 * Paths the C library probes at every start and does without: a difference there is start-up
 * noise, not the app's. glibc reads the online CPUs from /sys (get_nprocs, malloc's arenas) and
 * falls back to sched_getaffinity; it asks nscd over a Unix socket before reading /etc/passwd.
 */
const NOISE_PATHS = [
    '/sys/devices/system/cpu/online',
    '/sys/devices/system/cpu/possible',
    '/sys/devices/system/cpu',
    '/proc/sys/vm/overcommit_memory',
    '/proc/sys/kernel/rtsig-max',
    '/var/run/nscd/socket',
    '/run/nscd/socket'
];
/** The first quoted argument of a call (its path, for open/stat/connect...), if any. */
function pathArgument(args) {
    const m = /"((?:[^"\\]|\\.)*)"/.exec(args);
    return m ? m[1] : null;
}
/**
 * Start-up noise: a probe of the C library (NOISE_PATHS), or glibc's nscd client socket
 * (socket(AF_UNIX) that Linux then connects to nscd's path and Unikraft refuses).
 */
function isNoise(a, nextLinux) {
    const path = pathArgument(a.args);
    if (path !== null && NOISE_PATHS.includes(path))
        return true;
    if (a.name === 'socket' && /^(AF_UNIX|AF_LOCAL|1)\b/.test(a.args) && nextLinux?.name === 'connect') {
        const to = pathArgument(nextLinux.args);
        return to !== null && NOISE_PATHS.includes(to);
    }
    return false;
}
/**
 * The divergence that matters among those found (in trace order). An app that passed: the first.
 * One that failed: where Unikraft stopped on its own (crash, exit), the last before the stop, the
 * closest to it; where it ran on until stopped (a request failing each time, a retry loop), the one
 * Unikraft repeated most, the earliest on a tie.
 */
function pickDivergence(found, o) {
    if (found.length === 0)
        return null;
    if (!o.appFailed)
        return found[0];
    if (o.unikraftStopped)
        return found[found.length - 1];
    return found.reduce((best, d) => (d.repeats > best.repeats ? d : best), found[0]);
}
function describeOutcome(o) {
    if (o.kind === 'error')
        return o.code !== null ? `${o.errno} (-${o.code})` : o.errno;
    return o.kind === 'none' ? '? (does not return)' : o.value;
}
/** Calls whose difference is no incompatibility: glibc probes and tolerates them, or the kernel's own loader. */
function ignorable(name) {
    return TOLERATED_SYSCALLS.has(name) || name === 'execve';
}
function sideOf(source, others) {
    const idOf = (name) => {
        const id = nameId(name);
        if (id >= 0)
            return id;
        let v = others.get(name);
        if (v === undefined)
            others.set(name, (v = FIRST_OTHER_NAME_ID + others.size));
        return v;
    };
    const store = source instanceof CallStore ? source : Array.isArray(source) ? null : source.store;
    if (store) {
        const n = store.length;
        const ids = new Int32Array(n);
        const classes = new Int32Array(n);
        for (let i = 0; i < n; i++) {
            const id = store.nameId(i);
            ids[i] = id >= 0 ? id : idOf(store.name(i));
            classes[i] = store.outcomeClass(i);
        }
        return { ids, classes, name: i => store.name(i), get: i => store.get(i) };
    }
    const calls = Array.isArray(source) ? source : source.calls;
    const ids = new Int32Array(calls.length);
    const classes = new Int32Array(calls.length);
    for (let i = 0; i < calls.length; i++) {
        ids[i] = idOf(calls[i].name);
        classes[i] = classOf(calls[i].outcome);
    }
    return { ids, classes, name: i => calls[i].name, get: i => calls[i] };
}
function alignTraces(linuxCalls, unikraftCalls, o) {
    const others = new Map();
    const linux = sideOf(linuxCalls, others);
    const unikraft = sideOf(unikraftCalls, others);
    const L = linux.ids;
    const U = unikraft.ids;
    // Which name ids are ignorable, and a scratch table (first offset of a name in Unikraft's window).
    const idCount = FIRST_OTHER_NAME_ID + others.size;
    const skip = new Uint8Array(idCount);
    for (let id = 0; id < NAMES.length; id++)
        if (NAMES[id] !== '' && ignorable(NAMES[id]))
            skip[id] = 1;
    for (const [name, id] of others)
        if (ignorable(name))
            skip[id] = 1;
    const firstInWindow = new Int32Array(idCount).fill(-1);
    let i = 0;
    let j = 0;
    let matched = 0;
    const found = [];
    const seen = new Set();
    let examined = 0;
    while (i < L.length && j < U.length) {
        if (L[i] === U[j]) {
            matched++;
            if (skip[L[i]] === 0 &&
                linux.classes[i] !== unikraft.classes[j] &&
                found.length < MAX_DIVERGENCES &&
                examined++ < MAX_EXAMINED) {
                const a = linux.get(i);
                const b = unikraft.get(j);
                const path = pathArgument(a.args);
                const ukPath = pathArgument(b.args);
                // The same call on other paths is the walk pairing two different opens, not a difference.
                const otherPath = path !== null && ukPath !== null && path !== ukPath;
                const key = `${a.name}\0${unikraft.classes[j]}\0${path ?? ''}`;
                if (!otherPath && !seen.has(key) && !isNoise(a, i + 1 < L.length ? linux.get(i + 1) : null)) {
                    found.push({
                        kind: 'same-call',
                        syscall: a.name,
                        // strace decodes arguments (IPPROTO_TCP, TCP_CORK); the shim prints numbers.
                        args: a.args || b.args,
                        linux: describeOutcome(a.outcome),
                        unikraft: describeOutcome(b.outcome),
                        linuxIndex: i,
                        unikraftIndex: j,
                        evidence: { linux: a, unikraft: b },
                        repeats: 0
                    });
                }
                seen.add(key);
            }
            i++;
            j++;
            continue;
        }
        // Nearest common call within the window: smallest k + l with L[i+k] === U[j+l] (then smallest
        // k), from the first offset of each name in U's window: O(WINDOW), not O(WINDOW²).
        const lMax = Math.min(WINDOW - 1, U.length - 1 - j);
        const kMax = Math.min(WINDOW - 1, L.length - 1 - i);
        for (let l = lMax; l >= 0; l--)
            firstInWindow[U[j + l]] = l;
        let best = Infinity;
        let bestK = 0;
        let bestL = 0;
        for (let k = 0; k <= kMax && k < best; k++) {
            const l = firstInWindow[L[i + k]];
            if (l >= 0 && k + l < best) {
                best = k + l;
                bestK = k;
                bestL = l;
            }
        }
        for (let l = 0; l <= lMax; l++)
            firstInWindow[U[j + l]] = -1;
        if (best !== Infinity) {
            i += bestK;
            j += bestL;
        }
        else {
            i++;
            j++;
        }
    }
    // Unikraft stopped (crashed, aborted) where Linux went on: the first call it never reached.
    if (found.length === 0 && o.unikraftStopped && j >= U.length && i < L.length) {
        while (i < L.length && skip[L[i]] === 1)
            i++;
        if (i < L.length) {
            const a = linux.get(i);
            found.push({
                kind: 'unreached',
                syscall: a.name,
                args: a.args,
                linux: describeOutcome(a.outcome),
                unikraft: null,
                linuxIndex: i,
                unikraftIndex: null,
                evidence: { linux: a, unikraft: null },
                repeats: 0
            });
        }
    }
    // How often Unikraft made each divergent call with the same outcome (one pass over its classes).
    // Keys are numbers (name id and outcome class packed): no string per call on long traces.
    const keyAt = (k) => U[k] * 0x10000 + (unikraft.classes[k] & 0xffff);
    const wanted = new Map();
    for (const d of found) {
        if (d.unikraftIndex === null)
            continue;
        const k = keyAt(d.unikraftIndex);
        wanted.set(k, [...(wanted.get(k) ?? []), d]);
    }
    if (wanted.size > 0) {
        for (let k = 0; k < U.length; k++) {
            const ds = wanted.get(keyAt(k));
            if (ds)
                for (const d of ds)
                    d.repeats++;
        }
    }
    const divergence = pickDivergence(found, {
        appFailed: o.appFailed ?? false,
        unikraftStopped: o.unikraftStopped
    });
    const unsupported = enosysCalls(unikraft);
    return { matched, divergence, divergences: found, unsupported };
}
/** Every call a side answered ENOSYS, with how often, in order of the first; glibc's probes marked tolerated. */
function unsupportedCalls(source) {
    return enosysCalls(sideOf(source, new Map()));
}
function enosysCalls(side) {
    const counts = new Map();
    for (let k = 0; k < side.classes.length; k++) {
        if (side.classes[k] === ENOSYS_CLASS) {
            const name = side.name(k);
            counts.set(name, (counts.get(name) ?? 0) + 1);
        }
    }
    return [...counts].map(([syscall, count]) => ({
        syscall,
        count,
        tolerated: TOLERATED_SYSCALLS.has(syscall)
    }));
}

// The reference reader of one trace line, of either tracer: Unikraft's syscall shim (`name(args) =
// result`, possibly glued to app output) and Linux's `strace -f` (`[pid] name(args) = result`).
// Regular expressions, clear rather than fast: the scanner (call-scanner.ts) reads the common line
// itself and hands every other candidate line here, so both always give the same answer.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g;
/** A call's start: a known system call name and `(`, anywhere on the line (app output may precede it). */
const CALL_START = /([a-z_][a-z0-9_]{1,30})\(/g;
/** A line that starts like a call: counted as unreadable when it does not parse. */
const CALL_LIKE = /^\s*(?:\[pid\s+\d+\]\s+|\d+\s+)?[a-z_0-9]+\(/;
/** `Function not implemented (-38)`, `-1 ENOENT (No such file or directory)`, `0x0`, `OK`, `?`. */
function readOutcome(result) {
    const r = result.trim();
    if (r === '?')
        return { kind: 'none' };
    // Plain values (most calls): a number, 0x..., OK, va:0x...
    if (/^(?:0x[0-9a-f]+|\d+|OK|va:0x[0-9a-f]+)$/.test(r))
        return okValue(clipHead(r, VALUE_MAX));
    const uk = /\(-(\d{1,4})\)$/.exec(r);
    if (uk)
        return { kind: 'error', errno: errnoName(Number(uk[1])), code: Number(uk[1]) };
    const linux = /^-1 (E[A-Z0-9]+)\b/.exec(r);
    if (linux) {
        return { kind: 'error', errno: linux[1], code: errnoCode(linux[1]) };
    }
    if (/^-\d+ E[A-Z]/.test(r))
        return null;
    return r === '' ? null : okValue(clipHead(r.split(/\s+\(/)[0], VALUE_MAX));
}
/**
 * One traced call from a line of either tracer, or null. The call is the last known system call
 * name on the line whose `(...) = result` closes it, so app output printed without a newline before
 * it (`hellowrite(fd:1, ...) = 6`) does not hide it.
 */
const RESUMED = /^<\.\.\. ([a-z_][a-z0-9_]*) resumed>\s*(.*)$/;
function parseCallLine(raw, line) {
    let text = raw;
    if (text.includes('\x1b'))
        text = text.replace(ANSI, '');
    if (text.includes('\r'))
        text = text.replace(/\r/g, '');
    let pid = null;
    const c0 = text.charCodeAt(0);
    if (c0 === 91 /* [ */ || (c0 >= 48 && c0 <= 57)) {
        const pidPrefix = /^(?:\[pid\s+(\d+)\]|(\d+))\s+/.exec(text);
        if (pidPrefix) {
            pid = Number(pidPrefix[1] ?? pidPrefix[2]);
            text = text.slice(pidPrefix[0].length);
        }
    }
    // strace -f splits a call another thread interrupted: `name(args <unfinished ...>`, later
    // `<... name resumed>rest) = result`. The call is read from its second half (name, the rest of
    // its arguments after an ellipsis, the result); the first half has no result and is skipped.
    const resumed = RESUMED.exec(text);
    if (resumed)
        text = `${resumed[1]}(…${resumed[2]}`;
    const eq = text.lastIndexOf(' = ');
    if (eq < 0)
        return null;
    let start = -1;
    let name = '';
    // The common case: the line starts with the call.
    const paren = text.indexOf('(');
    if (paren > 0 && paren < eq && LINUX_SYSCALLS.has(text.slice(0, paren))) {
        start = 0;
        name = text.slice(0, paren);
    }
    CALL_START.lastIndex = 0;
    for (let m = start < 0 ? CALL_START.exec(text) : null; m && m.index < eq && start < 0; m = CALL_START.exec(text)) {
        // The name may have app output glued before it (`hellowrite(`): its longest known suffix.
        for (let k = 0; k < m[1].length - 2; k++) {
            if (LINUX_SYSCALLS.has(m[1].slice(k))) {
                start = m.index + k;
                name = m[1].slice(k);
                break;
            }
        }
    }
    if (start < 0)
        return null;
    const close = text.lastIndexOf(')', eq);
    if (close < start + name.length)
        return null;
    let outcome = readOutcome(text.slice(eq + 3));
    if (!outcome)
        return null;
    let args = clipHead(text.slice(start + name.length + 1, close).trim(), ARGS_MAX);
    let evidence = clipText(text.slice(start).trim());
    // A long line (app output before the call): keep no slice of it alive.
    if (raw.length > TEXT_MAX) {
        args = flat(args);
        evidence = flat(evidence);
        if (outcome.kind === 'ok')
            outcome = okValue(flat(outcome.value));
        else if (outcome.kind === 'error')
            outcome = { ...outcome, errno: flat(outcome.errno) };
    }
    return { name: NAMES[nameId(name)], args, outcome, line, text: evidence, pid };
}

// The trace scanner: reads lines of text (a string, or bytes read as Latin-1) into a CallStore,
// the hot loop behind parseTrace and parseTraceFile, kept in one module.
//
// Speed: the scanner walks the text with indexOf and charCodeAt, never slices a line that is not a
// call, and reads the common line (`[pid] name(args) = result`, nothing else on it) without a
// regular expression or an allocation; every other candidate line goes through `parseCallLine`
// (call-line.ts), the reference. trace-file.ts feeds the same scanner bytes read in chunks (a file
// of any size).
/** JavaScript's `\s` (what `trim` removes). */
function isSpace(c) {
    if (c === 32 || (c >= 9 && c <= 13))
        return true;
    if (c < 160)
        return false;
    return (c === 160 ||
        c === 5760 ||
        (c >= 8192 && c <= 8202) ||
        c === 8232 ||
        c === 8233 ||
        c === 8239 ||
        c === 8287 ||
        c === 12288 ||
        c === 65279);
}
const isDigit = (c) => c >= 48 && c <= 57;
const NOWHERE = Number.MAX_SAFE_INTEGER;
/** NOWHERE for indexOf's -1. */
const at = (i) => (i < 0 ? NOWHERE : i);
const HIGH = /[\x80-\xff]/g;
/**
 * Reads the lines handed to it, in order, into a CallStore: from the string parseTrace was given
 * (the store keeps offsets into it), or from bytes read as Latin-1 (trace-file.ts: the store copies
 * the calls' bytes, so no chunk stays in memory).
 */
class CallScanner {
    maxCalls;
    store;
    unreadable = 0;
    truncated = false;
    /** Lines that were not valid UTF-8 (byte input only). */
    binaryLines = 0;
    /** Lines begun so far (the line number of the line being read). */
    line = 0;
    // Next index (at or after the current line) of ' = ', '(', '\r', ESC, a byte ≥ 0x80 in the
    // string being scanned: each search runs once over the text, not once per line.
    nextEq = -1;
    nextParen = -1;
    nextCr = -1;
    nextEsc = -1;
    nextHigh = -1;
    nextResumed = -1;
    // What fast() read from a line: positions in its string, the name, pid and outcome.
    p = 0;
    paren = 0;
    close = 0;
    ra = 0;
    rb = 0;
    vb = 0;
    pid = -1;
    name = 0;
    outcome = 0;
    /** `source`: the string parseTrace scans (calls are kept as offsets into it); null for bytes. */
    constructor(maxCalls, source) {
        this.maxCalls = maxCalls;
        this.store = new CallStore(source);
    }
    /**
     * Reads the lines of `s[from, to)`: each ends at a `\n`; with `final`, so does the text after the
     * last one (the last line of the input). Without `final` the text after the last `\n` is ignored
     * (the caller passes only whole lines). `src`: the bytes `s` was decoded from as Latin-1 (offset
     * 0 is `s[0]`). Returns false once maxCalls is reached (truncated).
     */
    scan(s, from, to, final, src) {
        this.nextEq = this.nextParen = this.nextCr = this.nextEsc = this.nextHigh = this.nextResumed = -1;
        let pos = from;
        for (;;) {
            let nl = s.indexOf('\n', pos);
            if (nl < 0 || nl >= to) {
                if (!final)
                    return true;
                nl = to;
            }
            this.line++;
            const a = pos;
            pos = nl + 1;
            if (src && !src.utf8 && !isUtf8(src.bytes.subarray(a, nl)))
                this.binaryLines++;
            // Cheap filter first: a call line has ` = ` and `(`.
            if (nl - a >= 6) {
                if (this.nextEq < a)
                    this.nextEq = at(s.indexOf(' = ', a));
                if (this.nextEq + 3 <= nl) {
                    if (this.nextParen < a)
                        this.nextParen = at(s.indexOf('(', a));
                    if (this.nextParen < nl) {
                        if (!this.candidate(s, a, nl, src))
                            return false;
                    }
                    else {
                        // The second half of a call strace split (`<... read resumed>"x", 1) = 1`): no `(`.
                        if (this.nextResumed < a)
                            this.nextResumed = at(s.indexOf(' resumed>', a));
                        if (this.nextResumed < nl) {
                            const raw = src ? src.bytes.toString(src.ascii ? 'latin1' : 'utf8', a, nl) : s.slice(a, nl);
                            if (!this.general(raw))
                                return false;
                        }
                    }
                }
            }
            if (nl >= to)
                return true;
        }
    }
    /** A line with ` = ` and `(`. False once maxCalls is reached. */
    candidate(s, a, b, src) {
        if (src && !src.ascii) {
            if (this.nextHigh < a) {
                HIGH.lastIndex = a;
                this.nextHigh = HIGH.exec(s)?.index ?? NOWHERE;
            }
            // Not ASCII: the line is its UTF-8 decoding, read on its own (kept whole if a call).
            if (this.nextHigh < b) {
                const line = src.bytes.toString('utf8', a, b);
                const saved = [this.nextEq, this.nextParen, this.nextCr, this.nextEsc];
                this.nextEq = this.nextCr = this.nextEsc = -1;
                const r = this.fast(line, 0, line.length) ? this.keep(line, null, true) : this.general(line);
                [this.nextEq, this.nextParen, this.nextCr, this.nextEsc] = saved;
                return r;
            }
        }
        if (this.fast(s, a, b))
            return this.keep(s, src ? src.bytes : null, false);
        return this.general(src ? src.bytes.toString('latin1', a, b) : s.slice(a, b));
    }
    /** A line the fast path does not read: the reference parser decides. */
    general(raw) {
        const call = parseCallLine(raw, this.line);
        if (!call) {
            if (CALL_LIKE.test(raw))
                this.unreadable++;
            return true;
        }
        if (this.store.length >= this.maxCalls) {
            this.truncated = true;
            return false;
        }
        this.store.addObject(call);
        return true;
    }
    /** Stores what fast() read from `s` (`bytes`: its bytes); `whole`: as an object. */
    keep(s, bytes, whole) {
        const store = this.store;
        if (store.length >= this.maxCalls) {
            this.truncated = true;
            return false;
        }
        const { p, paren, close, ra, rb, vb, outcome } = this;
        let aa = paren + 1;
        let ab = close;
        while (aa < ab && isSpace(s.charCodeAt(aa)))
            aa++;
        while (ab > aa && isSpace(s.charCodeAt(ab - 1)))
            ab--;
        const long = rb - p > TEXT_MAX;
        if (!whole && !long && outcome !== -2 && (bytes !== null || s === store.source)) {
            store.add(this.name, this.line, this.pid, outcome, bytes, p, rb - p, aa - p, ab - aa, ra - p, vb - ra);
            return true;
        }
        // Kept whole: fresh strings (from the bytes, or flattened when cut from a long line).
        const full = bytes ? bytes.toString('latin1', p, rb) : s.slice(p, rb);
        const cut = (x, y, max) => {
            const piece = clipHead(full.slice(x - p, y - p), max);
            return long ? flat(piece) : piece;
        };
        const o = outcome >= 0
            ? store.sharedOutcome(outcome)
            : outcome === -1
                ? okValue(cut(ra, vb, VALUE_MAX))
                : { kind: 'error', errno: flat(s.slice(ra + 3, vb)), code: errnoCode(s.slice(ra + 3, vb)) };
        store.addObject({
            name: NAMES[this.name],
            args: aa === ab ? '' : cut(aa, ab, ARGS_MAX),
            outcome: o,
            line: this.line,
            text: long ? clipText(full) : full,
            pid: this.pid < 0 ? null : this.pid
        });
        return true;
    }
    /**
     * Reads the common line without regular expressions: `[pid N] ` or `N ` or nothing, a known
     * name, `(args)`, ` = `, a result, nothing else (no ANSI, no CR but trailing ones). False when
     * the line is anything else: parseCallLine then decides (the same answer, slower).
     */
    fast(s, a, b) {
        let end = b;
        while (end > a && s.charCodeAt(end - 1) === 13)
            end--;
        if (this.nextCr < a)
            this.nextCr = at(s.indexOf('\r', a));
        if (this.nextCr < end)
            return false;
        if (this.nextEsc < a)
            this.nextEsc = at(s.indexOf('\x1b', a));
        if (this.nextEsc < b)
            return false;
        // `[pid N] ` (strace -f, several processes) or `N ` (strace -f -o file).
        let p = a;
        let pid = -1;
        let c = s.charCodeAt(p);
        if (c === 91 /* [ */) {
            if (!s.startsWith('[pid', p))
                return false;
            let q = p + 4;
            while (q < end && isSpace(s.charCodeAt(q)))
                q++;
            if (q === p + 4)
                return false;
            const d = q;
            while (q < end && isDigit(s.charCodeAt(q)))
                q++;
            if (q === d || q - d > 9 || s.charCodeAt(q) !== 93 /* ] */)
                return false;
            if (q + 1 >= end || !isSpace(s.charCodeAt(q + 1)))
                return false;
            pid = digits(s, d, q);
            p = q + 1;
            while (p < end && isSpace(s.charCodeAt(p)))
                p++;
        }
        else if (isDigit(c)) {
            let q = p;
            while (q < end && isDigit(s.charCodeAt(q)))
                q++;
            if (q - p > 9 || q >= end || !isSpace(s.charCodeAt(q)))
                return false;
            pid = digits(s, p, q);
            p = q;
            while (p < end && isSpace(s.charCodeAt(p)))
                p++;
        }
        // The name, right at the start, and its `(`.
        let h = 0;
        let q = p;
        while (q < end) {
            c = s.charCodeAt(q);
            if ((c >= 97 && c <= 122) || isDigit(c) || c === 95) {
                h = (Math.imul(h, 31) + c) | 0;
                q++;
            }
            else
                break;
        }
        if (q === p || q - p > 40 || c !== 40 /* ( */ || q >= end)
            return false;
        const name = knownName(s, p, q - p, h);
        if (name < 0)
            return false;
        const paren = q;
        // The last ` = ` of the line (nextEq is its first).
        let eq = this.nextEq;
        for (;;) {
            const n = s.indexOf(' = ', eq + 1);
            if (n < 0 || n + 3 > end) {
                this.nextEq = at(n);
                break;
            }
            eq = n;
        }
        if (eq <= paren || eq + 3 > end)
            return false;
        let close = eq - 1;
        while (close > paren && s.charCodeAt(close) !== 41 /* ) */)
            close--;
        if (close === paren)
            return false;
        // The result, trimmed.
        let ra = eq + 3;
        let rb = end;
        while (ra < rb && isSpace(s.charCodeAt(ra)))
            ra++;
        while (rb > ra && isSpace(s.charCodeAt(rb - 1)))
            rb--;
        if (ra === rb)
            return false;
        let outcome;
        let vb = rb;
        c = s.charCodeAt(ra);
        const uk = ukErrorCode(s, ra, rb);
        if (rb - ra === 1 && c === 63 /* ? */)
            outcome = NONE_INDEX;
        else if (uk >= 0) {
            outcome = ukErrorIndex(uk);
            if (outcome < 0)
                return false;
        }
        else if (c === 45 /* - */) {
            // `-1 ENOENT (No such file or directory)`; any other negative result: the reference decides.
            if (rb - ra < 5 || s.charCodeAt(ra + 1) !== 49 || s.charCodeAt(ra + 2) !== 32)
                return false;
            if (s.charCodeAt(ra + 3) !== 69 /* E */)
                return false;
            let k = ra + 4;
            while (k < rb && (isDigit((c = s.charCodeAt(k))) || (c >= 65 && c <= 90)))
                k++;
            if (k === ra + 4 || k - ra > 40)
                return false;
            if (k < rb && ((c >= 97 && c <= 122) || c === 95))
                return false;
            outcome = linuxErrorIndex(s.slice(ra + 3, k));
            if (outcome < 0) {
                outcome = -2; // a new errno name past the table's bound: the call is kept whole
                vb = k;
            }
        }
        else {
            // A value, up to any ` (comment)`: `0 (Timeout)`.
            outcome = -1;
            for (let k = ra + 1; k < rb; k++) {
                if (s.charCodeAt(k) === 40 /* ( */ && isSpace(s.charCodeAt(k - 1))) {
                    vb = k - 1;
                    while (vb > ra && isSpace(s.charCodeAt(vb - 1)))
                        vb--;
                    break;
                }
            }
        }
        this.p = p;
        this.paren = paren;
        this.close = close;
        this.ra = ra;
        this.rb = rb;
        this.vb = vb;
        this.pid = pid;
        this.name = name;
        this.outcome = outcome;
        return true;
    }
}
/** The decimal number `s[a, b)` (at most 9 digits). */
function digits(s, a, b) {
    let v = 0;
    for (let i = a; i < b; i++)
        v = v * 10 + s.charCodeAt(i) - 48;
    return v;
}
/** N of a result ending in `(-N)` (1 to 4 digits: Unikraft's `Function not implemented (-38)`), else -1. */
function ukErrorCode(s, ra, rb) {
    if (s.charCodeAt(rb - 1) !== 41 /* ) */)
        return -1;
    let k = rb - 2;
    while (k >= ra && k > rb - 7 && isDigit(s.charCodeAt(k)))
        k--;
    const n = rb - 2 - k;
    if (n < 1 || n > 4 || k - 1 < ra)
        return -1;
    if (s.charCodeAt(k) !== 45 /* - */ || s.charCodeAt(k - 1) !== 40 /* ( */)
        return -1;
    return digits(s, k + 1, rb - 1);
}

/** The ParsedTrace of a scanner's calls (with `more` fields); `calls` is built on first use. */
function parsedTrace(scanner, more) {
    const store = scanner.store;
    let calls = null;
    const r = {};
    Object.defineProperty(r, 'calls', {
        enumerable: true,
        configurable: true,
        get: () => (calls ??= store.toArray()),
        // Calls set by hand replace the store's (which would no longer say the same).
        set: (v) => {
            calls = v;
            r.store = undefined;
        }
    });
    r.unreadable = scanner.unreadable;
    r.truncated = scanner.truncated;
    Object.assign(r, more);
    Object.defineProperty(r, 'store', { value: store, enumerable: false, writable: true, configurable: true });
    return r;
}

// A trace of any size read with bounded memory: bytes in chunks (a console log of the Unikraft
// trace kernel, strace's output file), lines carried across chunks as bytes (so a chunk may end in
// the middle of a line or of a UTF-8 character), at most `maxBytes` read, and garbage (binary,
// invalid UTF-8, NULs) counted, never thrown. The calls are those parseTrace finds in the same text
// decoded as UTF-8, with the same line numbers; only the calls' bytes are kept (CallStore).
/** The default maxBytes. */
const TRACE_MAX_BYTES = 64 * 1024 * 1024;
/** A line longer than this is read by its last LINE_MAX bytes (a call sits at the end of its line). */
const LINE_MAX = 256 * 1024;
const CHUNK = 1024 * 1024;
/**
 * Streaming parse of a trace's bytes: `push` chunks in order (any sizes, any boundaries), then
 * `end` once. Never throws on content; memory is the calls kept plus one line (LINE_MAX at most).
 */
class TraceParser {
    scanner;
    maxBytes;
    carry = Buffer.alloc(0);
    carryLen = 0;
    bytesRead = 0;
    truncatedBy = null;
    ended = false;
    constructor(opts = {}) {
        this.scanner = new CallScanner(opts.maxCalls ?? 1_000_000, null);
        this.maxBytes = Math.max(0, opts.maxBytes ?? TRACE_MAX_BYTES);
    }
    /** False once reading has stopped (a limit reached): later chunks are ignored. */
    get reading() {
        return this.truncatedBy === null && !this.ended;
    }
    /** Bytes that may still be read before the limit. */
    get room() {
        return this.maxBytes - this.bytesRead;
    }
    /** The next bytes of the trace; returns `reading`. */
    push(chunk) {
        if (!this.reading || chunk.length === 0)
            return this.reading;
        let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        const room = this.maxBytes - this.bytesRead;
        const over = buf.length > room;
        if (over)
            buf = buf.subarray(0, room);
        this.bytesRead += buf.length;
        if (!this.lines(buf))
            this.truncatedBy = 'maxCalls';
        else if (over)
            this.truncatedBy = 'maxBytes';
        return this.reading;
    }
    /** The whole lines of buf (the first one completing the carried line); the rest is carried. */
    lines(buf) {
        let start = 0;
        if (this.carryLen > 0) {
            const nl = buf.indexOf(10);
            if (nl < 0) {
                this.toCarry(buf);
                return true;
            }
            this.toCarry(buf.subarray(0, nl + 1));
            const line = this.carry.subarray(0, this.carryLen);
            this.carryLen = 0;
            if (!this.region(line, false))
                return false;
            start = nl + 1;
        }
        const last = buf.lastIndexOf(10);
        if (last >= start) {
            if (!this.region(buf.subarray(start, last + 1), false))
                return false;
            start = last + 1;
        }
        if (start < buf.length)
            this.toCarry(buf.subarray(start));
        return true;
    }
    /** Appends to the carried (unfinished) line, keeping its last LINE_MAX bytes. */
    toCarry(piece) {
        if (piece.length >= LINE_MAX) {
            this.carry = this.carry.length >= LINE_MAX ? this.carry : Buffer.allocUnsafe(LINE_MAX);
            piece.copy(this.carry, 0, piece.length - LINE_MAX);
            this.carryLen = LINE_MAX;
            return;
        }
        let len = this.carryLen;
        if (len + piece.length > LINE_MAX) {
            // Drop the line's oldest bytes.
            const keep = LINE_MAX - piece.length;
            this.carry.copy(this.carry, 0, len - keep, len);
            len = keep;
        }
        if (len + piece.length > this.carry.length) {
            const bigger = Buffer.allocUnsafe(Math.min(LINE_MAX, Math.max(4096, 2 * (len + piece.length))));
            this.carry.copy(bigger, 0, 0, len);
            this.carry = bigger;
        }
        piece.copy(this.carry, len);
        this.carryLen = len + piece.length;
    }
    /** Reads bytes made of whole lines (`final`: the last line may lack its `\n`). */
    region(bytes, final) {
        const ascii = isAscii(bytes);
        const src = { bytes, ascii, utf8: ascii || isUtf8(bytes) };
        const s = bytes.toString('latin1');
        return this.scanner.scan(s, 0, s.length, final, src);
    }
    /** The trace read; `fileBytes` when the caller knows the whole size. */
    end(fileBytes = null) {
        if (!this.ended) {
            this.ended = true;
            // The last line, unless the byte limit cut it.
            if (this.truncatedBy === null && this.carryLen > 0) {
                if (!this.region(this.carry.subarray(0, this.carryLen), true))
                    this.truncatedBy = 'maxCalls';
            }
            this.carryLen = 0;
            this.carry = Buffer.alloc(0);
        }
        const s = this.scanner;
        const result = parsedTrace(s, {
            bytesRead: this.bytesRead,
            fileBytes,
            truncatedBy: this.truncatedBy,
            lines: s.line,
            binaryLines: s.binaryLines,
            error: null,
            notes: []
        });
        result.truncated = this.truncatedBy !== null;
        result.notes = traceNotes(result);
        return result;
    }
}
/**
 * Every call of the trace file at `path`, reading at most `maxBytes` (default 64 MiB) in chunks:
 * memory stays bounded whatever the file's size. Never throws: a file that cannot be opened or
 * read gives no calls and `error`; garbage gives no calls, counts and a note.
 */
async function parseTraceFile(path, opts = {}) {
    const parser = new TraceParser(opts);
    const chunkBytes = Math.max(1, Math.floor(opts.chunkBytes ?? CHUNK));
    let size = null;
    let error = null;
    try {
        const fh = await open(path, 'r');
        try {
            const st = await fh.stat();
            size = st.isFile() ? st.size : null;
            const buf = Buffer.allocUnsafe(chunkBytes);
            while (parser.reading) {
                // One byte past the limit tells a file of exactly maxBytes from a longer one.
                const want = Math.min(chunkBytes, parser.room + 1);
                const { bytesRead } = await fh.read(buf, 0, want, null);
                if (bytesRead === 0)
                    break;
                parser.push(buf.subarray(0, bytesRead));
            }
        }
        finally {
            await fh.close();
        }
    }
    catch (err) {
        error = err.message ?? String(err);
    }
    const result = parser.end(size);
    if (error !== null) {
        result.error = error;
        result.notes = traceNotes(result);
    }
    return result;
}
const mib = (n) => n >= 1024 * 1024
    ? `${(n / (1024 * 1024)).toFixed(1)} MiB`
    : n >= 1024
        ? `${(n / 1024).toFixed(1)} KiB`
        : `${n} bytes`;
/** What a reader should know about how a trace was read. */
function traceNotes(r) {
    const notes = [];
    const count = r.store?.length ?? r.calls.length;
    if (r.error !== null)
        notes.push(`the trace could not be read${r.bytesRead > 0 ? ` past ${mib(r.bytesRead)}` : ''}: ${r.error}`);
    else if (count === 0 && (r.unreadable > 0 || r.binaryLines > 0)) {
        const why = [
            r.binaryLines > 0 ? `${r.binaryLines} lines are not text` : '',
            r.unreadable > 0 ? `${r.unreadable} lines look like calls but could not be read` : ''
        ].filter(Boolean);
        notes.push(`the trace could not be read: no system call in ${mib(r.bytesRead)} (${why.join(', ')})`);
    }
    if (r.truncatedBy === 'maxBytes') {
        const of = r.fileBytes !== null ? ` of ${mib(r.fileBytes)}` : '';
        notes.push(`the trace was cut after ${mib(r.bytesRead)}${of} (${count} calls read): the rest was not read`);
    }
    else if (r.truncatedBy === 'maxCalls') {
        notes.push(`the trace was cut after ${count} calls (${mib(r.bytesRead)} read): the rest was not read`);
    }
    return notes;
}

/** The `syscalls` section of a check whose tracing was asked for (a check without it writes null). */
function syscallsSection(input) {
    const notes = [...(input.notes ?? [])];
    let divergence = input.alignment && input.unikraft && input.linux ? divergenceOf(input.alignment) : null;
    if (divergence?.kind === 'not-reached' && input.unikraft?.truncated) {
        // The trace stopped, not necessarily Unikraft: what it did after the cut is unknown.
        notes.push(`the Unikraft trace was cut before ${divergence.syscall}: whether Unikraft reached it is unknown`);
        divergence = null;
    }
    return {
        traced: { unikraft: input.unikraft !== null, linux: input.linux !== null },
        notes,
        sides: {
            unikraft: input.unikraft ? summarizeSide(input.unikraft) : null,
            linux: input.linux ? summarizeSide(input.linux) : null
        },
        divergence,
        // Counted once, by the alignment when there is one.
        unsupported: input.alignment?.unsupported ?? (input.unikraft ? unsupportedCalls(input.unikraft) : [])
    };
}
/** One side's trace, per system call in order of its first call. */
function summarizeSide(trace) {
    const calls = new Map();
    for (const c of trace.calls) {
        let entry = calls.get(c.name);
        if (!entry)
            calls.set(c.name, (entry = { syscall: c.name, count: 0, failed: 0, errnos: [] }));
        entry.count++;
        if (c.outcome.kind === 'error') {
            entry.failed++;
            if (!entry.errnos.includes(c.outcome.errno))
                entry.errnos.push(c.outcome.errno);
        }
    }
    return {
        count: trace.calls.length,
        truncated: trace.truncated,
        unreadable: trace.unreadable,
        calls: [...calls.values()]
    };
}
/**
 * alignTraces' divergence in result.json's words: `same-call` is `different-result`, or
 * `unsupported` when Unikraft answered ENOSYS; `unreached` is `not-reached`.
 */
function divergenceOf(alignment) {
    const d = alignment.divergence;
    if (!d)
        return null;
    const uk = d.evidence.unikraft?.outcome;
    const kind = d.kind === 'unreached'
        ? 'not-reached'
        : uk?.kind === 'error' && uk.errno === 'ENOSYS'
            ? 'unsupported'
            : 'different-result';
    return {
        kind,
        syscall: d.syscall,
        args: d.args,
        linux: d.linux,
        unikraft: d.unikraft,
        linuxIndex: d.linuxIndex,
        unikraftIndex: d.unikraftIndex
    };
}

// Findings from two aligned traces: the system call where Unikraft differs from Linux that matters, every
// call Unikraft answered ENOSYS, and a /proc or /sys path Unikraft does not have. Each names what to
// change where that is known (an app setting, a Unikraft library or Kconfig option).
/** What to change for a divergence in a known call; null when nothing specific is known. */
function knownFix(d) {
    const args = d.args;
    switch (d.syscall) {
        case 'sendfile':
        case 'sendfile64':
            return 'This Unikraft build has no sendfile: turn it off in the app (nginx: `sendfile off;`), or use a Unikraft release whose vfscore/posix-socket provides it.';
        case 'setsockopt':
            return hintFor('net.option-unsupported', /\bTCP_CORK\b/.test(args) ? 'TCP_CORK' : null);
        case 'eventfd2':
        case 'eventfd':
            return "Enable Unikraft's eventfd (`CONFIG_LIBPOSIX_EVENT`), or configure the app not to use it.";
        case 'epoll_create1':
        case 'epoll_ctl':
        case 'epoll_pwait':
        case 'epoll_wait':
            return "Enable Unikraft's epoll (`CONFIG_LIBPOSIX_EVENT`) in the kernel, or switch the app to poll/select.";
        case 'socketpair':
        case 'socket':
            return /^(AF_UNIX|AF_LOCAL)\b/.test(args) ? hintFor('net.address-family-unsupported', 'AF_UNIX') : null;
        case 'clone':
        case 'fork':
        case 'vfork':
            return hintFor('process.fork-unsupported', null);
        default:
            return null;
    }
}
function evidenceOf(d, files) {
    const at = (c, file) => c ? `${file} line ${c.line}: ${c.text}` : 'never reached';
    return `Linux (${at(d.evidence.linux, files.linux)}); Unikraft (${at(d.evidence.unikraft, files.unikraft)})`;
}
/** result.json's divergence (trace-summary.ts) without its kind: the finding's `data`. */
function divergenceData(a) {
    const { kind: _kind, ...data } = divergenceOf(a);
    return data;
}
function traceFindings(t) {
    const out = [];
    const d = t.alignment.divergence;
    if (d) {
        const severity = t.appVerdict === 'fail' ? 'error' : t.appVerdict === 'pass' ? 'note' : 'warning';
        const uk = d.unikraft ?? 'never reached (the app had stopped)';
        const fix = knownFix(d);
        out.push({
            id: 'syscall.divergence',
            severity,
            line: d.evidence.unikraft?.line ?? null,
            evidence: evidenceOf(d, t.files),
            detail: d.syscall,
            hint: `Where Unikraft differs from Linux: ${d.syscall} returned ${d.linux} on Linux and ${uk} on Unikraft. ` +
                (fix ??
                    "Compare the two traces from here (strace.log and the trace run's console.log) to see what the app did next."),
            source: 'trace',
            data: divergenceData(t.alignment)
        });
        const path = pathArgument(d.args);
        const missing = d.unikraft !== null && /^ENOENT\b/.test(d.unikraft) && !/^ENOENT\b/.test(d.linux);
        if (path && missing && (path.startsWith('/proc/') || path === '/proc' || path.startsWith('/sys/'))) {
            const proc = path.startsWith('/proc');
            out.push({
                id: proc ? 'fs.procfs-missing' : 'fs.sysfs-missing',
                severity,
                line: d.evidence.unikraft?.line ?? null,
                evidence: evidenceOf(d, t.files),
                detail: path,
                hint: proc
                    ? `Unikraft has no ${path}: configure the app not to need it, or ship a static copy of the file in the root filesystem.`
                    : `Unikraft has no sysfs (${path}): configure the app not to need it, or ship a static copy of the file in the root filesystem.`,
                source: 'trace',
                data: { path, syscall: d.syscall }
            });
        }
    }
    const unsupported = t.alignment.unsupported.filter(u => !u.tolerated);
    if (unsupported.length > 0 && !t.reported?.has('syscall.unsupported')) {
        const list = unsupported.map(u => `${u.syscall} (${u.count}×)`).join(', ');
        out.push({
            id: 'syscall.unsupported',
            // What the app survived is a note-worthy warning; what it failed on, the divergence names.
            severity: t.appVerdict === 'fail' && unsupported.some(u => u.syscall === d?.syscall) ? 'error' : 'warning',
            line: null,
            evidence: `ENOSYS in the Unikraft trace: ${list}`,
            detail: unsupported.map(u => u.syscall).join(', '),
            hint: 'Unikraft does not implement these system calls: turn off the app features that need them (many apps fall back), use a Unikraft build whose libraries provide them, or allow-list `syscall.unsupported` if the app copes.',
            source: 'trace',
            data: { syscalls: unsupported.map(u => u.syscall), counts: unsupported.map(u => String(u.count)) }
        });
    }
    return out;
}

// Step 4 of a check: the Linux baseline, and, when the policy asks, traces of both sides. The app
// runs again on Unikraft's `trace` kernel (its console prints every system call) and the baseline
// runs under strace; the two traces are aligned and the system call that matters is named.
/**
 * `auto` traces when the Unikraft run did not pass, `always` every run, `never` none; only a
 * Unikraft run of a root filesystem (a native image has no Linux side), and only with a `trace`
 * kernel for the version in the kernel store.
 */
function planTrace(mode, options, run) {
    const wanted = mode === 'always' || (mode === 'auto' && run.verdict !== 'pass');
    if (!wanted || run.guest !== 'unikraft' || !run.hasRootfs)
        return { kernel: null, note: null };
    // A kernel given by path is of no known version: the store's trace kernel may not match it.
    const kernel = options.kernelStore && !options.kernel
        ? findStoredKernel(options.kernelStore, options.unikraftVersion, 'trace')
        : null;
    if (kernel)
        return { kernel, note: null };
    const where = options.kernel
        ? 'the kernel given with `kernel` has no trace variant'
        : options.kernelStore
            ? `the kernel store has no trace kernel for Unikraft ${options.unikraftVersion}`
            : 'no kernel store with a trace kernel is configured (`kernel-store`)';
    return { kernel: null, note: `${where}: the run was not traced` };
}
/** The traced rerun on Unikraft's trace kernel, same root filesystem, command and probes. */
function bootUnikraftTrace(c, kernel) {
    const message = `Rerunning on Unikraft ${kernel.version}'s trace kernel`;
    return runPhase(c, { name: 'trace', message, interrupted: 'the traced run' }, async () => ({
        guest: 'unikraft',
        kernel: await verifiedKernelPath(c.options.kernelStore, kernel),
        outDir: join(c.outDir, RUN_FILES.unikraftTraceDir)
    }));
}
/** Reads both traces, aligns them and names what differs. Never throws: what could not be read is a note. */
async function analyseTraces(t) {
    const notes = [...t.notes];
    const read = async (path, side) => {
        if (!path)
            return null;
        // Never throws: a missing file, garbage or a cut is said in the trace's notes.
        // At most TRACE_MAX_BYTES of it: a longer one is cut and says so (memory stays bounded).
        const p = await parseTraceFile(path);
        notes.push(...p.notes.map(n => `${side}: ${n}`));
        return p;
    };
    const uk = await read(t.unikraft?.vm?.consoleLog, 'Unikraft');
    const linux = await read(t.linux?.vm?.traceFile, 'Linux');
    const usable = (p) => p !== null && (p.store?.length ?? p.calls.length) > 0;
    const appFailed = t.appVerdict === 'fail';
    // The parsed traces go in whole: alignment reads their compact stores, never a call object each.
    const alignment = usable(uk) && usable(linux)
        ? alignTraces(linux, uk, { unikraftStopped: t.unikraft?.vm?.reason !== 'killed', appFailed })
        : usable(uk)
            ? alignTraces([], uk, { unikraftStopped: false, appFailed })
            : null;
    const files = {
        unikraft: `${RUN_FILES.unikraftTraceDir}/${RUN_FILES.console}`,
        linux: `${RUN_FILES.baselineDir}/${RUN_FILES.strace}`
    };
    const findings = alignment
        ? traceFindings({ alignment, appVerdict: t.appVerdict, files, reported: t.reported })
        : [];
    return {
        findings,
        syscalls: syscallsSection({
            unikraft: usable(uk) ? uk : null,
            linux: usable(linux) ? linux : null,
            alignment,
            notes
        })
    };
}
/** A trace was wanted but could not be taken: a note finding saying why (the run went untraced). */
function traceUnavailable(note) {
    return {
        id: 'trace.unavailable',
        severity: 'note',
        line: null,
        evidence: note,
        detail: null,
        hint: hintFor('trace.unavailable', null),
        source: 'setup'
    };
}
/**
 * strace on the host for the Linux side (installed when missing and allowed). A machine without it
 * runs that side untraced and says so in `notes`: the trace explains a verdict, it never costs one.
 */
async function straceReady(deps, notes) {
    try {
        await ensureHostPackages([STRACE_PACKAGE], deps, 'tracing the Linux baseline');
        return true;
    }
    catch (err) {
        throwIfInterrupted(deps.signal, 'the strace install');
        notes.push(`the Linux side was not traced: ${describeError(err).split('\n')[0]}`);
        return false;
    }
}
/**
 * After the run on Unikraft: the Linux baseline when the policy asks for it (`baseline`), and when a
 * trace is wanted (`trace`), the baseline under strace plus a rerun on the trace kernel, aligned.
 * `onBaseline` hears of the baseline run as soon as it exists (a later interruption keeps it).
 */
async function compareWithLinux(boot, main, onBaseline) {
    const { options, deps } = boot;
    const guest = boot.prepared.guest;
    const hasRootfs = boot.input.initrd !== undefined;
    const plan = planTrace(options.trace, options, { guest, hasRootfs, verdict: main.verdict });
    const notes = plan.note ? [plan.note] : [];
    // The Linux side of a trace is the baseline run, under strace.
    const linuxWanted = plan.kernel !== null && options.baseline !== 'never';
    if (plan.kernel && !linuxWanted)
        notes.push('baseline: never: the Linux side was not traced');
    const traceLinux = linuxWanted && (await straceReady(deps, notes));
    let baseline = null;
    if (wantsBaseline(options.baseline, guest, hasRootfs, main) || traceLinux) {
        baseline = await bootBaseline(boot, traceLinux);
        onBaseline(baseline);
    }
    if (plan.kernel) {
        const unikraft = await bootUnikraftTrace(boot, plan.kernel);
        return analyseTraces({
            unikraft,
            linux: traceLinux ? baseline : null,
            appVerdict: main.verdict,
            notes,
            reported: new Set(main.findings.map(f => f.id))
        });
    }
    if (plan.note)
        return {
            syscalls: syscallsSection({ unikraft: null, linux: null, notes }),
            findings: [traceUnavailable(plan.note)]
        };
    return { syscalls: null, findings: [] };
}

// The engine's entry: one check of one app, from setup to result.json. The action and the CLI both
// call runCheck; nothing here knows which front is asking. It runs named steps in order:
//   1. prepare the guest (QEMU, the kernel)          prepare-guest.ts
//   2. build and preflight the root filesystem        build-step.ts
//   3. boot and probe                                 boot-step.ts
//   4. the Linux baseline, and traces of both sides   trace-step.ts (when asked)
//   5. judge                                          judge.ts
//   6. build the result                               check-result.ts
// A result is always written, also when a step failed (verdict `error`), so the logs are never lost.
async function runCheck(options, outDir, deps) {
    const runStart = deps.clock.now();
    await prepareOutDir(outDir);
    await clearRunFiles(outDir);
    const work = await makeScratchDir(deps.tempDir ?? tmpdir());
    const phase = phaseRunner(deps);
    const setup = { qemuVersion: null, kraftkitVersion: null, persist: [] };
    const record = {
        startedAt: deps.clock.wallTime().toISOString(),
        durationMs: 0,
        setupMs: null,
        buildMs: null,
        guest: options.guest,
        qemuVersion: null,
        kraftkitVersion: null,
        rootfs: null,
        main: null,
        baseline: null,
        syscalls: null
    };
    const stepFindings = [];
    const traceFindings = [];
    let input = null;
    let failure = undefined;
    try {
        const prepared = await phase('setup', 'Setting up QEMU and the kernel', () => prepareGuest(options, deps, setup));
        record.setupMs = prepared.ms;
        record.guest = prepared.value.guest;
        if (prepared.value.fallbackNote)
            stepFindings.push(prepared.value.fallbackNote);
        const built = await phase('build', 'Building the root filesystem', () => buildGuestInput(options, { guest: record.guest, work, outDir }, deps, r => (record.rootfs = r)));
        record.buildMs = built.ms;
        input = built.value;
        stepFindings.push(...input.commandFindings);
        if (!input.blocked) {
            const boot = { options, prepared: prepared.value, input, outDir, deps, phase, runStart };
            const main = (record.main = await bootMain(boot));
            const compared = await compareWithLinux(boot, main, run => (record.baseline = run));
            record.syscalls = compared.syscalls;
            traceFindings.push(...compared.findings);
        }
        warnRdseed(options, record, setup, deps);
    }
    catch (err) {
        failure = asEnvironmentError(err);
    }
    finally {
        await rm(work, { recursive: true, force: true }).catch(() => { });
    }
    record.qemuVersion = setup.qemuVersion;
    record.kraftkitVersion = setup.kraftkitVersion;
    record.durationMs = deps.clock.now() - runStart;
    const judged = judge({
        main: record.main,
        failure,
        preflightFindings: input?.preflightFindings ?? [],
        stepFindings,
        traceFindings,
        allow: options.allow
    });
    const result = buildResult(options, record, judged);
    const resultFile = join(outDir, RUN_FILES.result);
    result.artifacts = await listRunFiles(outDir);
    await writeResultFile(resultFile, result);
    return { result, resultFile, persist: setup.persist };
}
/** A Unikraft kernel that never printed its banner may be stuck in the RNG's init (QEMU without RDSEED). */
function warnRdseed(options, record, setup, deps) {
    const pastInit = record.main?.vm?.timeline.bannerMs != null;
    if (!setup.qemuVersion || pastInit || record.guest !== 'unikraft')
        return;
    const w = rdseedWarning({
        qemuVersion: setup.qemuVersion,
        accel: record.main?.vm?.accel ?? 'tcg',
        unikraftVersion: options.unikraftVersion
    });
    if (w)
        deps.logger.warning(w);
}

export { RUN_FILES, listRunFiles, runCheck };
