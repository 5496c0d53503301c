import { resolve } from 'node:path';
import { runCheck } from './run-check.js';
import { r as resolveCheckOptions } from './resolve.js';
import { E as ExitCode, i as interruptedExitCode } from './errors.js';
import { f as findingTitle } from './finding-titles.js';
import { d as describeGuest, f as formatMs } from './result.js';
import { d as divergenceFinding, e as timelineFacts, a as divergenceSentence, b as divergenceEvidence, s as syscallRows, l as leftOutLine, t as traceFacts, c as traceNotes, o as oneLine, S as SYSCALL_NAME_MAX } from './timeline-phases.js';
import { s as stripAnsi, t as truncateText } from './text-escape.js';
import { s as shippedKernelStoreDir } from './version.js';
import 'node:child_process';
import 'node:fs/promises';
import 'node:crypto';
import 'node:fs';
import 'node:os';
import { s as stopAllVms } from './vm-registry.js';
import 'node:string_decoder';
import 'node:zlib';
import 'node:stream/promises';
import './cpio-batch-sink.js';
import 'node:net';
import { p as parse, r as runInputs, R as RUN_OPTIONS } from './args.js';
import { systemClock } from './clock.js';
import { nodeCommandRunner } from './command-runner.js';
import { c as createFetchDownloader } from './fetch-download.js';
import { n as noopPersistentCache, a as createDirectoryToolCache, d as defaultCacheRoot } from './kraftkit-install.js';
import './result-file.js';
import './run-files.js';
import './kernel-store.js';
import './find-program.js';
import './index.js';
import 'process';
import 'buffer';
import './version-compare.js';
import 'node:http';
import './diagnose2.js';
import './start-vm.js';
import './linux-kernel.js';
import './tree-path.js';
import './memory.js';
import './privileges.js';
import './pack-directory.js';
import 'node:stream';
import './scratch.js';
import 'node:buffer';
import './sources.js';
import './inputs.js';
import 'node:url';
import 'node:events';
import 'node:util';

const CODES = {
    bold: [1, 22],
    dim: [2, 22],
    red: [31, 39],
    green: [32, 39],
    yellow: [33, 39],
    cyan: [36, 39]
};
const EVIDENCE_MAX = 300;
/** Rows of the system-call table; the rest are counted below it (result.json has them all). */
const SYSCALL_TEXT_ROWS = 20;
function renderTextReport(r, opts) {
    const paint = (style, text) => opts.colour ? `\x1b[${CODES[style][0]}m${text}\x1b[${CODES[style][1]}m` : text;
    const clean = (text, max = EVIDENCE_MAX) => truncateText(stripAnsi(text)
        .replace(/\s*\n\s*/g, ' ⏎ ')
        .trim(), max);
    const verdictColour = { pass: 'green', fail: 'red', error: 'yellow' };
    const out = [];
    const accel = r.accel ? ` under ${r.accel.toUpperCase()}` : '';
    out.push(`${paint('bold', paint(verdictColour[r.verdict], r.verdict.toUpperCase()))}  ${clean(r.app.name, 80)} on ${clean(describeGuest(r), 80)}${accel}`);
    out.push(`  ${clean(r.summary, 400)}`);
    // The divergence is shown with the traces, first; the findings list leaves it out.
    const divergence = divergenceFinding(r);
    if (r.syscalls)
        out.push('', ...syscallLines(r, divergence, paint, clean));
    if (r.error) {
        out.push('', paint('bold', `Error (${r.error.kind})`), `  ${clean(r.error.message, 1000)}`);
        if (r.error.hint)
            out.push(`  ${paint('cyan', 'hint:')} ${clean(r.error.hint, 1000)}`);
    }
    if (r.probes.length > 0) {
        out.push('', paint('bold', 'Probes'));
        const width = Math.min(40, Math.max(...r.probes.map(p => stripAnsi(p.target).length)));
        for (const p of r.probes) {
            const mark = p.passed ? paint('green', '✔') : p.inconclusive ? paint('yellow', '?') : paint('red', '✖');
            const target = clean(p.target, 40).padEnd(width);
            const tries = `${p.attempts} attempt${p.attempts === 1 ? '' : 's'}, ${formatMs(p.durationMs)}`;
            const e = p.evidence;
            const seen = [
                e.sent !== undefined ? `sent ${clean(e.sent, 80)}` : '',
                e.received !== undefined ? `got ${clean(e.received, 120)}` : '',
                e.note !== undefined ? clean(e.note, 200) : ''
            ].filter(Boolean);
            out.push(`  ${mark} ${target}  ${p.passed ? 'passed' : p.inconclusive ? 'inconclusive' : 'failed'} (${tries})`);
            if (seen.length > 0)
                out.push(`      ${paint('dim', seen.join(' · '))}`);
        }
    }
    const findings = r.findings.filter(f => f !== divergence);
    const shown = findings.filter(f => f.severity !== 'note' || f.allowed);
    const notes = findings.filter(f => f.severity === 'note' && !f.allowed);
    if (shown.length > 0 || notes.length > 0)
        out.push('', paint('bold', 'Findings'));
    for (const f of shown) {
        out.push(`  ${findingMark(f, paint)} ${clean(findingTitle(f), 200)}${lineRef(f)}`);
        out.push(`      ${paint('dim', 'evidence:')} ${clean(f.evidence)}`);
        out.push(`      ${paint('cyan', 'hint:')}     ${clean(f.hint, 600)}`);
    }
    if (notes.length > 0)
        out.push(`  ${paint('dim', `notes: ${notes.map(f => clean(findingTitle(f), 120)).join('; ')}`)}`);
    if (r.baseline) {
        const b = r.baseline;
        out.push('', `${paint('bold', 'Linux baseline')}: ${paint(verdictColour[b.verdict], b.verdict)}. ${clean(b.differential.summary, 400)}`);
    }
    const facts = timelineFacts(r.timeline);
    out.push('', paint('bold', 'Timeline'));
    out.push(`  ${[...facts.map(f => `${f.label} ${f.value}`), `whole check ${formatMs(r.durationMs)}`].join(' · ')}`);
    if (opts.outDir !== undefined || r.artifacts.length > 0) {
        const where = opts.outDir !== undefined ? ` in ${clean(opts.outDir, 400)}` : '';
        const files = r.artifacts.length > 0 ? `: ${r.artifacts.map(a => clean(a, 120)).join(', ')}` : '';
        out.push('', `${paint('bold', 'Artifacts')}${where}${files}`);
    }
    return `${out.join('\n')}\n`;
}
function syscallLines(r, finding, paint, clean) {
    const s = r.syscalls;
    const out = [paint('bold', 'System calls (Unikraft compared with Linux)')];
    const sentence = divergenceSentence(s)
        .map(p => ('code' in p ? p.code : p.text))
        .join('');
    if (s.divergence) {
        if (finding)
            out.push(`  ${findingMark(finding, paint)} ${clean(findingTitle(finding), 200)}${lineRef(finding)}`);
        else
            out.push(`  ${paint('red', '✖')} first divergence`);
        out.push(`      ${paint('dim', 'divergence:')} ${clean(sentence, 600)}`);
        const e = divergenceEvidence(s.divergence, finding);
        out.push(`      ${paint('dim', 'linux:')}      ${clean(e.linux, 600)}`);
        out.push(`      ${paint('dim', 'unikraft:')}   ${clean(e.unikraft, 600)}`);
        if (finding)
            out.push(`      ${paint('cyan', 'hint:')}       ${clean(finding.hint, 600)}`);
    }
    else {
        out.push(`  ${clean(sentence, 600)}`);
    }
    const rows = syscallRows(s);
    if (rows.length > 0) {
        const shown = rows.slice(0, SYSCALL_TEXT_ROWS);
        out.push('', ...syscallTable(shown, paint));
        if (rows.length > shown.length)
            out.push(`  ${paint('dim', leftOutLine(rows.slice(shown.length)))}`);
    }
    out.push(`  ${paint('dim', `traced: ${clean(traceFacts(s), 400)}`)}`);
    for (const n of traceNotes(s))
        out.push(`  ${paint('dim', `note: ${clean(n, 600)}`)}`);
    return out;
}
/** The system-call table with aligned columns: names left, counts right, status last. */
function syscallTable(rows, paint) {
    const count = (n) => (n === null ? 'not traced' : n === 0 ? '—' : String(n));
    const cells = rows.map(row => [
        oneLine(row.syscall, SYSCALL_NAME_MAX),
        count(row.linux),
        count(row.unikraft),
        oneLine(row.status, 200)
    ]);
    const header = ['System call', 'Linux', 'Unikraft', 'Status on Unikraft'];
    const width = (i) => Math.max(...[header, ...cells].map(c => [...c[i]].length));
    const pad = (text, w, right) => {
        const fill = ' '.repeat(Math.max(0, w - [...text].length));
        return right ? fill + text : text + fill;
    };
    const line = (c) => `${pad(c[0], width(0), false)}  ${pad(c[1], width(1), true)}  ${pad(c[2], width(2), true)}  ${c[3]}`;
    const colour = (row, text) => row.rank <= 1 ? paint('red', text) : row.rank === 2 ? paint('yellow', text) : text;
    return [
        `  ${paint('dim', line(header))}`,
        ...cells.map((c, i) => {
            const text = line(c);
            const status = c[3];
            return `  ${text.slice(0, text.length - status.length)}${colour(rows[i], status)}`;
        })
    ];
}
function findingMark(f, paint) {
    if (f.allowed)
        return paint('dim', '☑');
    return f.severity === 'error' ? paint('red', '✖') : paint('yellow', '⚠');
}
function lineRef(f) {
    if (f.line === null)
        return '';
    const where = f.source === 'console' ? 'console log' : f.source === 'trace' ? 'Unikraft trace' : f.source;
    return ` (${where} line ${f.line})`;
}

// The engine's dependencies as the CLI provides them: the machine's programs, a cache directory
// under ~/.cache, installs with apt when missing, and the Linux baseline when no Unikraft kernel
// can be had (said plainly in the report).
function cliEngineDeps(logger, progress, signal) {
    return {
        logger,
        runner: nodeCommandRunner,
        clock: systemClock,
        cacheDir: defaultCacheRoot(),
        toolCache: createDirectoryToolCache(),
        persistentCache: noopPersistentCache,
        download: createFetchDownloader(),
        installMissing: true,
        kernelFallback: 'linux',
        progress,
        signal
    };
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
function createProgress(term, opts) {
    const now = opts.now ?? (() => performance.now());
    const t0 = now();
    const live = term.isTTY && !opts.quiet;
    let current = null;
    let frame = 0;
    let timer;
    const stamp = () => `[${((now() - t0) / 1000).toFixed(1).padStart(5)}s]`;
    const paint = (code, s) => (term.colour ? `\x1b[${code}m${s}\x1b[0m` : s);
    const clearLine = () => {
        if (live && current)
            term.err('\r\x1b[2K');
    };
    const drawSpinner = () => {
        if (!live || !current)
            return;
        const secs = ((now() - current.since) / 1000).toFixed(1);
        term.err(`\r\x1b[2K${paint('36', FRAMES[frame++ % FRAMES.length])} ${current.message} ${paint('2', `${secs}s`)}`);
    };
    const line = (text) => {
        if (opts.quiet)
            return;
        clearLine();
        term.err(`${live ? '' : `${stamp()} `}${text}\n`);
        drawSpinner();
    };
    return {
        onEvent(e) {
            if (e.state === 'start') {
                if (!live)
                    line(`${e.phase}: ${e.message}`);
                current = { message: `${e.phase}: ${e.message}`, since: now() };
                if (live && !timer)
                    timer = setInterval(drawSpinner, 100);
                drawSpinner();
                return;
            }
            const secs = e.elapsedMs !== undefined ? ` (${(e.elapsedMs / 1000).toFixed(1)}s)` : '';
            const mark = e.state === 'done' ? paint('32', '✓') : paint('31', '✗');
            clearLine();
            current = null;
            line(`${mark} ${e.phase}: ${e.message}${secs}`);
        },
        logger: {
            debug: m => {
                if (opts.verbose)
                    line(paint('2', m));
            },
            info: m => {
                if (opts.verbose)
                    line(m);
            },
            warning: m => line(`${paint('33', 'warning:')} ${m}`),
            error: m => line(`${paint('31', 'error:')} ${m}`),
            group: async (_name, fn) => fn()
        },
        stop() {
            if (timer)
                clearInterval(timer);
            timer = undefined;
            clearLine();
            current = null;
        }
    };
}

// `unikraft-compat run [APP_DIR] [options]`: the same check as the action, in a terminal.
async function runCommand(args, term) {
    const parsed = parse('run', args, RUN_OPTIONS, 1);
    const raw = runInputs(parsed);
    const options = await resolveCheckOptions(raw, {
        cwd: process.cwd(),
        shippedKernelStore: shippedKernelStoreDir()
    });
    const json = parsed.values.json === true;
    const outDir = resolve(typeof parsed.values.out === 'string'
        ? parsed.values.out
        : `unikraft-compat-out/${options.appId}-${options.guest === 'linux' ? 'linux' : options.unikraftVersion}`);
    const progress = createProgress(term, {
        quiet: json || parsed.values.quiet === true,
        verbose: parsed.values.verbose === true
    });
    const abort = new AbortController();
    // Ctrl-C / SIGTERM: stop the VM and any build, start nothing new, still write the result (verdict
    // error, kind interrupted), then exit 130/143. A second signal exits at once.
    const onSignal = (sig) => {
        if (abort.signal.aborted)
            process.exit(interruptedExitCode(sig));
        progress.logger.warning(`${sig}: stopping the check (the result is still written)`);
        abort.abort(sig);
        void stopAllVms();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
        const { result } = await runCheck(options, outDir, cliEngineDeps(progress.logger, e => progress.onEvent(e), abort.signal));
        progress.stop();
        if (json)
            term.out(`${JSON.stringify(result, null, 2)}\n`);
        else
            term.out(renderTextReport(result, { colour: term.colour, outDir }));
        if (result.verdict === 'pass')
            return ExitCode.pass;
        if (result.verdict === 'fail')
            return ExitCode.fail;
        if (result.error?.kind === 'interrupted')
            return interruptedExitCode(abort.signal.reason);
        return result.error?.kind === 'configuration' ? ExitCode.usage : ExitCode.infrastructure;
    }
    finally {
        progress.stop();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
    }
}

export { runCommand };
