import { g as getInput, i as info, m as mkdirP, d as debug, c as cp, H as HttpClient, r as rmRF, s as setOutput, e as error, w as warning, n as notice, a as summary, b as setFailed } from './chunks/core.js';
import { mkdir, writeFile, rm, access, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, dirname, relative } from 'node:path';
import { d as detectPrivileges, p as privileged, s as systemClock, a as stopAllVms } from './chunks/linux-kernel.js';
import { n as nodeCommandRunner } from './chunks/cpio-writer.js';
import { r as runCheck, R as RUN_FILES } from './chunks/run-check.js';
import { f as findingTitle, r as renderGantt, t as timelineFacts, a as resolveCheckOptions } from './chunks/timeline-phases.js';
import { t as toError, I as InfrastructureError, d as describeError, e as errorKind } from './chunks/errors.js';
import { s as stripAnsi, t as truncateText, e as escapeMarkdownInline, c as codeFence } from './chunks/text-escape.js';
import { d as describeGuest, f as formatMs } from './chunks/result-file.js';
import { constants } from 'node:fs';
import 'node:child_process';
import 'node:crypto';
import 'node:string_decoder';
import 'node:zlib';
import 'node:net';
import { c as createActionsCache, a as artifactName, s as saveMainState, u as uploadRunArtifacts, U as UPLOADED_FILES, m as markUploaded, b as createActionsLogger } from './chunks/cache-store.js';
import { I as INPUTS } from './chunks/inputs.js';
import * as crypto from 'crypto';
import * as fs from 'fs';
import { s as semverExports } from './chunks/index.js';
import * as os from 'os';
import 'child_process';
import * as path from 'path';
import * as require$$0$1 from 'stream';
import * as require$$0 from 'util';
import { ok } from 'assert';
import 'http';
import 'https';
import 'net';
import 'tls';
import 'events';
import 'node:assert';
import 'node:http';
import 'node:stream';
import 'node:buffer';
import 'node:util';
import 'node:querystring';
import 'node:events';
import 'node:diagnostics_channel';
import 'node:tls';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:worker_threads';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'string_decoder';
import 'timers';
import 'node:stream/promises';
import 'process';
import 'buffer';
import './chunks/diagnose2.js';
import './chunks/pack-directory.js';
import './chunks/version.js';

/** 1-based line of `key:` (the shallowest one), or null. */
function configKeyLine(text, key) {
    const quoted = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`^(\\s*)["']?${quoted}["']?\\s*:`);
    let best = null;
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
        const m = re.exec(lines[i]);
        if (m && (best === null || m[1].length < best.indent))
            best = { line: i + 1, indent: m[1].length };
    }
    return best?.line ?? null;
}
/**
 * The line of the `probes:` list item the finding is about (by `data.index`, else by the probe's
 * target text), else the `probes:` line itself; null when the file has no `probes:` key.
 */
function probeEntryLine(text, f) {
    const lines = text.split(/\r?\n/);
    const keyLine = configKeyLine(text, 'probes');
    if (keyLine === null)
        return null;
    const keyIndent = indentOf(lines[keyLine - 1]);
    const items = [];
    let itemIndent = -1;
    for (let i = keyLine; i < lines.length; i++) {
        const line = lines[i];
        const trimmed = line.trim();
        if (trimmed === '' || trimmed.startsWith('#'))
            continue;
        const indent = indentOf(line);
        const isItem = trimmed === '-' || trimmed.startsWith('- ');
        if (indent < keyIndent || (indent === keyIndent && !isItem))
            break;
        if (isItem && (itemIndent === -1 || indent === itemIndent)) {
            itemIndent = indent;
            items.push({ line: i + 1, text: line });
        }
        else if (items.length > 0)
            items[items.length - 1].text += `\n${line}`;
    }
    const index = f.data?.index;
    if (typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < items.length) {
        return items[index].line;
    }
    for (const wanted of probeTexts(f)) {
        const hit = items.find(item => item.text.includes(wanted));
        if (hit)
            return hit.line;
    }
    return keyLine;
}
function probeTexts(f) {
    const out = [];
    for (const key of ['target', 'probe']) {
        const v = f.data?.[key];
        if (typeof v === 'string' && v)
            out.push(v);
    }
    if (f.detail)
        out.push(f.detail);
    return out;
}
function indentOf(line) {
    return line.length - line.trimStart().length;
}

// Finds the Dockerfile line a loader finding belongs to: the COPY/ADD of the final stage that mentions
// the file the finding is about (or the program that needs it), else the final stage's FROM line.
/** Logical instructions: comments and blank lines skipped, `\` (or the `# escape=` char) continuations joined. */
function parseDockerfile(text) {
    const lines = text.split(/\r?\n/);
    const escape = /^#\s*escape\s*=\s*`\s*$/im.test(lines.slice(0, 5).join('\n')) ? '`' : '\\';
    const out = [];
    let current = null;
    lines.forEach((raw, i) => {
        const trimmed = raw.trim();
        if (trimmed.startsWith('#') || (trimmed === '' && current === null))
            return;
        const continues = trimmed.endsWith(escape);
        const part = continues ? trimmed.slice(0, -1) : trimmed;
        if (current === null)
            current = { line: i + 1, text: part };
        else
            current.text += ` ${part}`;
        if (!continues) {
            const m = /^(\S+)\s*([\s\S]*)$/.exec(current.text);
            if (m)
                out.push({ line: current.line, keyword: m[1].toUpperCase(), args: m[2] });
            current = null;
        }
    });
    return out;
}
/** The line to annotate for a loader finding, or null when the Dockerfile has no instruction at all. */
function dockerfileLineFor(text, f) {
    const instructions = parseDockerfile(text);
    let start = 0;
    instructions.forEach((ins, i) => {
        if (ins.keyword === 'FROM')
            start = i;
    });
    const finalStage = instructions.slice(start);
    if (finalStage.length === 0)
        return null;
    const copies = finalStage.filter(ins => ins.keyword === 'COPY' || ins.keyword === 'ADD');
    for (const name of candidateNames(f)) {
        const hit = copies.find(ins => mentions(ins.args, name));
        if (hit)
            return hit.line;
    }
    return finalStage[0].line;
}
/** File names the finding is about, most specific first: its detail, its data, then the evidence. */
function candidateNames(f) {
    const raw = [];
    if (f.detail)
        raw.push(f.detail);
    for (const v of Object.values(f.data ?? {})) {
        if (typeof v === 'string')
            raw.push(v);
        else if (Array.isArray(v))
            raw.push(...v);
    }
    // The program named at the start of a glibc or loader message: `redis-server: error while ...`.
    const program = /^\s*([^\s:]+):/.exec(f.evidence);
    if (program)
        raw.push(program[1]);
    raw.push(...(f.evidence.match(/\/[^\s:'"]+/g) ?? []));
    const names = raw.map(s => basename(s.trim())).filter(n => n.length >= 3 && /[A-Za-z]/.test(n));
    return [...new Set(names)];
}
function mentions(args, name) {
    const quoted = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[\\s/"'\\[,=])${quoted}($|[\\s/"'\\],])`).test(args);
}

/** GitHub shows at most 10 errors and 10 warnings per step (and notices alike). */
const MAX_ANNOTATIONS_PER_LEVEL = 10;
const MAX_MESSAGE = 4000;
function planAnnotations(findings, ctx = {}) {
    const annotations = [];
    const overflow = [];
    const used = { error: 0, warning: 0, notice: 0 };
    for (const f of findings) {
        const level = annotationLevel(f);
        if (!level)
            continue;
        if (used[level] >= MAX_ANNOTATIONS_PER_LEVEL) {
            overflow.push(f);
            continue;
        }
        used[level]++;
        annotations.push({ level, title: findingTitle(f), message: annotationMessage(f), ...target(f, ctx) });
    }
    return { annotations, overflow };
}
/** Errors and warnings as such; an allowed error as a notice; plain notes (the banner) not at all. */
function annotationLevel(f) {
    if (f.allowed)
        return 'notice';
    if (f.severity === 'error')
        return 'error';
    if (f.severity === 'warning')
        return 'warning';
    return null;
}
function annotationMessage(f) {
    const where = f.line !== null ? ` (${f.source === 'console' ? 'console log' : f.source} line ${f.line})` : '';
    const parts = [`Evidence${where}: ${stripAnsi(f.evidence).trim()}`, `Hint: ${stripAnsi(f.hint).trim()}`];
    if (f.allowed)
        parts.unshift('Accepted by the allow-list (a known limitation).');
    return truncateText(parts.join('\n'), MAX_MESSAGE);
}
function target(f, ctx) {
    const family = f.id.split('.')[0];
    if (family === 'loader' && ctx.dockerfile) {
        const line = ctx.dockerfileText !== undefined ? dockerfileLineFor(ctx.dockerfileText, f) : null;
        return withLine(ctx.dockerfile, line);
    }
    if ((family === 'probe' || f.source === 'probe') && ctx.configFile) {
        if (ctx.configText === undefined)
            return { file: ctx.configFile };
        const line = probeEntryLine(ctx.configText, f);
        // No `probes:` key: the probe came from an input or an option, not from this file.
        return line === null ? {} : withLine(ctx.configFile, line);
    }
    if (family === 'config' && ctx.configFile) {
        const key = typeof f.data?.key === 'string' ? f.data.key : (f.detail ?? '');
        const line = ctx.configText !== undefined && key ? configKeyLine(ctx.configText, key) : null;
        return withLine(ctx.configFile, line);
    }
    if (f.id === 'memory.out-of-memory' && ctx.configFile && ctx.configText !== undefined) {
        const line = configKeyLine(ctx.configText, 'memory');
        return line === null ? {} : withLine(ctx.configFile, line);
    }
    if ((family === 'kraft' || family === 'entry') && ctx.kraftfile)
        return { file: ctx.kraftfile };
    return {};
}
function withLine(file, line) {
    return line === null ? { file } : { file, startLine: line };
}

const JOB_SUMMARY_LIMIT = 1024 * 1024;
const EVIDENCE_MAX = 4000;
const CONSOLE_LINE_MAX = 1000;
const VERDICT_MARK = { pass: '✅ pass', fail: '❌ fail', error: '⚠️ error' };
function renderJobSummary(r, opts = {}) {
    const parts = [
        headline(r),
        errorSection(r),
        probesSection(r),
        findingsSection(r),
        baselineSection(r),
        overflowSection(opts.overflow ?? []),
        versionsSection(r),
        timelineSection(r),
        consoleSection(opts.consoleLog, opts.consoleLines ?? 50),
        artifactsSection(r)
    ].filter((p) => p !== null);
    return limitMarkdown(`${parts.join('\n\n')}\n`, opts.maxBytes ?? JOB_SUMMARY_LIMIT);
}
function headline(r) {
    return `## ${VERDICT_MARK[r.verdict]}: ${escapeMarkdownInline(r.app.name)} on ${escapeMarkdownInline(describeGuest(r))}\n\n${escapeMarkdownInline(r.summary)}`;
}
function errorSection(r) {
    if (!r.error)
        return null;
    const hint = r.error.hint ? `\n\n**Hint:** ${escapeMarkdownInline(r.error.hint)}` : '';
    return `### The check could not be carried out (${r.error.kind} error)\n\n${codeFence(clip(r.error.message), 'text')}${hint}`;
}
function probesSection(r) {
    if (r.probes.length === 0)
        return null;
    const rows = r.probes.map(p => {
        const e = p.evidence;
        const evidence = [
            e.sent !== undefined ? `sent ${e.sent}` : null,
            e.received !== undefined ? `got ${e.received}` : null,
            e.note ?? null
        ]
            .filter((x) => x !== null)
            .join(' · ');
        const at = e.atMs !== undefined ? formatMs(e.atMs) : '';
        return `| <code>${escapeMarkdownInline(p.target)}</code> | ${p.passed ? '✅ passed' : '❌ failed'} | ${p.attempts} | ${formatMs(p.durationMs)} | ${at} | ${escapeMarkdownInline(truncateText(evidence, 200))} |`;
    });
    return [
        '### Probes',
        '',
        '| Probe | Result | Attempts | Duration | Seen at | Evidence |',
        '|---|---|--:|--:|--:|---|',
        ...rows
    ].join('\n');
}
function findingsSection(r) {
    if (r.findings.length === 0)
        return null;
    const shown = r.findings.filter(f => f.severity !== 'note' || f.allowed);
    const notes = r.findings.filter(f => f.severity === 'note' && !f.allowed);
    const blocks = shown.map(findingBlock);
    if (notes.length > 0) {
        blocks.push(`**Notes:**\n\n${notes.map(f => `- ${escapeMarkdownInline(findingTitle(f))}${lineRef(f)}`).join('\n')}`);
    }
    return `### Findings\n\n${blocks.join('\n\n')}`;
}
function findingBlock(f) {
    const mark = f.allowed ? '☑️ allowed' : f.severity === 'error' ? '❌ error' : '⚠️ warning';
    return [
        `#### ${mark}: ${escapeMarkdownInline(findingTitle(f))}`,
        '',
        `Source: ${escapeMarkdownInline(f.source)}${lineRef(f)}`,
        '',
        codeFence(clip(f.evidence), 'text'),
        '',
        `**Hint:** ${escapeMarkdownInline(f.hint)}`
    ].join('\n');
}
function lineRef(f) {
    return f.line !== null ? `, line ${f.line}` : '';
}
function baselineSection(r) {
    if (!r.baseline)
        return null;
    const b = r.baseline;
    const errors = b.findings.filter(f => f.severity === 'error' && !f.allowed).map(f => escapeMarkdownInline(f.id));
    const lines = [
        '### Linux baseline (same root filesystem and command)',
        '',
        `Verdict on Linux: **${VERDICT_MARK[b.verdict]}**. ${escapeMarkdownInline(b.differential.summary)} (${escapeMarkdownInline(b.differential.kind)})`
    ];
    if (errors.length > 0)
        lines.push('', `Findings on Linux: ${errors.join(', ')}`);
    return lines.join('\n');
}
function overflowSection(overflow) {
    if (overflow.length === 0)
        return null;
    const items = overflow.map(f => `- ${escapeMarkdownInline(findingTitle(f))}${lineRef(f)}`);
    return `### More findings than annotations\n\nGitHub shows at most 10 annotations per level; these ${overflow.length} are only here (details above):\n\n${items.join('\n')}`;
}
function versionsSection(r) {
    const uk = r.unikraft
        ? `${r.unikraft.version}${r.unikraft.codename ? ` ${r.unikraft.codename}` : ''}${r.unikraft.commit ? ` (${r.unikraft.commit})` : ''}`
        : r.guest === 'linux'
            ? 'not used (Linux baseline guest)'
            : 'unknown (no banner)';
    const accel = r.accel ? `${r.accel.toUpperCase()}${r.accelReason ? `: ${r.accelReason}` : ''}` : 'unknown';
    const rows = [
        ['Guest', r.guest],
        ['Unikraft (from the banner)', uk],
        ['QEMU', r.qemu?.version ?? 'unknown'],
        ['KraftKit', r.kraftkit?.version ?? 'not used'],
        ['Accelerator', accel]
    ];
    if (r.rootfs)
        rows.push([
            'Root filesystem',
            `${r.rootfs.kind}, ${r.rootfs.entries} entries, ${formatBytes(r.rootfs.bytes)}`
        ]);
    const ports = Object.entries(r.ports).map(([g, h]) => `${g} → ${h}`);
    if (ports.length > 0)
        rows.push(['Ports (guest → host)', ports.join(', ')]);
    rows.push(['Tool', `${r.tool.name} ${r.tool.version}`]);
    return ['### Versions', '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${escapeMarkdownInline(v)} |`)].join('\n');
}
function timelineSection(r) {
    const gantt = renderGantt(r.timeline);
    const facts = timelineFacts(r.timeline);
    if (!gantt && facts.length === 0)
        return null;
    const list = facts.map(f => `${f.label} ${f.value}`).join(' · ');
    return `### Timeline\n\n${gantt ? `${codeFence(gantt, 'mermaid')}\n\n` : ''}${escapeMarkdownInline(list)}; whole check ${formatMs(r.durationMs)}.`;
}
function consoleSection(log, count) {
    if (log === undefined)
        return null;
    const all = stripAnsi(log).split('\n');
    while (all.length > 0 && all[all.length - 1].trim() === '')
        all.pop();
    const tail = all.slice(-count).map(l => truncateText(l, CONSOLE_LINE_MAX));
    const first = all.length - tail.length + 1;
    const title = tail.length === 0 ? 'Console: empty' : `Console, lines ${first} to ${all.length} of ${all.length}`;
    const body = tail.length === 0 ? '(the guest printed nothing)' : tail.join('\n');
    return `<details><summary>${title}</summary>\n\n${codeFence(body, 'text')}\n\n</details>`;
}
function artifactsSection(r) {
    if (r.artifacts.length === 0)
        return null;
    return `Artifacts: ${r.artifacts.map(a => `<code>${escapeMarkdownInline(a)}</code>`).join(', ')}`;
}
function clip(text) {
    return truncateText(stripAnsi(text), EVIDENCE_MAX);
}
function formatBytes(n) {
    if (n < 1024)
        return `${n} B`;
    if (n < 1024 * 1024)
        return `${(n / 1024).toFixed(1)} KiB`;
    return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
/**
 * Cuts markdown to `maxBytes` (UTF-8) at a line boundary, closing a code fence or <details> the cut
 * left open, and says so.
 */
function limitMarkdown(text, maxBytes) {
    if (Buffer.byteLength(text, 'utf8') <= maxBytes)
        return text;
    const marker = '\n\n*… summary truncated: it would exceed the size GitHub accepts. The artifacts hold everything.*\n';
    const budget = maxBytes - Buffer.byteLength(marker, 'utf8') - 64;
    let cut = Buffer.from(text, 'utf8').subarray(0, Math.max(0, budget)).toString('utf8');
    // A partly decoded last character shows as U+FFFD; drop the partial line either way.
    cut = cut.slice(0, Math.max(0, cut.lastIndexOf('\n')));
    let fence = null;
    let details = 0;
    for (const line of cut.split('\n')) {
        const m = /^(`{3,})/.exec(line);
        if (m) {
            if (fence === null)
                fence = m[1];
            else if (line.trim() === fence)
                fence = null;
        }
        else if (fence === null) {
            details += (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
        }
    }
    let closing = '';
    if (fence !== null)
        closing += `\n${fence}`;
    if (details > 0)
        closing += '\n\n</details>'.repeat(details);
    return `${cut}${closing}${marker}`;
}

function resultOutputs(r) {
    const ms = (v) => (v === null ? '' : String(Math.round(v)));
    return {
        verdict: r.verdict,
        findings: JSON.stringify(r.findings),
        'unikraft-version': r.unikraft?.version ?? '',
        'boot-ms': ms(r.timeline.bootMs),
        'ready-ms': ms(r.timeline.readyMs)
    };
}

// KVM on GitHub's Linux runners: /dev/kvm is root:kvm 0660 there, so add the udev rule that opens it
// to the runner user. Whether KVM then really works is the microVM runner's call (it boots to prove it
// and falls back to TCG); here every failure is only a warning.
const KVM_DEVICE = '/dev/kvm';
const KVM_UDEV_RULE_PATH = '/etc/udev/rules.d/99-kvm4all.rules';
/** The rule GitHub documents for hosted runners (domain facts, section 5). */
const KVM_UDEV_RULE = 'KERNEL=="kvm", GROUP="kvm", MODE="0666", OPTIONS+="static_node=kvm"\n';
/**
 * The steps, as data: the rule is written by this process (never `tee` through a shell); without
 * root it is written to `stagingPath` and put in place with `sudo -n install`.
 */
function kvmUdevSetupArgv(p, opts) {
    const write = p.isRoot
        ? [{ kind: 'write-file', path: KVM_UDEV_RULE_PATH, content: KVM_UDEV_RULE, mode: 0o644 }]
        : [
            { kind: 'write-file', path: opts.stagingPath, content: KVM_UDEV_RULE, mode: 0o644 },
            { kind: 'run', argv: privileged(['install', '-m', '0644', opts.stagingPath, KVM_UDEV_RULE_PATH], p) }
        ];
    return [
        ...write,
        { kind: 'run', argv: privileged(['udevadm', 'control', '--reload-rules'], p) },
        { kind: 'run', argv: privileged(['udevadm', 'trigger', '--name-match=kvm'], p) }
    ];
}
async function canOpenReadWrite(path) {
    try {
        await access(path, constants.R_OK | constants.W_OK);
        return true;
    }
    catch {
        return false;
    }
}
async function exists(path) {
    try {
        await access(path, constants.F_OK);
        return true;
    }
    catch {
        return false;
    }
}
/** Opens /dev/kvm to the runner user on GitHub Linux runners; a no-op elsewhere. Never throws. */
async function enableKvmForRunner(deps) {
    const env = deps.env ?? process.env;
    const device = deps.device ?? KVM_DEVICE;
    if (env.GITHUB_ACTIONS !== 'true')
        return { attempted: false, accessible: false, detail: 'not a GitHub Actions runner' };
    if ((deps.platform ?? process.platform) !== 'linux') {
        return { attempted: false, accessible: false, detail: 'not a Linux runner' };
    }
    if (!(await exists(device))) {
        return {
            attempted: false,
            accessible: false,
            detail: `${device} does not exist (arm runners have no KVM)`
        };
    }
    if (await canOpenReadWrite(device))
        return { attempted: false, accessible: true, detail: `${device} is already usable` };
    try {
        const p = deps.privileges ?? (await detectPrivileges(deps.runner));
        if (!p.isRoot && !p.hasSudo) {
            deps.logger.warning(`cannot open ${device} and have no passwordless sudo to add the udev rule; KVM stays off`);
            return { attempted: false, accessible: false, detail: 'no root and no passwordless sudo' };
        }
        const stagingDir = join(deps.tmpDir ?? env.RUNNER_TEMP ?? '/tmp', `unikraft-compat-kvm-${process.pid}`);
        const steps = kvmUdevSetupArgv(p, { stagingPath: join(stagingDir, '99-kvm4all.rules') });
        try {
            for (const step of steps) {
                if (step.kind === 'write-file') {
                    await mkdir(dirname(step.path), { recursive: true });
                    await writeFile(step.path, step.content, { mode: step.mode });
                    continue;
                }
                const r = await deps.runner.run(step.argv, { timeoutMs: 30_000 });
                if (r.code !== 0) {
                    const why = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ');
                    deps.logger.warning(`'${step.argv.join(' ')}' failed (exit ${r.code ?? r.signal}): ${why}; KVM may stay off`);
                    return {
                        attempted: true,
                        accessible: await canOpenReadWrite(device),
                        detail: `${step.argv.join(' ')} failed`
                    };
                }
            }
        }
        finally {
            await rm(stagingDir, { recursive: true, force: true });
        }
        // udev applies the mode asynchronously after the trigger; give it a moment.
        for (let i = 0; i < 20; i++) {
            if (await canOpenReadWrite(device))
                return { attempted: true, accessible: true, detail: 'udev rule installed' };
            await new Promise(r => setTimeout(r, 100));
        }
        deps.logger.warning(`added the udev rule for ${device} but it is still not writable; KVM may stay off`);
        return { attempted: true, accessible: false, detail: 'rule installed, device still not writable' };
    }
    catch (err) {
        deps.logger.warning(`could not open ${device} for this user: ${err.message}; KVM may stay off`);
        return { attempted: true, accessible: await canOpenReadWrite(device), detail: err.message };
    }
}

// The one reader of the action's inputs: every input of the table, as the raw strings the engine
// resolves (the CLI hands the engine the same shape).
function readActionInputs() {
    const raw = {};
    for (const input of INPUTS) {
        const value = getInput(input.name, { trimWhitespace: !input.multiline });
        if (value.trim() !== '')
            raw[input.name] = value;
    }
    return raw;
}

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};

var __awaiter$1 = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
/**
 * Internal class for retries
 */
class RetryHelper {
    constructor(maxAttempts, minSeconds, maxSeconds) {
        if (maxAttempts < 1) {
            throw new Error('max attempts should be greater than or equal to 1');
        }
        this.maxAttempts = maxAttempts;
        this.minSeconds = Math.floor(minSeconds);
        this.maxSeconds = Math.floor(maxSeconds);
        if (this.minSeconds > this.maxSeconds) {
            throw new Error('min seconds should be less than or equal to max seconds');
        }
    }
    execute(action, isRetryable) {
        return __awaiter$1(this, void 0, void 0, function* () {
            let attempt = 1;
            while (attempt < this.maxAttempts) {
                // Try
                try {
                    return yield action();
                }
                catch (err) {
                    if (isRetryable && !isRetryable(err)) {
                        throw err;
                    }
                    info(err.message);
                }
                // Sleep
                const seconds = this.getSleepAmount();
                info(`Waiting ${seconds} seconds before trying again`);
                yield this.sleep(seconds);
                attempt++;
            }
            // Last attempt
            return yield action();
        });
    }
    getSleepAmount() {
        return (Math.floor(Math.random() * (this.maxSeconds - this.minSeconds + 1)) +
            this.minSeconds);
    }
    sleep(seconds) {
        return __awaiter$1(this, void 0, void 0, function* () {
            return new Promise(resolve => setTimeout(resolve, seconds * 1000));
        });
    }
}

var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
class HTTPError extends Error {
    constructor(httpStatusCode) {
        super(`Unexpected HTTP response: ${httpStatusCode}`);
        this.httpStatusCode = httpStatusCode;
        Object.setPrototypeOf(this, new.target.prototype);
    }
}
process.platform === 'win32';
process.platform === 'darwin';
const userAgent = 'actions/tool-cache';
/**
 * Download a tool from an url and stream it into a file
 *
 * @param url       url of tool to download
 * @param dest      path to download tool
 * @param auth      authorization header
 * @param headers   other headers
 * @returns         path to downloaded tool
 */
function downloadTool(url, dest, auth, headers) {
    return __awaiter(this, void 0, void 0, function* () {
        dest = dest || path.join(_getTempDirectory(), crypto.randomUUID());
        yield mkdirP(path.dirname(dest));
        debug(`Downloading ${url}`);
        debug(`Destination ${dest}`);
        const maxAttempts = 3;
        const minSeconds = _getGlobal('TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS', 10);
        const maxSeconds = _getGlobal('TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS', 20);
        const retryHelper = new RetryHelper(maxAttempts, minSeconds, maxSeconds);
        return yield retryHelper.execute(() => __awaiter(this, void 0, void 0, function* () {
            return yield downloadToolAttempt(url, dest || '', auth, headers);
        }), (err) => {
            if (err instanceof HTTPError && err.httpStatusCode) {
                // Don't retry anything less than 500, except 408 Request Timeout and 429 Too Many Requests
                if (err.httpStatusCode < 500 &&
                    err.httpStatusCode !== 408 &&
                    err.httpStatusCode !== 429) {
                    return false;
                }
            }
            // Otherwise retry
            return true;
        });
    });
}
function downloadToolAttempt(url, dest, auth, headers) {
    return __awaiter(this, void 0, void 0, function* () {
        if (fs.existsSync(dest)) {
            throw new Error(`Destination file path ${dest} already exists`);
        }
        // Get the response headers
        const http = new HttpClient(userAgent, [], {
            allowRetries: false
        });
        const response = yield http.get(url, headers);
        if (response.message.statusCode !== 200) {
            const err = new HTTPError(response.message.statusCode);
            debug(`Failed to download from "${url}". Code(${response.message.statusCode}) Message(${response.message.statusMessage})`);
            throw err;
        }
        // Download the response body
        const pipeline = require$$0.promisify(require$$0$1.pipeline);
        const responseMessageFactory = _getGlobal('TEST_DOWNLOAD_TOOL_RESPONSE_MESSAGE_FACTORY', () => response.message);
        const readStream = responseMessageFactory();
        let succeeded = false;
        try {
            yield pipeline(readStream, fs.createWriteStream(dest));
            debug('download complete');
            succeeded = true;
            return dest;
        }
        finally {
            // Error, delete dest before retry
            if (!succeeded) {
                debug('download failed');
                try {
                    yield rmRF(dest);
                }
                catch (err) {
                    debug(`Failed to delete '${dest}'. ${err.message}`);
                }
            }
        }
    });
}
/**
 * Caches a directory and installs it into the tool cacheDir
 *
 * @param sourceDir    the directory to cache into tools
 * @param tool          tool name
 * @param version       version of the tool.  semver format
 * @param arch          architecture of the tool.  Optional.  Defaults to machine architecture
 */
function cacheDir(sourceDir, tool, version, arch) {
    return __awaiter(this, void 0, void 0, function* () {
        version = semverExports.clean(version) || version;
        arch = arch || os.arch();
        debug(`Caching tool ${tool} ${version} ${arch}`);
        debug(`source dir: ${sourceDir}`);
        if (!fs.statSync(sourceDir).isDirectory()) {
            throw new Error('sourceDir is not a directory');
        }
        // Create the tool dir
        const destPath = yield _createToolPath(tool, version, arch);
        // copy each child item. do not move. move can fail on Windows
        // due to anti-virus software having an open handle on a file.
        for (const itemName of fs.readdirSync(sourceDir)) {
            const s = path.join(sourceDir, itemName);
            yield cp(s, destPath, { recursive: true });
        }
        // write .complete
        _completeToolPath(tool, version, arch);
        return destPath;
    });
}
/**
 * Finds the path to a tool version in the local installed tool cache
 *
 * @param toolName      name of the tool
 * @param versionSpec   version of the tool
 * @param arch          optional arch.  defaults to arch of computer
 */
function find(toolName, versionSpec, arch) {
    if (!toolName) {
        throw new Error('toolName parameter is required');
    }
    if (!versionSpec) {
        throw new Error('versionSpec parameter is required');
    }
    arch = arch || os.arch();
    // attempt to resolve an explicit version
    if (!isExplicitVersion(versionSpec)) {
        const localVersions = findAllVersions(toolName, arch);
        const match = evaluateVersions(localVersions, versionSpec);
        versionSpec = match;
    }
    // check for the explicit version in the cache
    let toolPath = '';
    if (versionSpec) {
        versionSpec = semverExports.clean(versionSpec) || '';
        const cachePath = path.join(_getCacheDirectory(), toolName, versionSpec, arch);
        debug(`checking cache: ${cachePath}`);
        if (fs.existsSync(cachePath) && fs.existsSync(`${cachePath}.complete`)) {
            debug(`Found tool in cache ${toolName} ${versionSpec} ${arch}`);
            toolPath = cachePath;
        }
        else {
            debug('not found');
        }
    }
    return toolPath;
}
/**
 * Finds the paths to all versions of a tool that are installed in the local tool cache
 *
 * @param toolName  name of the tool
 * @param arch      optional arch.  defaults to arch of computer
 */
function findAllVersions(toolName, arch) {
    const versions = [];
    arch = arch || os.arch();
    const toolPath = path.join(_getCacheDirectory(), toolName);
    if (fs.existsSync(toolPath)) {
        const children = fs.readdirSync(toolPath);
        for (const child of children) {
            if (isExplicitVersion(child)) {
                const fullPath = path.join(toolPath, child, arch || '');
                if (fs.existsSync(fullPath) && fs.existsSync(`${fullPath}.complete`)) {
                    versions.push(child);
                }
            }
        }
    }
    return versions;
}
function _createToolPath(tool, version, arch) {
    return __awaiter(this, void 0, void 0, function* () {
        const folderPath = path.join(_getCacheDirectory(), tool, semverExports.clean(version) || version, arch || '');
        debug(`destination ${folderPath}`);
        const markerPath = `${folderPath}.complete`;
        yield rmRF(folderPath);
        yield rmRF(markerPath);
        yield mkdirP(folderPath);
        return folderPath;
    });
}
function _completeToolPath(tool, version, arch) {
    const folderPath = path.join(_getCacheDirectory(), tool, semverExports.clean(version) || version, arch || '');
    const markerPath = `${folderPath}.complete`;
    fs.writeFileSync(markerPath, '');
    debug('finished caching tool');
}
/**
 * Check if version string is explicit
 *
 * @param versionSpec      version string to check
 */
function isExplicitVersion(versionSpec) {
    const c = semverExports.clean(versionSpec) || '';
    debug(`isExplicit: ${c}`);
    const valid = semverExports.valid(c) != null;
    debug(`explicit? ${valid}`);
    return valid;
}
/**
 * Get the highest satisfiying semantic version in `versions` which satisfies `versionSpec`
 *
 * @param versions        array of versions to evaluate
 * @param versionSpec     semantic version spec to satisfy
 */
function evaluateVersions(versions, versionSpec) {
    let version = '';
    debug(`evaluating ${versions.length} versions`);
    versions = versions.sort((a, b) => {
        if (semverExports.gt(a, b)) {
            return 1;
        }
        return -1;
    });
    for (let i = versions.length - 1; i >= 0; i--) {
        const potential = versions[i];
        const satisfied = semverExports.satisfies(potential, versionSpec);
        if (satisfied) {
            version = potential;
            break;
        }
    }
    if (version) {
        debug(`matched: ${version}`);
    }
    else {
        debug('match not found');
    }
    return version;
}
/**
 * Gets RUNNER_TOOL_CACHE
 */
function _getCacheDirectory() {
    const cacheDirectory = process.env['RUNNER_TOOL_CACHE'] || '';
    ok(cacheDirectory, 'Expected RUNNER_TOOL_CACHE to be defined');
    return cacheDirectory;
}
/**
 * Gets RUNNER_TEMP
 */
function _getTempDirectory() {
    const tempDirectory = process.env['RUNNER_TEMP'] || '';
    ok(tempDirectory, 'Expected RUNNER_TEMP to be defined');
    return tempDirectory;
}
/**
 * Gets a global variable
 */
function _getGlobal(key, defaultValue) {
    /* eslint-disable @typescript-eslint/no-explicit-any */
    const value = global[key];
    /* eslint-enable @typescript-eslint/no-explicit-any */
    return value !== undefined ? value : defaultValue;
}

// The engine's setup interfaces (ToolCache, Downloader, PersistentCache) over GitHub's toolkit:
// @actions/tool-cache within a job (RUNNER_TOOL_CACHE), @actions/cache across runs (cache-store.ts,
// where every failure is already a warning).
const actionsToolCache = {
    // tc.find returns '' on a miss.
    find: (tool, version, arch) => find(tool, version, arch) || null,
    cacheDir: (srcDir, tool, version, arch) => cacheDir(srcDir, tool, version, arch)
};
/** tc.downloadTool (with its retries on 5xx and network errors), errors as InfrastructureError. */
const actionsDownloader = async (url, dest) => {
    try {
        await downloadTool(url, dest);
    }
    catch (thrown) {
        const err = toError(thrown);
        const status = thrown instanceof HTTPError ? thrown.httpStatusCode : undefined;
        throw new InfrastructureError(`could not download ${url}: ${status !== undefined ? `HTTP ${status}` : err.message}`, status === 404
            ? 'check that this release and file exist'
            : 'retry the job, or check the runner network', { cause: err });
    }
};
function actionsPersistentCache(logger) {
    return createActionsCache(logger);
}
/** Everything installKraftkit / ensureUnikraftKernel need from GitHub, in one place. */
function createActionsSetupDeps(logger) {
    return {
        toolCache: actionsToolCache,
        download: actionsDownloader,
        persistentCache: actionsPersistentCache(logger)
    };
}

// The action's main step: read inputs, run the engine, then report to GitHub (outputs, annotations,
// job summary, artifacts). Errors are reported once, here, with the input at fault named.
async function runMain() {
    const logger = createActionsLogger();
    // A cancelled job sends SIGINT, then SIGTERM: stop the VM; the post step uploads the logs.
    const onSignal = () => void stopAllVms();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
        const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
        const options = await resolveCheckOptions(readActionInputs(), { cwd: workspace });
        const name = artifactName({
            app: options.appName,
            version: options.unikraftVersion,
            guest: options.guest,
            arch: options.arch,
            override: options.artifactName ?? undefined
        });
        const outDir = join(process.env.RUNNER_TEMP || tmpdir(), 'unikraft-compat', name);
        saveMainState({ outDir, artifactName: name, uploadLogs: options.uploadLogs, persist: [] });
        const kvm = await enableKvmForRunner({ runner: nodeCommandRunner, logger });
        if (kvm.attempted)
            logger.info(`KVM: ${kvm.detail}`);
        const setup = createActionsSetupDeps(logger);
        const run = await runCheck(options, outDir, {
            logger,
            runner: nodeCommandRunner,
            clock: systemClock,
            cacheDir: join(process.env.RUNNER_TOOL_CACHE || join(tmpdir(), 'tool-cache'), 'unikraft-compat'),
            ...setup,
            installMissing: true,
            kernelFallback: 'error'
        });
        saveMainState({ outDir, artifactName: name, uploadLogs: options.uploadLogs, persist: run.persist });
        const { result } = run;
        for (const [k, v] of Object.entries(resultOutputs(result)))
            setOutput(k, v);
        setOutput('result-file', run.resultFile);
        setOutput('console-log', join(outDir, RUN_FILES.console));
        const rel = (p) => (p ? relative(workspace, p) : undefined);
        const text = async (p) => (p ? readFile(p, 'utf8').catch(() => undefined) : undefined);
        const { annotations, overflow } = planAnnotations(result.findings, {
            dockerfile: rel(options.dockerfile),
            kraftfile: rel(options.kraftfile),
            configFile: rel(options.configFile),
            dockerfileText: await text(options.dockerfile),
            configText: await text(options.configFile)
        });
        for (const a of annotations) {
            const props = { title: a.title, file: a.file, startLine: a.startLine };
            if (a.level === 'error')
                error(a.message, props);
            else if (a.level === 'warning')
                warning(a.message, props);
            else
                notice(a.message, props);
        }
        const consoleLog = await text(join(outDir, RUN_FILES.console));
        await summary.addRaw(renderJobSummary(result, { consoleLog, overflow }), true).write();
        if (options.uploadLogs) {
            const uploaded = await uploadRunArtifacts({ name, dir: outDir, files: UPLOADED_FILES }, logger);
            if (uploaded) {
                setOutput('artifact-id', String(uploaded.id));
                if (uploaded.url)
                    setOutput('artifact-url', uploaded.url);
            }
            markUploaded();
        }
        info(result.summary);
        if (result.verdict !== 'pass' && options.failOn === 'error')
            setFailed(result.summary);
    }
    catch (thrown) {
        const err = toError(thrown);
        const kind = errorKind(err);
        setFailed(kind === 'bug' ? `unikraft-compat internal error (please report): ${err.stack ?? err.message}` : describeError(err));
    }
    finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
    }
}

// Entry point of the action's main step.
await runMain();
