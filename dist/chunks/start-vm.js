import { spawn } from 'node:child_process';
import { R as RUN_FILES } from './run-files.js';
import { randomBytes } from 'node:crypto';
import { constants, openSync, writeSync, ftruncateSync, closeSync, readSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, writeFile, rm, access, stat, mkdir, copyFile, appendFile, readFile, rename, readdir, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, delimiter, isAbsolute, basename, dirname, resolve } from 'node:path';
import { systemClock } from './clock.js';
import { nodeCommandRunner } from './command-runner.js';
import { I as InfrastructureError, C as ConfigurationError, b as badInput } from './errors.js';
import { r as registerVm, w as writePidFile } from './vm-registry.js';
import { StringDecoder } from 'node:string_decoder';
import { e as ensureBusybox, w as which } from './linux-kernel.js';
import { gunzipSync } from 'node:zlib';
import { g as guestDirname, t as toGuestPath, T as TreeView, c as comparePaths, a as writeCpio } from './tree-path.js';
import { f as findProgram } from './find-program.js';
import { createServer, createConnection } from 'node:net';
import { a as assertMemoryMiB } from './memory.js';

// A tiny multiboot kernel, assembled here byte by byte: it writes a message to the serial port and
// then exits through isa-debug-exit, spins, or repeats. It proves that an accelerator can run guest
// code at all (the KVM probe), and gives tests and benchmarks a real guest that boots in
// milliseconds. QEMU loads it with -kernel (multiboot "a.out kludge": the header gives the addresses).
const LOAD_ADDR = 0x100000;
const HEADER_BYTES = 32;
function u32(n) {
    return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
function buildProbeKernel(opts) {
    const msg = Buffer.from(opts.message, 'latin1');
    const entry = LOAD_ADDR + HEADER_BYTES;
    // Code (32-bit protected mode, flat segments, as the multiboot loader leaves it). Like a real
    // ns16550 driver (Unikraft's, Linux's) it waits for the transmitter before each byte, so QEMU can
    // hold the guest back while its console backend is full instead of dropping bytes:
    //   again: cld ; mov esi, msg ; mov ecx, len ; jecxz drained
    //   next:  mov dx, 0x3fd ; wait: in al, dx ; test al, 0x20 (THRE) ; jz wait
    //          mov dx, 0x3f8 ; lodsb ; out dx, al ; loop next
    //   drained: mov dx, 0x3fd ; in al, dx ; test al, 0x40 (TEMT) ; jz back   (the last byte is out)
    //   then one of: jmp again | mov dx, 0x501 ; mov eax, value ; out dx, eax ; spin | pvpanic ; spin | ACPI off | spin
    //   spin: jmp spin
    const MSG_IMM = 2; // offset of mov esi's immediate
    const send = [0x66, 0xba, 0xfd, 0x03, 0xec, 0xa8, 0x20, 0x74, 0xfb, 0x66, 0xba, 0xf8, 0x03, 0xac, 0xee];
    const loop = [0xe2, (256 - (send.length + 2)) & 0xff];
    const head = [
        0xfc,
        0xbe,
        ...u32(0),
        0xb9,
        ...u32(msg.length),
        0xe3,
        send.length + loop.length,
        ...send,
        ...loop,
        ...[0x66, 0xba, 0xfd, 0x03, 0xec, 0xa8, 0x40, 0x74, 0xfb]
    ];
    let tail;
    {
        tail = [0x66, 0xba, 0x01, 0x05, 0xb8, ...u32(opts.exitValue), 0xef, 0xeb, 0xfe];
    }
    const code = [...head, ...tail];
    const msgAddr = entry + code.length;
    code.splice(MSG_IMM, 4, ...u32(msgAddr));
    const magic = 0x1badb002;
    const flags = 0x00010000; // bit 16: load addresses are in the header (not an ELF file)
    const header = [magic, flags, -464433154 >>> 0, LOAD_ADDR, LOAD_ADDR, 0, 0, entry].flatMap(u32);
    return Buffer.concat([Buffer.from(header), Buffer.from(code), msg]);
}

const QEMU_BINARY = 'qemu-system-x86_64';
/** isa-debug-exit at Unikraft's port: QEMU exits (v << 1) | 1, so 83 after a halt, 85 after a crash. */
const DEBUG_EXIT_DEVICE = 'isa-debug-exit,iobase=0x501,iosize=0x04';
/** The chardev id of the trace port. */
const TRACE_CHARDEV = 'ukc-trace';
/** QEMU's option syntax splits on ',' and reads ',,' as a literal comma. */
const optionValue = (s) => s.replaceAll(',', ',,');
function buildQemuArgv(input) {
    const argv = [input.binary ?? QEMU_BINARY, '-accel', input.accel];
    // TCG: `max` is the only model with RDRAND (and RDSEED from about QEMU 8.1.3) that Unikraft
    // 0.17+ needs. KVM: `max` is the host's CPU with everything KVM supports.
    argv.push('-cpu', 'max', '-m', String(input.memoryMiB));
    if (input.console === 'nographic')
        argv.push('-nographic');
    else
        argv.push('-display', 'none', '-serial', 'stdio');
    if (input.traceFile !== undefined) {
        if (input.console !== 'stdio')
            throw new Error("buildQemuArgv: traceFile needs console 'stdio'");
        argv.push('-chardev', `file,id=${TRACE_CHARDEV},path=${optionValue(input.traceFile)}`, '-serial', `chardev:${TRACE_CHARDEV}`);
    }
    argv.push('-no-reboot');
    if (input.debugExit ?? true)
        argv.push('-device', DEBUG_EXIT_DEVICE);
    if (input.pvpanic ?? true)
        argv.push('-device', 'pvpanic');
    argv.push('-kernel', input.kernel);
    if (input.initrd !== undefined)
        argv.push('-initrd', input.initrd);
    const fwd = input.hostForwards ?? [];
    if (fwd.length > 0 || input.network) {
        const rules = fwd.map(f => `hostfwd=tcp:127.0.0.1:${f.host}-:${f.guest}`);
        argv.push('-netdev', ['user', 'id=n0', ...rules].join(','), '-device', 'virtio-net-pci,netdev=n0');
    }
    if (input.append)
        argv.push('-append', input.append);
    if (input.qmpSocket !== undefined) {
        argv.push('-qmp', `unix:${optionValue(input.qmpSocket)},server=on,wait=off`);
    }
    if (input.startPaused)
        argv.push('-S');
    return argv;
}

// Accelerator choice. `auto` uses KVM only after a tiny guest proved it runs and prints under KVM
// within a short bound; else TCG, with the reason recorded. /dev/kvm can be present and unusable
// (QEMU aborting on an MSR, a guest paused on an internal error, permission denied, or nested KVM
// so slow that nothing prints): each ends on TCG within the bound. One probe per process.
const KVM_DEVICE = '/dev/kvm';
/**
 * A working KVM runs the probe in well under a second; this machine's nested KVM needs 6 to 7 s for
 * the probe and prints nothing of a Linux boot within 30 s, so a longer bound would only trade a
 * clear, fast fallback for a slow failure.
 */
const DEFAULT_KVM_PROBE_TIMEOUT_MS = 3000;
const PROBE_MESSAGE = 'UKC-KVM-PROBE-OK';
function firstLine(text) {
    return (text
        .split('\n')
        .map(l => l.trim())
        .find(l => l !== '') ?? '');
}
/** Names the failure from what QEMU did under KVM (pure; rows in the tests are real QEMU output). */
function classifyKvmProbe(o) {
    const err = o.stderr;
    if (/permission denied/i.test(err))
        return `permission denied opening ${KVM_DEVICE}`;
    if (/KVM internal error/i.test(err)) {
        return 'KVM internal error (emulation failure): the guest would stay paused';
    }
    if (/failed to set MSR/i.test(err) || o.signal === 'SIGABRT') {
        const lines = err.split('\n');
        const line = (lines.find(l => /MSR/.test(l)) ??
            lines.find(l => /assert|abort/i.test(l)) ??
            firstLine(err)).trim();
        return `QEMU aborted under KVM${line ? `: ${line}` : ''}`;
    }
    if (o.timedOut) {
        return o.printed
            ? `the KVM probe guest printed but did not finish within ${o.timeoutMs} ms`
            : `the KVM probe guest printed nothing within ${o.timeoutMs} ms (paused, or KVM too slow here)`;
    }
    const status = o.code !== null ? `status ${o.code}` : `signal ${o.signal}`;
    const line = firstLine(err);
    return `QEMU exited with ${status} under KVM${line ? `: ${line}` : ''}`;
}
/** Boots the probe kernel under KVM; never takes longer than the bound (plus the kill). */
async function probeKvm(qemuBinary, opts = {}) {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_KVM_PROBE_TIMEOUT_MS;
    // No device to open: named as such, without starting QEMU (whose own message is less clear).
    const problem = await kvmDeviceProblem(opts.kvmDevice ?? KVM_DEVICE);
    if (problem)
        return { ok: false, detail: problem, elapsedMs: 0 };
    const dir = await mkdtemp(join(tmpdir(), 'ukc-kvm-probe-'));
    const kernel = join(dir, 'probe.bin');
    await writeFile(kernel, buildProbeKernel({ message: `${PROBE_MESSAGE}\n`, exitValue: 41 }));
    const argv = buildQemuArgv({
        binary: qemuBinary,
        accel: 'kvm',
        memoryMiB: 16,
        console: 'stdio',
        kernel,
        pvpanic: false
    });
    const started = performance.now();
    try {
        return await new Promise(resolve => {
            const child = spawn(argv[0], argv.slice(1), {
                detached: true,
                stdio: ['ignore', 'pipe', 'pipe'],
                ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
                ...(opts.gid !== undefined ? { gid: opts.gid } : {})
            });
            let stdout = '';
            let stderr = '';
            let timedOut = false;
            let settled = false;
            const killGroup = () => {
                try {
                    if (child.pid)
                        process.kill(-child.pid, 'SIGKILL');
                }
                catch {
                    // already gone
                }
            };
            const timer = setTimeout(() => {
                timedOut = true;
                killGroup();
            }, timeoutMs);
            // Like any VM of ours: SIGINT/SIGTERM of this process during the probe takes it down too.
            const unregister = child.pid ? registerVm({ pid: child.pid, stop: async () => killGroup() }) : () => { };
            child.stdout.on('data', (d) => {
                stdout += d.toString('latin1');
            });
            child.stderr.on('data', (d) => {
                stderr += d.toString('utf8');
                // A paused guest never recovers: no need to wait out the bound.
                if (/KVM internal error/i.test(stderr))
                    killGroup();
            });
            const finish = (code, signal) => {
                if (settled)
                    return;
                settled = true;
                clearTimeout(timer);
                unregister();
                const elapsedMs = Math.round(performance.now() - started);
                const printed = stdout.includes(PROBE_MESSAGE);
                if (printed && code === 83) {
                    resolve({ ok: true, detail: `KVM probe guest ran in ${elapsedMs} ms`, elapsedMs });
                    return;
                }
                resolve({
                    ok: false,
                    detail: classifyKvmProbe({ printed, code, signal, stderr, timedOut, timeoutMs }),
                    elapsedMs
                });
            };
            child.on('error', e => {
                stderr += String(e.message);
                finish(null, null);
            });
            child.on('close', (code, signal) => finish(code, signal));
        });
    }
    finally {
        await rm(dir, { recursive: true, force: true });
    }
}
async function kvmDeviceProblem(device) {
    try {
        await access(device, constants.R_OK | constants.W_OK);
        return null;
    }
    catch (e) {
        const code = e.code;
        if (code === 'ENOENT')
            return `no ${device} on this machine`;
        if (code === 'EACCES' || code === 'EPERM')
            return `permission denied opening ${device}`;
        return `${device} is not usable (${code ?? String(e)})`;
    }
}
const probeCache = new Map();
async function cachedProbe(opts) {
    const binary = opts.qemuBinary ?? QEMU_BINARY;
    const device = opts.kvmDevice ?? KVM_DEVICE;
    const timeoutMs = opts.probeTimeoutMs ?? DEFAULT_KVM_PROBE_TIMEOUT_MS;
    // A probe that timed out under one bound says nothing about a longer one.
    const key = `${binary}\0${device}\0${timeoutMs}`;
    let p = probeCache.get(key);
    if (!p) {
        p = probeKvm(binary, { timeoutMs, kvmDevice: device });
        probeCache.set(key, p);
    }
    return p;
}
const KVM_HINT = 'use accel auto (falls back to TCG) or tcg; on GitHub-hosted Linux runners, open /dev/kvm to the ' +
    'runner user with the udev rule in docs/vm.md';
async function resolveAccel(request, opts = {}) {
    if (request === 'tcg')
        return { accel: 'tcg', reason: 'TCG requested' };
    const probe = await cachedProbe(opts);
    if (request === 'kvm') {
        if (probe.ok)
            return { accel: 'kvm', reason: `KVM requested; ${probe.detail}` };
        throw new InfrastructureError(`accel 'kvm' was requested but KVM does not work here: ${probe.detail}`, KVM_HINT);
    }
    if (probe.ok)
        return { accel: 'kvm', reason: `auto: ${probe.detail}` };
    return { accel: 'tcg', reason: `auto: KVM unusable (${probe.detail}); using TCG` };
}

// The guest's serial console: raw bytes to a file exactly as they came (ANSI, CRLF and all), and
// the same stream as lines stamped with their host-side arrival time for watchers (probes, the
// timeline). A size cap keeps a runaway guest from filling the disk; the cut is marked visibly and
// falls between two characters, never inside one. Both runners (startVm and `runner: kraft`) use it.
const DEFAULT_CONSOLE_CAP = 64 * 1024 * 1024;
/** Longer unterminated output is delivered as a line of its own. */
const MAX_LINE_CHARS = 1024 * 1024;
function truncationMarker(cap) {
    return `\n[unikraft-compat: console log truncated at ${cap} bytes; later output was not kept]\n`;
}
/**
 * The length of `buf` without a UTF-8 character whose last bytes lie beyond its end. Bytes that
 * cannot be the start of such a character (ASCII, binary noise) count as whole.
 */
function wholeUtf8Length(buf) {
    for (let i = buf.length - 1; i >= Math.max(0, buf.length - 4); i--) {
        const b = buf[i];
        if ((b & 0xc0) === 0x80)
            continue; // a continuation byte: its lead is further back
        const size = b >= 0xc0 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf7 ? 4 : 1;
        return i + size > buf.length ? i : buf.length;
    }
    return buf.length;
}
class ConsoleCapture {
    fd;
    cap;
    decoder = new StringDecoder('utf8');
    /** Decodes what the file keeps (text() ends where the file does). */
    keptDecoder = new StringDecoder('utf8');
    /** The last bytes written: a character the cut falls into may have begun in an earlier chunk. */
    tail = Buffer.alloc(0);
    now;
    stored = [];
    keptText = '';
    listeners = new Set();
    partial = '';
    lineNo = 0;
    closed = false;
    bytes = 0;
    truncated = false;
    firstOutputMs = null;
    constructor(opts) {
        this.cap = opts.cap ?? DEFAULT_CONSOLE_CAP;
        this.now = opts.now;
        // Synchronous writes: the evidence is on disk the moment it arrives, even if this process dies.
        this.fd = openSync(opts.path, 'w');
    }
    push(chunk) {
        if (this.closed || chunk.length === 0)
            return;
        const at = this.now();
        if (this.firstOutputMs === null)
            this.firstOutputMs = at;
        if (!this.truncated) {
            const room = this.cap - this.bytes;
            if (chunk.length <= room)
                this.write(chunk);
            else
                this.cut(chunk.subarray(0, room));
        }
        // Lines are still delivered past the cap (a status line at the very end matters), only not kept.
        this.split(this.decoder.write(chunk), at);
    }
    write(bytes) {
        if (bytes.length === 0)
            return;
        writeSync(this.fd, bytes, 0, bytes.length, this.bytes);
        this.bytes += bytes.length;
        this.keptText += this.keptDecoder.write(bytes);
        this.tail = Buffer.concat([this.tail, bytes.subarray(-3)]).subarray(-3);
    }
    /** Keeps `head` up to its last whole character (taking back a character begun before it), then the marker. */
    cut(head) {
        const seen = Buffer.concat([this.tail, head]);
        const whole = wholeUtf8Length(seen);
        if (whole < this.tail.length) {
            // The part of the character already written goes; the decoder holds it unfinished, so
            // keptText never had it.
            this.bytes -= this.tail.length - whole;
            ftruncateSync(this.fd, this.bytes);
        }
        else
            this.write(head.subarray(0, whole - this.tail.length));
        this.truncated = true;
        const marker = Buffer.from(truncationMarker(this.cap));
        writeSync(this.fd, marker, 0, marker.length, this.bytes);
    }
    split(text, at) {
        this.partial += text;
        let nl;
        while ((nl = this.partial.indexOf('\n')) >= 0) {
            const raw = this.partial.slice(0, nl);
            this.partial = this.partial.slice(nl + 1);
            this.emit(raw.endsWith('\r') ? raw.slice(0, -1) : raw, at);
        }
        // A guest printing without newlines must not grow one line without bound.
        if (this.partial.length > MAX_LINE_CHARS) {
            this.emit(this.partial, at);
            this.partial = '';
        }
    }
    emit(text, atMs) {
        const line = { n: ++this.lineNo, text, atMs };
        if (!this.truncated)
            this.stored.push(line);
        for (const cb of this.listeners) {
            try {
                cb(line);
            }
            catch {
                // a watcher's bug must not stop the capture
            }
        }
    }
    /** Flushes the last unterminated line and closes the file. */
    finish() {
        if (this.closed)
            return;
        const rest = this.decoder.end();
        if (rest)
            this.split(rest, this.now());
        if (!this.truncated)
            this.keptText += this.keptDecoder.end();
        if (this.partial !== '') {
            const raw = this.partial;
            this.partial = '';
            this.emit(raw.endsWith('\r') ? raw.slice(0, -1) : raw, this.now());
        }
        this.closed = true;
        closeSync(this.fd);
    }
    /** Replays the lines kept so far, then delivers new ones. */
    onLine(cb) {
        for (const l of this.stored)
            cb(l);
        this.listeners.add(cb);
        return () => this.listeners.delete(cb);
    }
    text() {
        return this.truncated ? this.keptText + truncationMarker(this.cap) : this.keptText;
    }
}

// Kernel command line of the Linux baseline guest: serial console, reboot-on-panic (which, with
// QEMU's -no-reboot, ends QEMU at once), a quiet boot, and the generated init in the initrd.
/** Where the generated init lives in the initrd: outside the app's own tree, so its /init is kept. */
const LINUX_INIT_PATH = '/.ukc/init';
function buildLinuxCmdline(input = {}) {
    return [
        'console=ttyS0',
        'panic=-1',
        ...(input.verbose ? [] : ['quiet']),
        `rdinit=${input.initPath ?? LINUX_INIT_PATH}`,
        ...(input.extra ?? [])
    ].join(' ');
}

// Kernel command lines for Unikraft guests: the ELF loader (binary compatibility) and native images.
// Library parameters go before `--`, the program and its arguments after; quoting follows
// ukargparse (lib/ukargparse/argparse.c), which knows '...' and "..." but no backslash escapes.
/** QEMU user networking as seen by lwip: guest address/prefix, gateway, DNS. */
const USERNET_GUEST_CIDR = '10.0.2.15/24';
const USERNET_GATEWAY = '10.0.2.2';
const USERNET_DNS = '10.0.2.3';
/** The ELF loader mounts the initrd as its root filesystem with this fstab entry. */
const ELFLOADER_FSTAB = 'vfs.fstab=[ "initrd0:/:extract::ramfs=1:" ]';
const NEEDS_QUOTES = /[ \r\n\t\v"']/;
/**
 * One argument as ukargparse will read it back. ukargparse splits on space, CR, LF, tab and VT
 * outside quotes and strips quote characters, so: plain words stay as they are; a run without `"`
 * goes in double quotes (where `'` is literal) and a run of `"` in single quotes, the runs
 * concatenated into one word. An empty argument becomes `""`, which Unikraft drops (callers warn).
 */
function quoteUnikraftArg(arg) {
    if (arg === '')
        return '""';
    if (!NEEDS_QUOTES.test(arg))
        return arg;
    return (arg.match(/[^"]+|"+/g) ?? []).map(run => (run.startsWith('"') ? `'${run}'` : `"${run}"`)).join('');
}
function envVars(env) {
    const entries = Object.entries(env);
    if (entries.length === 0)
        return null;
    // Each element must stay one ukargparse word whatever it holds, so it is always quoted.
    return `env.vars=[ ${entries.map(([k, v]) => quoteWord(`${k}=${v}`)).join(' ')} ]`;
}
/** Like quoteUnikraftArg, but always quoted (array elements are written `"K=V"`). */
function quoteWord(s) {
    return s.includes('"') || s === '' ? quoteUnikraftArg(s) : `"${s}"`;
}
/** The positions of empty arguments, which Unikraft's command line cannot carry (uk_argnparse drops them). */
function emptyArgumentIndexes(cmd) {
    return cmd.flatMap((a, i) => (a === '' ? [i] : []));
}
function buildUnikraftCmdline(input) {
    const warnings = emptyArgumentIndexes(input.cmd).map(i => `argument ${i} of the command is empty: Unikraft drops empty arguments from its command line, ` +
        'so the program will not see it');
    const params = [];
    if (input.network)
        params.push(`netdev.ip=${USERNET_GUEST_CIDR}:${USERNET_GATEWAY}:${USERNET_DNS}`);
    if (input.mode === 'elfloader')
        params.push(ELFLOADER_FSTAB);
    const vars = envVars(input.env ?? {});
    if (vars)
        params.push(vars);
    const args = input.cmd.map(quoteUnikraftArg);
    // A native image without library parameters takes its arguments as they are (no `--`), unless
    // one of them is `--` itself, which uklibparam would otherwise eat as the separator.
    const needsSeparator = params.length > 0 || input.mode === 'elfloader' || input.cmd.includes('--');
    const parts = needsSeparator ? [...params, '--', ...args] : args;
    return { cmdline: parts.join(' '), warnings };
}

/** The Linux baseline's init prints this line with the program's exit status. */
const GUEST_EXIT_PREFIX = 'UNIKRAFT_COMPAT_EXIT=';
/** ... and this one when it starts (the Linux baseline's "banner"). */
const GUEST_INIT_PREFIX = 'UNIKRAFT_COMPAT_INIT=';
const EXIT_LINE = /^UNIKRAFT_COMPAT_EXIT=(\d{1,3})\s*$/;
/** The exit status in a status line, or null for any other line. */
function parseGuestExitLine(text) {
    const m = EXIT_LINE.exec(text);
    return m ? Number(m[1]) : null;
}
/** isa-debug-exit: Unikraft writes 41 after a halt (QEMU exits 83) and 42 on a crash (85). A hint only. */
function debugExitHint(qemuExit) {
    if (qemuExit === 83)
        return 'halt';
    if (qemuExit === 85)
        return 'crash';
    return null;
}
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g;
/** The line that marks "the kernel is up": Unikraft's banner, or the baseline init's first line. */
function isBannerLine(text, guest) {
    const t = text.replace(ANSI, '');
    if (guest === 'linux')
        return t.startsWith(GUEST_INIT_PREFIX);
    return (/Powered by/.test(t) ||
        /^\s+[A-Z][a-z]+ \d+\.\d+\.\d+~[0-9a-f]+\s*$/.test(t) ||
        /Unikraft [A-Z][a-z]+ \(\d+\.\d+\.\d+/.test(t));
}
/** Console lines that mean the guest kernel itself crashed. */
function isCrashLine(text) {
    const t = text.replace(ANSI, '');
    return /Kernel panic - not syncing/.test(t) || /CRIT: .*\bCrashing\b/.test(t);
}
function decideEndReason(e) {
    const panicked = e.events.includes('GUEST_PANICKED') || e.shutdownReasons.includes('guest-panic');
    if (e.stopCause === 'stopped')
        return panicked ? 'panicked' : 'stopped';
    if (e.stopCause)
        return e.stopCause;
    if (panicked)
        return 'panicked';
    if (e.qemuExit === 85 || e.sawCrashLine)
        return 'crashed';
    const guestEnded = e.shutdownReasons.some(r => r.startsWith('guest-')) || e.qemuExit === 83;
    if (guestEnded)
        return 'exited';
    // QEMU ended without the guest asking: it failed (could not load the kernel, aborted, was killed
    // by someone else) or the guest left through isa-debug-exit with an unexpected value.
    if (e.qemuSignal !== null)
        return 'qemu-error';
    if (e.qemuExit === 0)
        return 'exited';
    if (e.qemuExit !== null && e.qemuExit % 2 === 1 && e.sawOutput)
        return 'exited';
    return 'qemu-error';
}

// The Linux baseline's /init, and the data files it reads. The script is a constant: the app's
// command, environment and working directory reach it only as NUL-separated data files in /.ukc,
// never as script text, so no value can be read as shell syntax.
/** The baseline's private directory in the initrd (busybox, modules, init, data files). */
const UKC_DIR = '.ukc';
/** The virtio network drivers are modules in Debian's cloud kernel; this is their load order. */
const VIRTIO_NET_MODULES = [
    'virtio_ring',
    'virtio',
    'virtio_pci_modern_dev',
    'virtio_pci_legacy_dev',
    'virtio_pci',
    'failover',
    'net_failover',
    'virtio_net'
];
/** pvpanic: lets a kernel panic reach QEMU as a GUEST_PANICKED event (QEMU's -device pvpanic). */
const PVPANIC_MODULES = ['pvpanic', 'pvpanic_mmio'];
/** Where a traced run keeps strace, its loader and its libraries (apart from the app's own /lib). */
const STRACE_DIR = `${UKC_DIR}/strace`;
/**
 * The trace's device: the guest's second serial port, which QEMU writes to a file of its own, so the
 * console (ttyS0) carries the app's output alone.
 */
const TRACE_TTY = '/dev/ttyS1';
/**
 * strace's options. `-D`: strace runs as a grandchild, so the app stays the init's own child (its
 * parent is pid 1 and the init waits for it, as in an untraced run); `-f`: children and threads
 * too; `-q`: no attach/detach messages (the `+++ exited with N +++` lines stay, as in a plain
 * `strace -f`); `-s 256`: strings up to 256 bytes.
 */
const STRACE_OPTIONS = ['-D', '-f', '-q', '-s', '256'];
/**
 * The traced command's prefix, as the init runs it: strace through its own loader and libraries
 * (`--library-path`; none for a static strace), writing to the trace port; the app's variables
 * follow as `-E NAME=value`, then `--`, the program and its arguments. Its first word is strace's
 * argv[0], by which the init finds strace's process at the end.
 */
function straceCommand(opts = {}) {
    const run = (opts.loader ?? true)
        ? [`/${STRACE_DIR}/ld.so`, '--library-path', `/${STRACE_DIR}/lib`, `/${STRACE_DIR}/strace`]
        : [`/${STRACE_DIR}/strace`];
    return [...run, ...STRACE_OPTIONS, '-o', TRACE_TTY];
}
/** Unikraft's ELF loader starts programs with this PATH; the baseline does the same when none is set. */
const DEFAULT_GUEST_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const INIT_SCRIPT = `#!/${UKC_DIR}/busybox sh
# unikraft-compat Linux baseline init (generated). Inputs come from NUL-separated files in /${UKC_DIR}.
B=/${UKC_DIR}/busybox
$B mkdir -p /proc /sys /dev /tmp
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
$B mount -t devtmpfs devtmpfs /dev
echo "${GUEST_INIT_PREFIX}linux $($B uname -r)"
for m in /${UKC_DIR}/modules/*.ko; do
  [ -e "$m" ] || continue
  $B insmod "$m" || echo "ukc-init: could not load module \${m##*/}"
done
$B ip link set lo up
if [ -e /sys/class/net/eth0 ]; then
  $B ip link set eth0 up &&
    $B ip addr add ${USERNET_GUEST_CIDR} dev eth0 &&
    $B ip route add default via ${USERNET_GATEWAY} ||
    echo "ukc-init: could not configure eth0"
  if [ -d /etc ] && [ ! -e /etc/resolv.conf ]; then echo "nameserver ${USERNET_DNS}" > /etc/resolv.conf; fi
fi
set -f
IFS= read -r -d '' cwd < /${UKC_DIR}/cwd
IFS= read -r -d '' path < /${UKC_DIR}/path
IFS= read -r -d '' name < /${UKC_DIR}/argv
prog=$name
case "$name" in
  */*) ;;
  *)
    prog=
    IFS=:
    for d in $path; do
      if [ -n "$d" ] && [ -f "$d/$name" ] && [ -x "$d/$name" ]; then prog=$d/$name; break; fi
    done
    unset IFS
    ;;
esac
if [ -z "$prog" ]; then
  echo "ukc-init: $name: not found in PATH"
  rc=127
elif ! cd "$cwd"; then
  echo "ukc-init: cannot change to the working directory"
  rc=126
else
  set --
  traced=
  if [ -e /${UKC_DIR}/trace ]; then
    IFS= read -r -d '' traced < /${UKC_DIR}/trace
    # strace with an empty environment; the app's variables reach the app through -E.
    while IFS= read -r -d '' a; do set -- "$@" "$a"; done < /${UKC_DIR}/trace
    while IFS= read -r -d '' a; do set -- "$@" -E "$a"; done < /${UKC_DIR}/env
    set -- "$@" --
    $B stty -F ${TRACE_TTY} raw -echo || echo "ukc-init: could not set up the trace port"
  else
    while IFS= read -r -d '' a; do set -- "$@" "$a"; done < /${UKC_DIR}/env
  fi
  set -- "$@" "$prog"
  skip=1
  while IFS= read -r -d '' a; do
    if [ "$skip" = 1 ]; then skip=0; continue; fi
    set -- "$@" "$a"
  done < /${UKC_DIR}/argv
  $B env -i "$@"
  rc=$?
  if [ -n "$traced" ]; then
    # The trace is complete only once strace has ended: what the app left running is killed (the
    # power-off would end it in an untraced run), then strace exits, and its last close of the port
    # returns only when the port has sent everything. $traced is strace's argv[0].
    set +f
    while :; do
      tracer=
      procs=
      for d in /proc/[0-9]*; do
        # Kernel threads and zombies have no command line.
        IFS= read -r -d '' a0 2>/dev/null < "$d/cmdline" || continue
        if [ "$a0" = "$traced" ]; then tracer=\${d#/proc/}; else procs="$procs \${d#/proc/}"; fi
      done
      [ -n "$tracer" ] || break
      for p in $procs; do
        while read -r k v; do
          if [ "$k" = TracerPid: ]; then [ "$v" = "$tracer" ] && $B kill -9 "$p" 2>/dev/null; break; fi
        done 2>/dev/null < "/proc/$p/status"
      done
      $B sleep 0.1
    done
  fi
fi
echo "${GUEST_EXIT_PREFIX}$rc"
$B poweroff -f
`;
/** Each record followed by a NUL, the form the script reads with \`read -d ''\`. */
function nulRecords(items) {
    return Buffer.from(items.map(s => `${s}\0`).join(''), 'utf8');
}
/** Rejects what cannot travel to the guest intact (NUL bytes, keys with '=') or what env(1) would misread. */
function validateLinuxInitInput(input) {
    if (input.cmd.length === 0 || input.cmd[0] === '') {
        throw new ConfigurationError('cmd', "Input 'cmd' must name the program to run, got an empty command");
    }
    input.cmd.forEach((a, i) => {
        if (a.includes('\0'))
            throw new ConfigurationError('cmd', `Input 'cmd': argument ${i} contains a NUL byte`);
    });
    // env(1) takes a leading word with '=' as another variable, not as the program.
    if (input.cmd[0].includes('=')) {
        throw new ConfigurationError('cmd', `Input 'cmd': the program name must not contain '=', got '${input.cmd[0]}'`);
    }
    for (const [k, v] of Object.entries(input.env)) {
        if (k === '' || k.includes('=') || k.includes('\0') || v.includes('\0')) {
            throw new ConfigurationError('env', `Input 'env' must be NAME=value pairs without NUL bytes, got '${k}'`);
        }
    }
    if (input.cwd !== undefined && (!input.cwd.startsWith('/') || input.cwd.includes('\0'))) {
        throw new ConfigurationError('workdir', `Input 'workdir' must be an absolute path in the guest, got '${input.cwd}'`);
    }
}
/** The data files of /.ukc for one run. */
function linuxInitDataFiles(input) {
    validateLinuxInitInput(input);
    // Like the ELF loader, the program gets a PATH even when none was given.
    const env = { PATH: DEFAULT_GUEST_PATH, ...input.env };
    const envEntries = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    return [
        { name: 'argv', data: nulRecords(input.cmd) },
        { name: 'env', data: nulRecords(envEntries) },
        { name: 'cwd', data: nulRecords([input.cwd ?? '/']) },
        { name: 'path', data: nulRecords([env.PATH]) },
        ...(input.trace
            ? [{ name: 'trace', data: nulRecords(straceCommand(input.trace === true ? {} : input.trace)) }]
            : [])
    ];
}

// The kernel command line of a guest, checked before anything starts: the Linux baseline's fixed
// one (its command travels as initrd data), or Unikraft's with the app's command and environment.
/** One argv string on Linux: 32 pages with its NUL (MAX_ARG_STRLEN); QEMU gets `-append` as one. */
const MAX_APPEND_BYTES = 131_071;
function guestCmdline(spec, network, log) {
    if (spec.guest === 'linux') {
        validateLinuxInitInput({ cmd: spec.cmd, env: spec.env, cwd: spec.cwd });
        return buildLinuxCmdline();
    }
    const built = buildUnikraftCmdline({
        mode: spec.initrd !== undefined ? 'elfloader' : 'native',
        cmd: spec.cmd,
        env: spec.env,
        network
    });
    // The pipeline reports these as `config.empty-argument` findings; here they are for the log.
    for (const w of built.warnings)
        log.info(w);
    // The whole command line is one argument of QEMU's, and Linux takes none longer (MAX_ARG_STRLEN).
    const bytes = Buffer.byteLength(built.cmdline);
    if (bytes > MAX_APPEND_BYTES) {
        throw new ConfigurationError('cmd', `Input 'cmd' (with 'env') must fit a Unikraft command line of at most ${MAX_APPEND_BYTES} bytes, got ${bytes} bytes: put long arguments in a file of the root filesystem instead`);
    }
    return built.cmdline;
}

// ELF header, program headers and the dynamic section, read from the file's bytes (a program is
// never run to learn about it): class, machine, type, PT_INTERP, DT_NEEDED, DT_RPATH/RUNPATH,
// DT_FLAGS_1, and what the loader will make of it (static, static-PIE, PIE, fixed-address).
class ElfFormatError extends Error {
    name = 'ElfFormatError';
}
const EM = {
    X86_64: 62,
    I386: 3,
    ARM: 40,
    AARCH64: 183,
    RISCV: 243,
    PPC64: 21,
    S390: 22,
    MIPS: 8
};
const MACHINE_NAMES = {
    [EM.X86_64]: 'x86-64',
    [EM.I386]: 'i386',
    [EM.ARM]: 'arm',
    [EM.AARCH64]: 'aarch64',
    [EM.RISCV]: 'riscv',
    [EM.PPC64]: 'ppc64',
    [EM.S390]: 's390',
    [EM.MIPS]: 'mips',
    20: 'ppc',
    2: 'sparc',
    43: 'sparcv9',
    258: 'loongarch'
};
const ET = { REL: 1, EXEC: 2, DYN: 3, CORE: 4 };
const PT_LOAD$1 = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT = {
    NULL: 0,
    NEEDED: 1,
    STRTAB: 5,
    STRSZ: 10,
    SONAME: 14,
    RPATH: 15,
    RUNPATH: 29,
    FLAGS_1: 0x6ffffffb
};
const DF_1_PIE = 0x08000000;
const MAX_PHNUM = 4096;
const MAX_DYN_BYTES = 1 << 20;
const MAX_STRTAB_BYTES = 64 << 20;
function isElfMagic(head) {
    return head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
}
function parse(readAt, what) {
    const fail = (why) => {
        throw new ElfFormatError(`${what}: ${why}`);
    };
    const ident = readAt(0, 64);
    if (!isElfMagic(ident))
        fail('not an ELF file');
    const cls = ident[4];
    const data = ident[5];
    if (cls !== 1 && cls !== 2)
        fail(`unknown ELF class ${cls}`);
    if (data !== 1 && data !== 2)
        fail(`unknown ELF data encoding ${data}`);
    const is64 = cls === 2;
    const le = data === 1;
    if (ident.length < (is64 ? 64 : 52))
        fail('truncated ELF header');
    const u16 = (b, o) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (b, o) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const u64 = (b, o) => Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o));
    const addr = (b, o) => (is64 ? u64(b, o) : u32(b, o));
    const sword = (b, o) => is64 ? Number(le ? b.readBigInt64LE(o) : b.readBigInt64BE(o)) : le ? b.readInt32LE(o) : b.readInt32BE(o);
    const type = u16(ident, 16);
    const machine = u16(ident, 18);
    const entry = addr(ident, 24);
    const phoff = addr(ident, is64 ? 32 : 28);
    const phentsize = u16(ident, is64 ? 54 : 42);
    const phnum = u16(ident, is64 ? 56 : 44);
    const segs = [];
    if (phnum > 0) {
        if (phnum > MAX_PHNUM)
            fail(`implausible program header count ${phnum}`);
        if (phentsize < (is64 ? 56 : 32))
            fail(`program header entries of ${phentsize} bytes`);
        const ph = readAt(phoff, phnum * phentsize);
        if (ph.length < phnum * phentsize)
            fail('truncated program headers');
        for (let i = 0; i < phnum; i++) {
            const o = i * phentsize;
            segs.push(is64
                ? { type: u32(ph, o), offset: u64(ph, o + 8), vaddr: u64(ph, o + 16), filesz: u64(ph, o + 32) }
                : { type: u32(ph, o), offset: u32(ph, o + 4), vaddr: u32(ph, o + 8), filesz: u32(ph, o + 16) });
        }
    }
    let interpreter = null;
    const interp = segs.find(s => s.type === PT_INTERP);
    if (interp) {
        const b = readAt(interp.offset, Math.min(interp.filesz, 4096));
        const z = b.indexOf(0);
        interpreter = (z >= 0 ? b.subarray(0, z) : b).toString('utf8');
    }
    const info = {
        elfClass: is64 ? 64 : 32,
        endian: le ? 'little' : 'big',
        machine,
        machineName: MACHINE_NAMES[machine] ?? `EM_${machine}`,
        type,
        kind: 'unknown',
        positionIndependent: type === ET.DYN,
        entry,
        interpreter,
        hasDynamic: false,
        needed: [],
        soname: null,
        rpath: null,
        runpath: null,
        flags1: 0
    };
    const dyn = segs.find(s => s.type === PT_DYNAMIC);
    if (dyn && dyn.filesz > 0) {
        info.hasDynamic = true;
        const d = readAt(dyn.offset, Math.min(dyn.filesz, MAX_DYN_BYTES));
        const entSize = is64 ? 16 : 8;
        const tags = [];
        for (let o = 0; o + entSize <= d.length; o += entSize) {
            const tag = sword(d, o);
            if (tag === DT.NULL)
                break;
            tags.push({ tag, val: addr(d, o + (is64 ? 8 : 4)) });
        }
        const strtabAddr = tags.find(t => t.tag === DT.STRTAB)?.val;
        const strsz = tags.find(t => t.tag === DT.STRSZ)?.val ?? 0;
        let strtab = null;
        if (strtabAddr !== undefined) {
            // DT_STRTAB is an address: map it to a file offset through the PT_LOAD segments.
            const load = segs.find(s => s.type === PT_LOAD$1 && strtabAddr >= s.vaddr && strtabAddr < s.vaddr + s.filesz);
            if (load)
                strtab = readAt(load.offset + (strtabAddr - load.vaddr), Math.min(strsz || 1 << 16, MAX_STRTAB_BYTES));
        }
        const str = (off) => {
            if (!strtab || off >= strtab.length)
                fail(`dynamic string at ${off} lies outside the string table`);
            const t = strtab;
            const z = t.indexOf(0, off);
            return t.subarray(off, z >= 0 ? z : t.length).toString('utf8');
        };
        for (const t of tags) {
            switch (t.tag) {
                case DT.NEEDED:
                    info.needed.push(str(t.val));
                    break;
                case DT.SONAME:
                    info.soname = str(t.val);
                    break;
                case DT.RPATH:
                    info.rpath = [...(info.rpath ?? []), ...str(t.val).split(':')];
                    break;
                case DT.RUNPATH:
                    info.runpath = [...(info.runpath ?? []), ...str(t.val).split(':')];
                    break;
                case DT.FLAGS_1:
                    info.flags1 = t.val >>> 0;
                    break;
            }
        }
    }
    info.kind = classify(info);
    return info;
}
function classify(i) {
    switch (i.type) {
        case ET.EXEC:
            return i.interpreter ? 'fixed-address' : 'static';
        case ET.DYN:
            if (i.interpreter)
                return 'pie';
            // gcc -static-pie sets DF_1_PIE; a shared library does not (and usually has a soname).
            if (i.flags1 & DF_1_PIE)
                return 'static-pie';
            return 'shared-library';
        case ET.REL:
            return 'relocatable';
        case ET.CORE:
            return 'core';
        default:
            return 'unknown';
    }
}
/** Reads only the parts it needs (header, program headers, dynamic section, string table) from the file. */
function readElf(path) {
    const fd = openSync(path, 'r');
    try {
        return parse((o, n) => {
            const b = Buffer.allocUnsafe(n);
            let got = 0;
            while (got < n) {
                const k = readSync(fd, b, got, n - got, o + got);
                if (k === 0)
                    break;
                got += k;
            }
            return b.subarray(0, got);
        }, path);
    }
    finally {
        closeSync(fd);
    }
}
/** First bytes of a file (to tell ELF from a `#!` script from anything else). */
function readHead$1(path, n = 256) {
    const fd = openSync(path, 'r');
    try {
        const b = Buffer.alloc(n);
        const k = readSync(fd, b, 0, n, 0);
        return b.subarray(0, k);
    }
    finally {
        closeSync(fd);
    }
}
/** `#!/bin/sh -e` -> { interpreter: '/bin/sh', arg: '-e' }, as the kernel splits it. */
function parseShebang(head) {
    if (head.length < 2 || head[0] !== 0x23 || head[1] !== 0x21)
        return null;
    const nl = head.indexOf(0x0a);
    const line = head
        .subarray(2, nl >= 0 ? nl : head.length)
        .toString('utf8')
        .replace(/\r$/, '')
        .trim();
    if (!line)
        return null;
    const m = /^(\S+)(?:\s+(.*))?$/.exec(line);
    if (!m)
        return null;
    return { interpreter: m[1], arg: m[2]?.trim() || null };
}

// /etc/ld.so.conf as ldconfig reads it, inside a tree: one directory per line, `include`
// globs (relative ones taken from the including file's directory), comments, `hwcap` ignored.
const MAX_INCLUDE_DEPTH = 16;
function globToRegExp(glob) {
    let re = '^';
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === '*')
            re += '[^/]*';
        else if (c === '?')
            re += '[^/]';
        else if (c === '[') {
            const end = glob.indexOf(']', i + 2);
            if (end < 0)
                re += '\\[';
            else {
                const body = glob
                    .slice(i + 1, end)
                    .replace(/^!/, '^')
                    .replace(/\\/g, '\\\\');
                re += `[${body}]`;
                i = end;
            }
        }
        else
            re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
    return new RegExp(re + '$');
}
/** Expands a glob inside the tree; results sorted, as glob(3) returns them. */
function globInTree(view, pattern) {
    let paths = ['/'];
    for (const comp of pattern.split('/').filter(Boolean)) {
        const next = [];
        for (const dir of paths) {
            if (!/[*?[]/.test(comp)) {
                next.push(dir === '/' ? `/${comp}` : `${dir}/${comp}`);
                continue;
            }
            const real = view.resolve(dir);
            if (!real || !real.stats.isDirectory())
                continue;
            let names;
            try {
                names = readdirSync(view.hostPath(real.path)).sort();
            }
            catch {
                continue;
            }
            const re = globToRegExp(comp);
            for (const n of names)
                if (!n.startsWith('.') && re.test(n))
                    next.push(dir === '/' ? `/${n}` : `${dir}/${n}`);
        }
        paths = next;
    }
    return paths.filter(p => view.resolve(p) !== null);
}
/** The library directories an ld.so.conf names, in order, duplicates removed. */
function readLdSoConf(view, confPath = '/etc/ld.so.conf') {
    const dirs = [];
    const seen = new Set();
    const visit = (file, depth) => {
        if (depth > MAX_INCLUDE_DEPTH)
            return;
        const real = view.resolve(file);
        if (!real || !real.stats.isFile())
            return;
        let text;
        try {
            text = readFileSync(view.hostPath(real.path), 'utf8');
        }
        catch {
            return;
        }
        for (const raw of text.split('\n')) {
            const line = raw.replace(/#.*$/, '').trim();
            if (!line)
                continue;
            const inc = /^include\s+(.+)$/.exec(line);
            if (inc) {
                for (const pat of inc[1].split(/\s+/)) {
                    const abs = pat.startsWith('/') ? pat : `${guestDirname(file)}/${pat}`;
                    for (const f of globInTree(view, abs))
                        visit(f, depth + 1);
                }
                continue;
            }
            if (/^hwcap\s/.test(line))
                continue;
            // Legacy "dir=TYPE" lines: the type is ignored by modern ldconfig too.
            const dir = toGuestPath(line.replace(/=.*$/, '').trim());
            if (!seen.has(dir)) {
                seen.add(dir);
                dirs.push(dir);
            }
        }
    };
    visit(confPath, 0);
    return dirs;
}

// The files a dynamically linked program needs, found the way glibc's ld.so finds them, inside
// a sysroot: DT_RPATH (only when the object has no DT_RUNPATH, inherited up the loader chain),
// LD_LIBRARY_PATH, DT_RUNPATH, /etc/ld.so.conf (+ includes), then the default and multiarch
// directories; $ORIGIN/$LIB/$PLATFORM expanded; candidates of another class or machine skipped.
const DEFAULT_LIBRARY_DIRS = [
    '/lib/x86_64-linux-gnu',
    '/usr/lib/x86_64-linux-gnu',
    '/lib64',
    '/usr/lib64',
    '/lib',
    '/usr/lib'
];
/** Caches of one sysroot: lookups, parsed ELF headers and ld.so.conf. */
class ClosureResolver {
    sysroot;
    view;
    conf = null;
    elfCache = new Map();
    constructor(sysroot) {
        this.sysroot = sysroot;
        this.view = new TreeView(sysroot);
    }
    confDirs() {
        this.conf ??= readLdSoConf(this.view);
        return this.conf;
    }
    /** Parsed ELF of a real guest path; ElfFormatError when it is not one. */
    elf(realPath) {
        let e = this.elfCache.get(realPath);
        if (!e) {
            try {
                e = readElf(this.view.hostPath(realPath));
            }
            catch (err) {
                e = err instanceof ElfFormatError ? err : new ElfFormatError(`${realPath}: ${err.message}`);
            }
            this.elfCache.set(realPath, e);
        }
        return e;
    }
}
function expandTokens(dir, origin, elf) {
    const lib = elf.elfClass === 64 && elf.machine === EM.X86_64 ? 'lib/x86_64-linux-gnu' : 'lib';
    const platform = elf.machineName === 'x86-64' ? 'x86_64' : elf.machineName;
    const out = dir
        .replace(/\$\{ORIGIN\}|\$ORIGIN(?![A-Za-z0-9_])/g, origin)
        .replace(/\$\{LIB\}|\$LIB(?![A-Za-z0-9_])/g, lib)
        .replace(/\$\{PLATFORM\}|\$PLATFORM(?![A-Za-z0-9_])/g, platform);
    // An empty entry means the current directory: meaningless for a guest started at '/'.
    if (out === '')
        return null;
    return toGuestPath(out);
}
function compatible(a, b) {
    return a.elfClass === b.elfClass && a.machine === b.machine && a.endian === b.endian;
}
function resolveClosure(programPath, opts = {}) {
    const r = opts.resolver ?? new ClosureResolver(opts.sysroot ?? '/');
    const view = r.view;
    const guest = toGuestPath(programPath);
    const resolved = view.resolve(guest);
    if (!resolved || !resolved.stats.isFile()) {
        throw new ConfigurationError('rootfs', `Input 'rootfs' must be binary:PATH of a program file, got 'binary:${programPath}': '${guest}' is not a file in ${r.sysroot === '/' ? 'the host' : `'${r.sysroot}'`}`);
    }
    const progElf = r.elf(resolved.path);
    if (progElf instanceof ElfFormatError)
        throw new ConfigurationError('rootfs', `Input 'rootfs' must be binary:PATH of an ELF program, got 'binary:${programPath}': ${progElf.message}`);
    const files = new Map();
    const addFiles = (res, role) => {
        for (const l of res.links)
            if (!files.has(l.path))
                files.set(l.path, { path: l.path, type: 'symlink', target: l.target, role: 'link' });
        if (!files.has(res.path))
            files.set(res.path, { path: res.path, type: 'file', role });
    };
    addFiles(resolved, 'program');
    const program = {
        name: guest,
        path: guest,
        realPath: resolved.path,
        elf: progElf,
        via: 'program',
        neededBy: []
    };
    let interpreter = null;
    if (progElf.interpreter) {
        const ir = view.resolve(progElf.interpreter);
        interpreter = { path: progElf.interpreter, realPath: ir && ir.stats.isFile() ? ir.path : null };
        if (ir && ir.stats.isFile())
            addFiles(ir, 'interpreter');
    }
    const byName = new Map();
    const byReal = new Map();
    if (interpreter?.realPath) {
        // ld.so is loaded already when the libraries are: libc's DT_NEEDED on it resolves to it.
        const ie = r.elf(interpreter.realPath);
        if (!(ie instanceof ElfFormatError)) {
            const io = {
                name: interpreter.path,
                path: interpreter.path,
                realPath: interpreter.realPath,
                elf: ie,
                via: 'program',
                neededBy: []
            };
            byReal.set(io.realPath, io);
            if (ie.soname)
                byName.set(ie.soname, io);
        }
    }
    const unresolved = new Map();
    const libraries = [];
    const defaults = new Set(DEFAULT_LIBRARY_DIRS);
    let needsLdSoCache = false;
    const search = (name, loader) => {
        const searched = [];
        const tried = new Set();
        const tryDir = (dir, via) => {
            if (dir === null)
                return null;
            const path = dir === '/' ? `/${name}` : `${dir}/${name}`;
            if (tried.has(path))
                return null;
            tried.add(path);
            searched.push(dir);
            const res = view.resolve(path);
            if (!res || !res.stats.isFile())
                return null;
            const elf = r.elf(res.path);
            if (elf instanceof ElfFormatError || !compatible(elf, progElf))
                return null;
            return { res, path, elf, via };
        };
        if (name.includes('/')) {
            return tryDir(guestDirname(toGuestPath(name)), 'path') ?? { searched };
        }
        const origin = (o) => guestDirname(o === program ? o.realPath : o.path);
        const lo = loader.obj;
        if (!lo.elf.runpath) {
            for (let l = loader; l; l = l.loader) {
                if (l.obj.elf.runpath || !l.obj.elf.rpath)
                    continue;
                for (const d of l.obj.elf.rpath) {
                    const hit = tryDir(expandTokens(d, origin(l.obj), l.obj.elf), 'rpath');
                    if (hit)
                        return hit;
                }
            }
        }
        for (const d of opts.ldLibraryPath ?? []) {
            const hit = tryDir(d ? toGuestPath(d) : null, 'ld-library-path');
            if (hit)
                return hit;
        }
        for (const d of lo.elf.runpath ?? []) {
            const hit = tryDir(expandTokens(d, origin(lo), lo.elf), 'runpath');
            if (hit)
                return hit;
        }
        for (const d of r.confDirs()) {
            const hit = tryDir(d, defaults.has(d) ? 'default' : 'ld.so.conf');
            if (hit)
                return hit;
        }
        for (const d of DEFAULT_LIBRARY_DIRS) {
            const hit = tryDir(d, 'default');
            if (hit)
                return hit;
        }
        return { searched };
    };
    // Breadth-first, like _dl_map_object_deps: a name already loaded (by DT_NEEDED name or
    // soname) is not searched again, whoever needs it next.
    const queue = [{ obj: program, loader: null }];
    for (let qi = 0; qi < queue.length; qi++) {
        const cur = queue[qi];
        for (const name of cur.obj.elf.needed) {
            const known = byName.get(name);
            if (known) {
                if (!known.neededBy.includes(cur.obj.path))
                    known.neededBy.push(cur.obj.path);
                continue;
            }
            const miss = unresolved.get(name);
            if (miss) {
                if (!miss.neededBy.includes(cur.obj.path))
                    miss.neededBy.push(cur.obj.path);
                continue;
            }
            const hit = search(name, cur);
            if ('searched' in hit) {
                unresolved.set(name, { name, neededBy: [cur.obj.path], searched: hit.searched });
                continue;
            }
            const same = byReal.get(hit.res.path);
            if (same) {
                byName.set(name, same);
                same.neededBy.push(cur.obj.path);
                addFiles(hit.res, 'library');
                continue;
            }
            const obj = {
                name,
                path: hit.path,
                realPath: hit.res.path,
                elf: hit.elf,
                via: hit.via,
                neededBy: [cur.obj.path]
            };
            if (hit.via === 'ld.so.conf')
                needsLdSoCache = true;
            byName.set(name, obj);
            if (hit.elf.soname)
                byName.set(hit.elf.soname, obj);
            byReal.set(hit.res.path, obj);
            libraries.push(obj);
            addFiles(hit.res, 'library');
            queue.push({ obj, loader: cur });
        }
    }
    return {
        program,
        interpreter,
        libraries,
        unresolved: [...unresolved.values()],
        files: [...files.values()].sort((a, b) => comparePaths(a.path, b.path)),
        needsLdSoCache
    };
}

// The Linux baseline's strace: the host's own (Debian's package `strace`), copied into the initrd
// with its loader and its library closure under /.ukc/strace, apart from the app's /lib, so neither
// replaces a library of the other. Only a traced run's initrd gets it.
const STRACE_PACKAGE = 'strace';
const STRACE_HINT = `install it: sudo apt-get install ${STRACE_PACKAGE}`;
const SYSTEM_DIRS = ['/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
/** The host's strace: the first on PATH (or in the system directories); InfrastructureError when none. */
async function findHostStrace(dirs = [...(process.env.PATH ?? '').split(delimiter), ...SYSTEM_DIRS]) {
    const searched = [...new Set(dirs.filter(d => d.startsWith('/')))];
    const found = findProgram('strace', { PATH: searched.join(delimiter) });
    if (found)
        return found;
    throw new InfrastructureError(`tracing the app on the Linux baseline needs strace, which is not installed on this machine (looked in ${searched.join(', ')})`, STRACE_HINT);
}
/** strace at `strace` (a host path) with what it needs to run in the guest. */
async function straceBundle(strace) {
    const broken = (why, cause) => new InfrastructureError(`cannot use ${strace} to trace the app on the Linux baseline: ${why}`, STRACE_HINT, cause === undefined ? undefined : { cause });
    if (!isAbsolute(strace) || findProgram(strace) === null)
        throw broken('it is no executable file');
    let closure;
    try {
        closure = resolveClosure(strace, { sysroot: '/' });
    }
    catch (e) {
        if (!(e instanceof ConfigurationError))
            throw e;
        throw broken(/ELF/.test(e.message) ? 'it is no ELF program' : e.message, e);
    }
    const elf = closure.program.elf;
    if (elf.elfClass !== 64 || elf.machine !== EM.X86_64)
        throw broken(`it is a ${elf.machineName} program`);
    if (closure.unresolved.length > 0) {
        throw broken(`its libraries ${closure.unresolved.map(u => u.name).join(', ')} are not on this machine`);
    }
    if (closure.interpreter && closure.interpreter.realPath === null) {
        throw broken(`its loader ${closure.interpreter.path} is not on this machine`);
    }
    const files = [
        { path: `${STRACE_DIR}/strace`, source: closure.program.realPath, mode: 0o755 }
    ];
    if (closure.interpreter?.realPath) {
        files.push({ path: `${STRACE_DIR}/ld.so`, source: closure.interpreter.realPath, mode: 0o755 });
    }
    // By the name the loader looks for (DT_NEEDED), the bytes of the file it resolves to.
    for (const lib of closure.libraries) {
        files.push({ path: `${STRACE_DIR}/lib/${basename(lib.name)}`, source: lib.realPath, mode: 0o644 });
    }
    const entries = [
        { path: STRACE_DIR, type: 'dir', mode: 0o755 },
        { path: `${STRACE_DIR}/lib`, type: 'dir', mode: 0o755 }
    ];
    let bytes = 0;
    for (const f of files) {
        // Guest paths of sysroot '/' are host paths.
        const size = (await stat(f.source)).size;
        bytes += size;
        entries.push({ path: f.path, type: 'file', mode: f.mode, source: f.source, size });
    }
    return { entries, bytes, loader: closure.interpreter !== null };
}

// The Linux baseline's initrd: the app's own cpio archive, then a small overlay archive with the
// generated init, a static busybox, the virtio and pvpanic modules, the run's data files and, for a
// traced run, strace with its loader and libraries.
// Linux unpacks concatenated newc archives in order (later entries win), so the app's archive is
// copied byte for byte and never rewritten.
const MODULE_SUFFIXES = ['.ko', '.ko.xz', '.ko.zst', '.ko.gz'];
function moduleKey(fileName) {
    const suffix = MODULE_SUFFIXES.find(s => fileName.endsWith(s));
    // Module names treat '-' and '_' alike (pvpanic-mmio.ko is module pvpanic_mmio).
    return suffix ? fileName.slice(0, -suffix.length).replaceAll('-', '_') : null;
}
const indexCache = new Map();
/** name -> file for every module under `<modulesDir>/kernel` (walked once per process). */
function moduleIndex(modulesDir) {
    let p = indexCache.get(modulesDir);
    if (!p) {
        p = (async () => {
            const index = new Map();
            const files = await readdir(join(modulesDir, 'kernel'), { recursive: true });
            for (const rel of files) {
                const key = moduleKey(basename(rel));
                if (key && !index.has(key))
                    index.set(key, join(modulesDir, 'kernel', rel));
            }
            return index;
        })();
        indexCache.set(modulesDir, p);
        p.catch(() => indexCache.delete(modulesDir));
    }
    return p;
}
async function builtinModules(modulesDir) {
    try {
        const text = await readFile(join(modulesDir, 'modules.builtin'), 'utf8');
        return new Set(text
            .split('\n')
            .map(l => moduleKey(basename(l.trim())))
            .filter((k) => k !== null));
    }
    catch {
        return new Set();
    }
}
async function selectModules(modulesDir, names) {
    const [index, builtin] = await Promise.all([moduleIndex(modulesDir), builtinModules(modulesDir)]);
    const out = { modules: [], builtin: [], missing: [] };
    for (const name of names) {
        const path = index.get(name);
        if (path)
            out.modules.push({ name, path });
        else if (builtin.has(name))
            out.builtin.push(name);
        else
            out.missing.push(name);
    }
    return out;
}
/**
 * A module as plain ELF. busybox's insmod takes only uncompressed modules, so compressed ones are
 * unpacked here on the host: gzip with zlib, xz and zstd with their programs (argv, no shell).
 */
async function plainModule(path, workDir, runner) {
    if (path.endsWith('.ko'))
        return path;
    if (path.endsWith('.ko.gz'))
        return gunzipSync(await readFile(path));
    const program = path.endsWith('.ko.xz') ? 'xz' : 'zstd';
    const copy = join(workDir, basename(path));
    await copyFile(path, copy);
    try {
        const r = await runner.run([program, '-d', '-q', '-f', copy], { timeoutMs: 60_000 });
        if (r.code !== 0)
            throw new Error(r.stderr.trim() || `status ${r.code}`);
    }
    catch (e) {
        throw new InfrastructureError(`could not decompress kernel module ${basename(path)} with ${program}: ${e.message}`, `install ${program === 'xz' ? 'xz-utils' : 'zstd'}`);
    }
    return copy.replace(/\.(xz|zst)$/, '');
}
/** Without these (as modules or built in) the guest has no virtio-net device, hence no network. */
const ESSENTIAL_NET_MODULES = ['virtio_pci', 'virtio_net'];
async function prepareLinuxInitrd(input) {
    validateLinuxInitInput(input);
    const strace = input.trace ? await straceBundle(input.strace ?? (await findHostStrace())) : null;
    const dataFiles = linuxInitDataFiles({ ...input, trace: strace ? { loader: strace.loader } : false });
    const runner = input.runner ?? nodeCommandRunner;
    const warnings = [];
    await mkdir(dirname(input.outPath), { recursive: true });
    const work = await mkdtemp(join(dirname(input.outPath), '.initrd-'));
    try {
        const bb = await stat(input.busybox);
        const entries = [
            { path: UKC_DIR, type: 'dir', mode: 0o755 },
            { path: `${UKC_DIR}/busybox`, type: 'file', mode: 0o755, source: input.busybox, size: bb.size },
            { path: `${UKC_DIR}/init`, type: 'file', mode: 0o755, data: Buffer.from(INIT_SCRIPT, 'utf8') },
            { path: `${UKC_DIR}/modules`, type: 'dir', mode: 0o755 },
            ...dataFiles.map(f => ({
                path: `${UKC_DIR}/${f.name}`,
                type: 'file',
                mode: 0o644,
                data: f.data
            })),
            // The kernel opens /dev/console for init before anything is mounted.
            { path: 'dev', type: 'dir', mode: 0o755 },
            { path: 'dev/console', type: 'char', mode: 0o600, rdevMajor: 5, rdevMinor: 1 },
            ...(strace?.entries ?? [])
        ];
        const loaded = [];
        let networkProblem = null;
        if (input.modulesDir) {
            const sel = await selectModules(input.modulesDir, [...VIRTIO_NET_MODULES, ...PVPANIC_MODULES]);
            if (sel.missing.length > 0) {
                warnings.push(`kernel modules not found in ${input.modulesDir}: ${sel.missing.join(', ')}`);
            }
            const netMissing = ESSENTIAL_NET_MODULES.filter(m => sel.missing.includes(m));
            if (netMissing.length > 0) {
                networkProblem = `the kernel has no ${netMissing.join(' or ')} (neither a module in ${input.modulesDir} nor built in)`;
            }
            let i = 0;
            for (const m of sel.modules) {
                const plain = await plainModule(m.path, work, runner);
                const path = `${UKC_DIR}/modules/${String(i++).padStart(2, '0')}-${m.name}.ko`;
                if (typeof plain === 'string') {
                    entries.push({ path, type: 'file', mode: 0o644, source: plain, size: (await stat(plain)).size });
                }
                else {
                    entries.push({ path, type: 'file', mode: 0o644, data: plain });
                }
                loaded.push(m.name);
            }
        }
        else {
            warnings.push('no kernel modules directory: the Linux baseline guest has no network');
            networkProblem = 'no kernel modules directory was given, so no virtio-net driver can be loaded';
        }
        const overlay = join(work, 'overlay.cpio');
        await writeCpio(entries, overlay);
        const tmpOut = join(work, 'initrd.cpio');
        if (input.appInitrd !== undefined) {
            await copyFile(input.appInitrd, tmpOut);
            // An uncompressed archive must start on a 4-byte boundary (a gzip member can end anywhere);
            // Linux skips NUL padding between archives.
            const size = (await stat(tmpOut)).size;
            if (size % 4 !== 0)
                await appendFile(tmpOut, Buffer.alloc(4 - (size % 4)));
            await appendFile(tmpOut, await readFile(overlay));
        }
        else {
            await copyFile(overlay, tmpOut);
        }
        await rename(tmpOut, input.outPath);
        return { path: input.outPath, modules: loaded, warnings, networkProblem, traceBytes: strace?.bytes ?? 0 };
    }
    finally {
        await rm(work, { recursive: true, force: true });
    }
}

// What the Linux baseline adds before QEMU starts: its initrd (the app's archive plus the init's
// overlay, with strace for a traced run) and, for a traced run, the file the trace port writes to.
/**
 * A Linux kernel with its initrd does not start in the few MiB a unikernel runs in: below this it
 * dies before printing anything (64 MiB did, with the app and strace in the initrd). The baseline
 * compares behaviour, not memory, so it gets at least this much.
 */
const LINUX_MIN_MEMORY_MIB = 128;
/** The memory QEMU gives a Linux guest asked to run in `asked` MiB. */
function linuxMemoryMiB(asked) {
    return Math.max(asked, LINUX_MIN_MEMORY_MIB);
}
async function prepareLinuxGuest(spec, outDir, network, deps) {
    const { runner, logger: log } = deps;
    const busybox = deps.busybox ??
        (await ensureBusybox(deps.cacheDir ?? join(tmpdir(), 'unikraft-compat-cache'), { runner }));
    const trace = spec.trace === true;
    const built = await prepareLinuxInitrd({
        appInitrd: spec.initrd,
        outPath: join(outDir, RUN_FILES.linuxInitrd),
        cmd: spec.cmd,
        env: spec.env,
        cwd: spec.cwd,
        modulesDir: spec.linuxModulesDir ?? null,
        busybox,
        trace,
        strace: deps.strace,
        runner
    });
    for (const w of built.warnings)
        if (network || !/no network/.test(w))
            log.warning(w);
    if (trace)
        log.info(`VM: tracing the app with strace (${built.traceBytes} bytes added to the initrd)`);
    return {
        initrd: built.path,
        networkProblem: network ? built.networkProblem : null,
        traceFile: trace ? join(outDir, RUN_FILES.strace) : null
    };
}

// Forwarded guest TCP ports: checked as input, then given host ports on 127.0.0.1 (a free one
// unless the caller named it). The mapping is what probes connect to and what reports show.
const HOST_ADDRESS = '127.0.0.1';
function validPort(n) {
    return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
}
/** Throws a ConfigurationError for a port outside 1..65535 or a guest or host port given twice. */
function validatePortForwards(ports, input = 'ports') {
    const guests = new Set();
    const hosts = new Set();
    for (const p of ports) {
        if (!validPort(p.guest))
            throw badInput(input, 'TCP ports from 1 to 65535', String(p.guest));
        if (p.host !== undefined && p.host !== 0 && !validPort(p.host)) {
            throw badInput(input, 'host ports from 1 to 65535 (or 0 for a free one)', String(p.host));
        }
        if (guests.has(p.guest))
            throw new ConfigurationError(input, `Input '${input}' names guest port ${p.guest} twice`);
        guests.add(p.guest);
        if (p.host) {
            if (hosts.has(p.host))
                throw new ConfigurationError(input, `Input '${input}' names host port ${p.host} twice`);
            hosts.add(p.host);
        }
    }
}
function listen(port) {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen({ host: HOST_ADDRESS, port, exclusive: true }, () => resolve(server));
    });
}
function close(server) {
    return new Promise(resolve => server.close(() => resolve()));
}
/**
 * Picks the host side of each forward. Free ports come from the kernel (bind to port 0); all probe
 * sockets stay open until every port is chosen so no two forwards get the same one. A named host
 * port that is taken is the caller's to change. QEMU binds them a moment later: another process
 * could take one in between, which then shows as QEMU failing to set up the forward.
 */
async function allocateHostPorts(ports, input = 'ports') {
    validatePortForwards(ports, input);
    const servers = [];
    try {
        const out = [];
        for (const p of ports) {
            let server;
            try {
                server = await listen(p.host ?? 0);
            }
            catch (e) {
                const code = e.code;
                throw new ConfigurationError(input, `Input '${input}': host port ${p.host} on ${HOST_ADDRESS} is not available (${code ?? String(e)}); ` +
                    `choose another host port or give only the guest port to get a free one`);
            }
            servers.push(server);
            const address = server.address();
            if (address === null || typeof address === 'string')
                throw new Error('port allocation: no TCP address');
            out.push({ host: address.port, guest: p.guest });
        }
        return out;
    }
    finally {
        await Promise.all(servers.map(close));
    }
}

// The QEMU program: present or a clear InfrastructureError naming the package, and its version
// (recorded with every result: TCG's CPU features depend on it). Asked once per process.
const QEMU_INSTALL_HINT = 'install QEMU: sudo apt-get install -y qemu-system-x86 (Debian/Ubuntu), or set the QEMU binary path';
/** `7.2.22` from `QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)`. */
function parseQemuVersionLine(text) {
    return /QEMU emulator version (\d+\.\d+(?:\.\d+)?)/.exec(text)?.[1] ?? null;
}
/** Keyed by the program's absolute path, so `qemu-system-x86_64` and `/usr/bin/qemu-system-x86_64` share. */
const versions = new Map();
const keyOf = (binary) => which(binary) ?? binary;
/** Records a version read elsewhere (setup's check) so a run does not start QEMU twice to ask. */
function rememberQemuVersion(binary, version) {
    versions.set(keyOf(binary), Promise.resolve(version));
}
/**
 * Runs `<binary> --version`. Throws InfrastructureError when the program cannot be run at all;
 * returns null when it runs but does not say its version.
 */
function qemuVersion(binary = QEMU_BINARY, runner = nodeCommandRunner) {
    const key = keyOf(binary);
    let p = versions.get(key);
    if (!p) {
        p = (async () => {
            try {
                const r = await runner.run([binary, '--version'], { timeoutMs: 10_000 });
                if (r.code !== 0) {
                    throw new InfrastructureError(`'${binary} --version' failed (${r.code ?? r.signal}): ${r.stderr.trim().split('\n')[0] ?? ''}`, QEMU_INSTALL_HINT);
                }
                return parseQemuVersionLine(r.stdout);
            }
            catch (e) {
                if (e instanceof InfrastructureError && e.hint)
                    throw e;
                throw new InfrastructureError(`QEMU is not installed or cannot run: '${binary}' (${e.message})`, QEMU_INSTALL_HINT, { cause: e });
            }
        })();
        versions.set(key, p);
        // A failure is not remembered: the caller may install QEMU and try again.
        p.catch(() => versions.delete(key));
    }
    return p;
}

// A small QMP client: JSON lines over QEMU's unix control socket. Capabilities negotiation,
// commands matched to replies by id, and asynchronous events (SHUTDOWN, STOP, GUEST_PANICKED).
class QmpError extends Error {
    errorClass;
    name = 'QmpError';
    constructor(message, errorClass) {
        super(message);
        this.errorClass = errorClass;
    }
}
function connectOnce(path) {
    return new Promise((resolve, reject) => {
        const s = createConnection({ path });
        s.once('connect', () => {
            s.removeListener('error', reject);
            resolve(s);
        });
        s.once('error', reject);
    });
}
class QmpClient {
    socket;
    buffer = '';
    nextId = 1;
    pending = new Map();
    eventListeners = new Set();
    closeListeners = new Set();
    greetingWaiter = null;
    closed = false;
    greeting = null;
    constructor(socket) {
        this.socket = socket;
        socket.setEncoding('utf8');
        socket.on('data', (chunk) => this.onData(chunk));
        socket.on('error', () => {
            // reported through 'close'
        });
        socket.on('close', () => this.handleClose());
    }
    /** Connects (retrying while the socket does not exist yet), reads the greeting, negotiates. */
    static async connect(path, opts) {
        const deadline = performance.now() + opts.timeoutMs;
        let lastError;
        for (;;) {
            if (opts.shouldStop?.())
                throw new QmpError(`QMP: gave up connecting to ${path}`);
            try {
                const socket = await connectOnce(path);
                const client = new QmpClient(socket);
                try {
                    await client.negotiate(Math.max(1000, deadline - performance.now()));
                }
                catch (e) {
                    client.close();
                    throw e;
                }
                return client;
            }
            catch (e) {
                lastError = e;
                const code = e.code;
                if (code !== 'ENOENT' && code !== 'ECONNREFUSED')
                    throw e;
            }
            if (performance.now() >= deadline) {
                throw new QmpError(`QMP: could not connect to ${path}: ${lastError?.message ?? 'timeout'}`);
            }
            await new Promise(r => setTimeout(r, opts.retryMs ?? 10));
        }
    }
    async negotiate(timeoutMs) {
        await new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new QmpError('QMP: no greeting')), timeoutMs);
            this.greetingWaiter = {
                resolve: v => {
                    clearTimeout(timer);
                    resolve(v);
                },
                reject: e => {
                    clearTimeout(timer);
                    reject(e);
                }
            };
        });
        await this.execute('qmp_capabilities', undefined, { timeoutMs });
    }
    onData(chunk) {
        this.buffer += chunk;
        let nl;
        while ((nl = this.buffer.indexOf('\n')) >= 0) {
            const line = this.buffer.slice(0, nl).trim();
            this.buffer = this.buffer.slice(nl + 1);
            if (line)
                this.onMessage(line);
        }
    }
    onMessage(line) {
        let msg;
        try {
            msg = JSON.parse(line);
        }
        catch {
            return;
        }
        if ('QMP' in msg) {
            this.greeting = msg.QMP;
            this.greetingWaiter?.resolve(msg.QMP);
            this.greetingWaiter = null;
            return;
        }
        if (typeof msg.event === 'string') {
            const e = msg;
            for (const cb of this.eventListeners) {
                try {
                    cb(e);
                }
                catch {
                    // a listener's bug must not break the control channel
                }
            }
            return;
        }
        const id = typeof msg.id === 'string' ? msg.id : undefined;
        const p = id !== undefined ? this.pending.get(id) : undefined;
        if (!p || id === undefined)
            return;
        this.pending.delete(id);
        if (p.timer)
            clearTimeout(p.timer);
        if ('error' in msg) {
            const err = msg.error;
            p.reject(new QmpError(`QMP: ${err.desc ?? 'error'}`, err.class));
        }
        else {
            p.resolve(msg.return);
        }
    }
    handleClose() {
        if (this.closed)
            return;
        this.closed = true;
        const err = new QmpError('QMP: connection closed');
        this.greetingWaiter?.reject(err);
        for (const p of this.pending.values()) {
            if (p.timer)
                clearTimeout(p.timer);
            p.reject(err);
        }
        this.pending.clear();
        for (const cb of this.closeListeners)
            cb();
    }
    get isClosed() {
        return this.closed;
    }
    execute(command, args, opts = {}) {
        if (this.closed)
            return Promise.reject(new QmpError('QMP: connection closed'));
        const id = `ukc-${this.nextId++}`;
        return new Promise((resolve, reject) => {
            const p = { resolve: v => resolve(v), reject };
            if (opts.timeoutMs !== undefined) {
                p.timer = setTimeout(() => {
                    this.pending.delete(id);
                    reject(new QmpError(`QMP: '${command}' got no reply within ${opts.timeoutMs} ms`));
                }, opts.timeoutMs);
            }
            this.pending.set(id, p);
            this.socket.write(JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id }) + '\n');
        });
    }
    /** A human monitor command (e.g. `info usernet`); returns its text output. */
    humanMonitorCommand(commandLine, opts = {}) {
        return this.execute('human-monitor-command', { 'command-line': commandLine }, opts);
    }
    onEvent(cb) {
        this.eventListeners.add(cb);
        return () => this.eventListeners.delete(cb);
    }
    onClose(cb) {
        if (this.closed)
            cb();
        else
            this.closeListeners.add(cb);
        return () => this.closeListeners.delete(cb);
    }
    close() {
        this.socket.destroy();
    }
}

// Opening a file an input names (kernel, initrd): one wording for why it cannot be read.
/** `no such file`, `permission denied`, or the error's code. */
function whyUnreadable(e) {
    const code = e.code;
    return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? String(e));
}
/** The open file, or `refuse(why)` thrown when it cannot be opened or is not a regular file. */
async function openRegularFile(path, refuse) {
    let fh;
    try {
        fh = await open(path, 'r');
    }
    catch (e) {
        throw refuse(whyUnreadable(e));
    }
    if (!(await fh.stat()).isFile()) {
        await fh.close();
        throw refuse('not a regular file');
    }
    return fh;
}

// What a kernel file is, read from its bytes before QEMU sees it: QEMU's x86 `-kernel` boots a
// multiboot image (Unikraft's qemu/x86_64 images, ELF or a.out kludge), an x86 ELF with a PVH note,
// or a Linux bzImage (the baseline). Anything else (an ARM image, a Linux program, a text file, a
// truncated download) is named here as a mistake in the input, instead of a guest that "failed".
/** Multiboot 1 looks in the first 8 KiB, multiboot 2 in the first 32 KiB. */
const MB1_MAGIC = 0x1badb002;
const MB2_MAGIC = 0xe85250d6;
const SCAN_BYTES = 32 * 1024;
const MB1_AOUT_KLUDGE = 1 << 16;
const XEN_ELFNOTE_PHYS32_ENTRY = 18;
const PT_LOAD = 1;
const PT_NOTE = 4;
const EM_386 = 3;
const EM_X86_64 = 62;
const ARCH_NAMES = {
    40: 'ARM (32-bit)',
    183: 'ARM64 (aarch64)',
    243: 'RISC-V',
    21: 'PowerPC 64',
    22: 's390x',
    8: 'MIPS'
};
const ACCEPTED = 'a Unikraft kernel image for qemu/x86_64 (a multiboot ELF such as <app>_qemu-x86_64 from a Unikraft build, or .unikraft/build/... from kraft build)';
function refuse(input, path, why, what = ACCEPTED) {
    return new ConfigurationError(input, `Input '${input}' must be ${what}, got '${path}': ${why}`);
}
/** The offset of a valid multiboot 1 header (magic + flags + checksum = 0), or -1. */
function findMultiboot1(head) {
    for (let o = 0; o + 12 <= Math.min(head.length, 8192); o += 4) {
        if (head.readUInt32LE(o) !== MB1_MAGIC)
            continue;
        const flags = head.readUInt32LE(o + 4);
        if ((MB1_MAGIC + flags + head.readUInt32LE(o + 8)) >>> 0 === 0)
            return o;
    }
    return -1;
}
function findMultiboot2(head) {
    for (let o = 0; o + 16 <= Math.min(head.length, SCAN_BYTES); o += 8) {
        if (head.readUInt32LE(o) !== MB2_MAGIC)
            continue;
        const arch = head.readUInt32LE(o + 4);
        const len = head.readUInt32LE(o + 8);
        if ((MB2_MAGIC + arch + len + head.readUInt32LE(o + 12)) >>> 0 === 0)
            return o;
    }
    return -1;
}
function readElfSegments(head, readAt) {
    return (async () => {
        const cls = head[4] === 2 ? 64 : head[4] === 1 ? 32 : 0;
        if (cls === 0 || head[5] !== 1)
            return 'an ELF file that is not little-endian 32- or 64-bit';
        const machine = head.readUInt16LE(18);
        const phoff = cls === 64 ? Number(head.readBigUInt64LE(32)) : head.readUInt32LE(28);
        const phentsize = head.readUInt16LE(cls === 64 ? 54 : 42);
        const phnum = head.readUInt16LE(cls === 64 ? 56 : 44);
        if (phnum === 0 || phnum > 4096 || phentsize < (cls === 64 ? 56 : 32))
            return 'an ELF file without program headers';
        const table = await readAt(phoff, phnum * phentsize);
        if (table.length < phnum * phentsize)
            return 'truncated: its program headers run past the end of the file';
        const loads = [];
        const notes = [];
        for (let i = 0; i < phnum; i++) {
            const e = i * phentsize;
            const type = table.readUInt32LE(e);
            const offset = cls === 64 ? Number(table.readBigUInt64LE(e + 8)) : table.readUInt32LE(e + 4);
            const filesz = cls === 64 ? Number(table.readBigUInt64LE(e + 32)) : table.readUInt32LE(e + 16);
            if (type === PT_LOAD)
                loads.push([offset, filesz]);
            if (type === PT_NOTE)
                notes.push([offset, filesz]);
        }
        return { cls, machine, loads, notes };
    })();
}
/** Whether a PT_NOTE block holds Xen's PHYS32_ENTRY note (what QEMU's PVH boot looks for). */
function hasPvhNote(note) {
    let o = 0;
    while (o + 12 <= note.length) {
        const namesz = note.readUInt32LE(o);
        const descsz = note.readUInt32LE(o + 4);
        const type = note.readUInt32LE(o + 8);
        const name = note.subarray(o + 12, o + 12 + namesz).toString('latin1');
        if (type === XEN_ELFNOTE_PHYS32_ENTRY && name.startsWith('Xen'))
            return true;
        o += 12 + Math.ceil(namesz / 4) * 4 + Math.ceil(descsz / 4) * 4;
    }
    return false;
}
/**
 * Reads the kernel's headers and says what QEMU will make of it, or throws a ConfigurationError
 * naming `input`, the file and what is wrong (empty, another architecture, a program, truncated).
 */
async function inspectKernelImage(path, input = 'kernel') {
    const fh = await openRegularFile(path, why => refuse(input, path, why, 'a readable kernel image file'));
    try {
        const size = (await fh.stat()).size;
        if (size === 0)
            throw refuse(input, path, 'the file is empty');
        const readAt = async (o, n) => {
            if (o >= size)
                return Buffer.alloc(0);
            const b = Buffer.alloc(Math.min(n, size - o));
            const { bytesRead } = await fh.read(b, 0, b.length, o);
            return b.subarray(0, bytesRead);
        };
        const head = await readAt(0, SCAN_BYTES);
        const isElf = head.length >= 64 && head.readUInt32BE(0) === 0x7f454c46;
        if (!isElf) {
            if (head.length >= 0x206 && head.toString('latin1', 0x202, 0x206) === 'HdrS') {
                return { format: 'bzimage', container: 'raw', bytes: size };
            }
            if (head.length >= 0x3c && head.toString('latin1', 0x38, 0x3c) === 'ARM\x64') {
                throw refuse(input, path, 'an ARM64 Linux/Unikraft image (built for arm64, not x86_64)');
            }
            const mb1 = findMultiboot1(head);
            if (mb1 >= 0) {
                const flags = head.readUInt32LE(mb1 + 4);
                if (flags & MB1_AOUT_KLUDGE && mb1 + 32 <= head.length) {
                    // header_addr, load_addr, load_end_addr: the loaded bytes must all be in the file.
                    const headerAddr = head.readUInt32LE(mb1 + 12);
                    const loadAddr = head.readUInt32LE(mb1 + 16);
                    const loadEnd = head.readUInt32LE(mb1 + 20);
                    const start = mb1 - (headerAddr - loadAddr);
                    if (loadEnd !== 0 && start + (loadEnd - loadAddr) > size) {
                        throw refuse(input, path, `truncated: its multiboot header loads ${loadEnd - loadAddr} bytes, the file has ${size - start}`);
                    }
                }
                return { format: 'multiboot', container: 'raw', bytes: size };
            }
            if (findMultiboot2(head) >= 0)
                return { format: 'multiboot2', container: 'raw', bytes: size };
            const text = /^[\x09\x0a\x0d\x20-\x7e]*$/.test(head.toString('latin1', 0, Math.min(64, head.length)));
            throw refuse(input, path, text ? 'a text file, not a kernel image' : 'no multiboot header and not an ELF file or a bzImage');
        }
        const seg = await readElfSegments(head, readAt);
        if (typeof seg === 'string')
            throw refuse(input, path, seg);
        if (seg.machine !== EM_X86_64 && seg.machine !== EM_386) {
            const arch = ARCH_NAMES[seg.machine] ?? `machine ${seg.machine}`;
            throw refuse(input, path, `an ELF file for ${arch}, not x86_64`);
        }
        for (const [offset, filesz] of seg.loads) {
            if (offset + filesz > size) {
                throw refuse(input, path, `truncated: a loadable segment ends at byte ${offset + filesz}, the file has ${size}`);
            }
        }
        const container = seg.cls === 64 ? 'ELF64' : 'ELF32';
        const mb1 = findMultiboot1(head);
        if (mb1 >= 0) {
            // QEMU's multiboot loader reads ELF32 only, unless the header gives the load addresses itself.
            if (seg.cls === 64 && !(head.readUInt32LE(mb1 + 4) & MB1_AOUT_KLUDGE)) {
                throw refuse(input, path, "an ELF64 multiboot image, which QEMU's multiboot loader refuses ('give a 32bit one'): use the image Unikraft's build leaves as <app>_qemu-x86_64, not its .dbg file");
            }
            return { format: 'multiboot', container, bytes: size };
        }
        if (findMultiboot2(head) >= 0)
            return { format: 'multiboot2', container, bytes: size };
        for (const [offset, filesz] of seg.notes) {
            if (hasPvhNote(await readAt(offset, Math.min(filesz, 1 << 20))))
                return { format: 'pvh-elf', container, bytes: size };
        }
        const type = head.readUInt16LE(16);
        throw refuse(input, path, type === 3
            ? 'an x86_64 Linux program or library, not a kernel (give a program as the root filesystem and cmd instead)'
            : 'an x86 ELF file with neither a multiboot header nor a PVH note, which QEMU cannot boot');
    }
    finally {
        await fh.close();
    }
}

// Checks a VmSpec before anything starts, so bad input ends with one clear error naming the input
// and nothing is left running: kernel and initrd files, memory, ports, deadlines, command.
async function readHead(path, input, what) {
    const refuse = (why) => new ConfigurationError(input, `Input '${input}' must be a readable ${what} file, got '${path}' (${why})`);
    const fh = await openRegularFile(path, refuse);
    try {
        if ((await fh.stat()).size === 0)
            throw refuse('empty');
        const head = Buffer.alloc(6);
        const { bytesRead } = await fh.read(head, 0, 6, 0);
        return head.subarray(0, bytesRead);
    }
    finally {
        await fh.close();
    }
}
async function checkKernelFile(path, input = 'kernel') {
    await inspectKernelImage(path, input);
}
/** Returns the archive's form; a gzip archive is accepted for the Linux baseline only. */
async function checkInitrdFile(path, guest, input = 'initrd') {
    const head = await readHead(path, input, 'cpio archive');
    const magic = head.toString('latin1');
    if (magic === '070701' || magic === '070702')
        return 'cpio';
    if (head[0] === 0x1f && head[1] === 0x8b) {
        if (guest === 'linux')
            return 'gzip';
        throw new ConfigurationError(input, `Input '${input}' must be an uncompressed cpio archive (newc) for Unikraft, got a gzip file '${path}'`);
    }
    const shown = JSON.stringify(magic.replace(/[^\x20-\x7e]/g, '.'));
    throw new ConfigurationError(input, `Input '${input}' must be a cpio archive (newc, magic 070701), got '${path}' starting with ${shown}`);
}
/** Memory, ports, deadlines, console cap, env and cmd: the same errors whichever runner boots the guest. */
function checkRunShape(spec) {
    assertMemoryMiB(spec.memoryMiB);
    validatePortForwards(spec.ports);
    if (!Number.isFinite(spec.timeoutMs) || spec.timeoutMs <= 0) {
        throw badInput('timeout', 'a positive duration like 60s', String(spec.timeoutMs));
    }
    if (spec.bootTimeoutMs !== undefined && (!Number.isFinite(spec.bootTimeoutMs) || spec.bootTimeoutMs <= 0)) {
        throw badInput('boot-timeout', 'a positive duration like 30s', String(spec.bootTimeoutMs));
    }
    if (spec.consoleCap !== undefined && (!Number.isInteger(spec.consoleCap) || spec.consoleCap < 1024)) {
        throw badInput('console-cap', 'a size of at least 1 KiB', String(spec.consoleCap));
    }
    for (const [k, v] of Object.entries(spec.env)) {
        if (k === '' || k.includes('=') || /[\0]/.test(k + v)) {
            throw new ConfigurationError('env', `Input 'env' must be NAME=value pairs without NUL bytes, got '${k}'`);
        }
    }
    spec.cmd.forEach((a, i) => {
        if (a.includes('\0'))
            throw new ConfigurationError('cmd', `Input 'cmd': argument ${i} contains a NUL byte`);
    });
}
/** The parts of a spec that need no file system. */
function checkSpecShape(spec) {
    checkRunShape(spec);
    if (spec.guest === 'unikraft' && spec.initrd !== undefined && spec.cmd.length === 0) {
        throw new ConfigurationError('cmd', "Input 'cmd' must name the program to run in the root filesystem, got nothing");
    }
}

// Reading QEMU's `info usernet`: which forwarded connections the guest itself has accepted.
// QEMU's user networking accepts the host side at once; only the slirp TCP state of the connection
// to the guest tells a listening guest (ESTABLISHED and later) from a silent one (SYN_SENT).
//   TCP[SYN_SENT]       9       127.0.0.1 18555       10.0.2.15  8080     0     0
const ROW = /^\s*(TCP|UDP)\[([A-Z0-9_]+)\]\s+(-?\d+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)/;
function parseUsernet(text) {
    const out = [];
    for (const line of text.split(/\r?\n/)) {
        const m = ROW.exec(line);
        if (!m)
            continue;
        out.push({
            protocol: m[1],
            state: m[2],
            fd: Number(m[3]),
            srcAddress: m[4],
            srcPort: Number(m[5]),
            destAddress: m[6],
            destPort: Number(m[7])
        });
    }
    return out;
}
/** States a connection reaches only after the guest answered the SYN. */
const ACCEPTED_STATES = new Set([
    'ESTABLISHED',
    'CLOSE_WAIT',
    'FIN_WAIT_1',
    'FIN_WAIT_2',
    'CLOSING',
    'LAST_ACK',
    'TIME_WAIT'
]);
/**
 * True when some forwarded TCP connection to `guestPort` has been accepted by the guest. Forwarded
 * connections have the guest as destination; the guest's own outgoing connections do not.
 */
function guestAcceptedIn(text, guestPort, guestAddress = '10.0.2.15') {
    return parseUsernet(text).some(c => c.protocol === 'TCP' &&
        c.destAddress === guestAddress &&
        c.destPort === guestPort &&
        ACCEPTED_STATES.has(c.state));
}

// Starts a guest under QEMU and watches it to the end: console (file + timestamped lines), QEMU's
// stderr, QMP events, deadlines, and a teardown that always completes (QMP quit, SIGTERM, SIGKILL
// of QEMU's process group, within 2 s). Every input is checked before anything is started.
const DEFAULT_BOOT_TIMEOUT_MS = 30_000;
/** Each step of the teardown; all three fit in the 2 s promise. */
const QUIT_GRACE_MS = 700;
const TERM_GRACE_MS = 500;
const QMP_CONNECT_TIMEOUT_MS = 10_000;
/** Unix socket paths are limited to about 108 bytes; a long outDir gets its socket in the temp dir. */
function qmpSocketPath(outDir) {
    const inOut = join(outDir, RUN_FILES.qmpSocket);
    return Buffer.byteLength(inOut) <= 100
        ? inOut
        : join(tmpdir(), `ukc-qmp-${randomBytes(6).toString('hex')}.sock`);
}
async function startVm(spec, deps) {
    const clock = deps.clock ?? systemClock;
    const runner = deps.runner ?? nodeCommandRunner;
    const t0 = clock.now();
    const elapsed = () => Math.round(clock.now() - t0);
    const log = deps.logger;
    // 1. Input, before anything runs.
    checkSpecShape(spec);
    await checkKernelFile(spec.kernel);
    if (spec.initrd !== undefined)
        await checkInitrdFile(spec.initrd, spec.guest);
    const network = spec.network === true || spec.ports.length > 0;
    const append = guestCmdline(spec, network, log);
    // A traced Linux baseline needs the host's strace: missing, the run ends here.
    const strace = spec.guest === 'linux' && spec.trace ? (deps.strace ?? (await findHostStrace())) : undefined;
    // 2. The machine: QEMU present, accelerator decided.
    const binary = spec.qemuBinary ?? QEMU_BINARY;
    const version = await qemuVersion(binary, runner);
    const accel = await resolveAccel(spec.accel, { qemuBinary: binary, probeTimeoutMs: deps.kvmProbeTimeoutMs });
    log.info(`VM: QEMU ${version ?? '(version unknown)'}, ${accel.accel.toUpperCase()} (${accel.reason})`);
    // 3. Files and ports.
    const outDir = resolve(spec.outDir);
    await mkdir(outDir, { recursive: true });
    const pidFile = join(outDir, RUN_FILES.qemuPid);
    const qmpPath = qmpSocketPath(outDir);
    await rm(qmpPath, { force: true });
    // The Linux baseline's own initrd (and trace file); a Unikraft guest boots the given files as they are.
    const linux = spec.guest === 'linux'
        ? await prepareLinuxGuest(spec, outDir, network, { ...deps, runner, strace })
        : { initrd: spec.initrd, networkProblem: null, traceFile: null };
    const forwards = await allocateHostPorts(spec.ports);
    const ports = Object.fromEntries(forwards.map(f => [f.guest, f.host]));
    const argv = buildQemuArgv({
        binary,
        accel: accel.accel,
        memoryMiB: spec.guest === 'linux' ? linuxMemoryMiB(spec.memoryMiB) : spec.memoryMiB,
        console: 'stdio',
        kernel: spec.kernel,
        initrd: linux.initrd,
        append,
        hostForwards: forwards,
        network,
        qmpSocket: qmpPath,
        startPaused: true,
        ...(linux.traceFile !== null ? { traceFile: linux.traceFile } : {})
    });
    log.debug(`VM: ${JSON.stringify(argv)}`);
    const consoleLog = join(outDir, RUN_FILES.console);
    const qemuStderrLog = join(outDir, RUN_FILES.qemuStderr);
    const capture = new ConsoleCapture({ path: consoleLog, cap: spec.consoleCap, now: elapsed });
    const stderrFd = openSync(qemuStderrLog, 'w');
    let stderrTail = '';
    const noteStderr = (text) => {
        writeSync(stderrFd, text);
        stderrTail = (stderrTail + text).slice(-65536);
    };
    // 4. Launch. Detached: QEMU leads its own process group, which is what the teardown kills.
    const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    // Listen for the end at once: a QEMU that fails at start-up (a kernel it refuses) can exit while
    // the code below still awaits, and a ChildProcess does not replay 'exit' or 'close' to late
    // listeners: the run would then never end.
    let exited = false;
    let exitAtMs = null;
    let markExited;
    const exitedPromise = new Promise(r => (markExited = r));
    const closed = new Promise(resolve => child.once('close', (code, signal) => resolve({ code, signal })));
    child.once('exit', () => {
        exited = true;
        exitAtMs = elapsed();
        markExited();
    });
    try {
        await new Promise((ok, fail) => {
            child.once('spawn', ok);
            child.once('error', fail);
        });
    }
    catch (e) {
        capture.finish();
        closeSync(stderrFd);
        throw new InfrastructureError(`could not start ${binary}: ${e.message}`, undefined, {
            cause: e
        });
    }
    const pid = child.pid;
    const timeline = {
        spawnMs: elapsed(),
        firstOutputMs: null,
        bannerMs: null,
        readyMs: null,
        exitMs: null
    };
    const qmpEvents = [];
    const shutdownReasons = [];
    let guestExit = null;
    let sawCrashLine = false;
    let stopCause = null;
    let stopping = false;
    let qmp = null;
    const timers = [];
    let resolveDone;
    const done = new Promise(r => (resolveDone = r));
    capture.onLine((line) => {
        if (timeline.bannerMs === null && isBannerLine(line.text, spec.guest))
            timeline.bannerMs = line.atMs;
        if (spec.guest === 'linux') {
            const n = parseGuestExitLine(line.text);
            if (n !== null)
                guestExit = n;
        }
        if (isCrashLine(line.text))
            sawCrashLine = true;
    });
    child.stdout.on('data', (d) => {
        capture.push(d);
        if (timeline.firstOutputMs === null)
            timeline.firstOutputMs = capture.firstOutputMs;
    });
    child.stderr.on('data', (d) => noteStderr(d.toString('utf8')));
    const killGroup = (signal) => {
        try {
            process.kill(-pid, signal);
        }
        catch {
            // already gone
        }
    };
    const waitExit = (ms) => Promise.race([exitedPromise.then(() => true), new Promise(r => setTimeout(() => r(false), ms))]);
    const escalate = async () => {
        if (qmp && !qmp.isClosed) {
            qmp.execute('quit', undefined, { timeoutMs: QUIT_GRACE_MS }).catch(() => { });
            if (await waitExit(QUIT_GRACE_MS))
                return;
        }
        killGroup('SIGTERM');
        if (await waitExit(TERM_GRACE_MS))
            return;
        killGroup('SIGKILL');
    };
    const terminate = (cause) => {
        if (!exited && stopCause === null)
            stopCause = cause;
        if (!exited && !stopping) {
            stopping = true;
            void escalate();
        }
        return done;
    };
    const unregister = registerVm({ pid, stop: () => terminate('killed') });
    try {
        await writePidFile(pidFile, pid, qmpPath);
    }
    catch (e) {
        log.warning(`VM: could not write ${pidFile} (${e.message}); a cancelled run may leave QEMU behind`);
    }
    const onAbort = () => void terminate('killed');
    if (deps.signal?.aborted)
        onAbort();
    deps.signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(setTimeout(() => void terminate('deadline'), Math.max(0, spec.timeoutMs - elapsed())));
    void closed.then(({ code, signal }) => {
        exited = true;
        timeline.exitMs = exitAtMs ?? elapsed();
        markExited();
        for (const t of timers)
            clearTimeout(t);
        deps.signal?.removeEventListener('abort', onAbort);
        capture.finish();
        timeline.firstOutputMs = capture.firstOutputMs;
        closeSync(stderrFd);
        qmp?.close();
        unregister();
        const reason = decideEndReason({
            stopCause,
            events: qmpEvents.map(e => e.event),
            shutdownReasons,
            qemuExit: code,
            qemuSignal: signal,
            sawOutput: capture.firstOutputMs !== null,
            sawCrashLine
        });
        const result = {
            reason,
            qemuExit: code,
            qemuSignal: signal,
            killedFromOutside: signal !== null && stopCause === null,
            guestExit,
            debugExit: debugExitHint(code),
            accel: accel.accel,
            accelReason: accel.reason,
            qemuVersion: version,
            qmpEvents,
            timeline,
            ports,
            consoleLog,
            qemuStderrLog,
            consoleTruncated: capture.truncated,
            argv,
            networkProblem: linux.networkProblem,
            traceFile: linux.traceFile
        };
        void Promise.all([rm(pidFile, { force: true }), rm(qmpPath, { force: true })]).finally(() => resolveDone(result));
    });
    // 5. Control channel, then let the guest run (it was started paused so no event is missed).
    try {
        qmp = await QmpClient.connect(qmpPath, { timeoutMs: QMP_CONNECT_TIMEOUT_MS, shouldStop: () => exited });
        qmp.onEvent(e => {
            qmpEvents.push({ event: e.event, atMs: elapsed(), ...(e.data !== undefined ? { data: e.data } : {}) });
            if (e.event === 'SHUTDOWN') {
                const r = e.data?.reason;
                if (r)
                    shutdownReasons.push(r);
            }
            // A paused guest (KVM internal error, panic with the pause action) never resumes: end now.
            if (e.event === 'STOP' && !stopping)
                void terminate('stopped');
        });
        await qmp.execute('cont', undefined, { timeoutMs: 5000 });
        const bootTimeout = spec.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS;
        timers.push(setTimeout(() => {
            if (capture.firstOutputMs === null)
                void terminate('boot-timeout');
        }, bootTimeout));
        if (exited)
            for (const t of timers)
                clearTimeout(t);
    }
    catch (e) {
        if (!exited) {
            noteStderr(`[unikraft-compat] QMP control socket failed: ${e.message}\n`);
            log.warning(`VM: QMP control socket failed (${e.message}); stopping QEMU`);
            void terminate('qemu-error');
        }
    }
    const handle = {
        hostAddress: HOST_ADDRESS,
        ports,
        onConsoleLine: cb => capture.onLine(cb),
        consoleText: () => capture.text(),
        elapsedMs: elapsed,
        get ended() {
            return exited;
        },
        done,
        async guestAccepted(guestPort) {
            if (exited || !qmp || qmp.isClosed)
                return false;
            try {
                return guestAcceptedIn(await qmp.humanMonitorCommand('info usernet', { timeoutMs: 2000 }), guestPort);
            }
            catch (e) {
                if (exited || qmp.isClosed)
                    return false;
                throw e;
            }
        },
        markReady() {
            if (timeline.readyMs === null)
                timeline.readyMs = elapsed();
        },
        stop: (reason = 'killed') => terminate(reason)
    };
    return handle;
}

export { ConsoleCapture as C, DEFAULT_BOOT_TIMEOUT_MS as D, ElfFormatError as E, GUEST_EXIT_PREFIX as G, HOST_ADDRESS as H, STRACE_PACKAGE as S, buildQemuArgv as a, buildLinuxCmdline as b, buildUnikraftCmdline as c, prepareLinuxInitrd as d, quoteUnikraftArg as e, checkRunShape as f, allocateHostPorts as g, inspectKernelImage as h, isBannerLine as i, rememberQemuVersion as j, resolveClosure as k, isElfMagic as l, readHead$1 as m, ClosureResolver as n, parseShebang as o, parseGuestExitLine as p, qemuVersion as q, resolveAccel as r, startVm as s, readElf as t, DEFAULT_LIBRARY_DIRS as u, validatePortForwards as v, emptyArgumentIndexes as w };
