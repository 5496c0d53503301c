import { f as findingTitle } from './finding-titles.js';
import { d as describeGuest, f as formatMs } from './result.js';
import { d as divergenceFinding, a as divergenceSentence, b as divergenceEvidence, s as syscallRows, l as leftOutLine, t as traceFacts, c as traceNotes, r as renderGantt, e as timelineFacts, o as oneLine, S as SYSCALL_NAME_MAX } from './timeline-phases.js';
import { e as escapeMarkdownInline, c as codeFence, a as escapeMarkdownWithCode, t as truncateText, s as stripAnsi } from './text-escape.js';
import 'node:fs';
import 'node:path';
import 'node:url';

const JOB_SUMMARY_LIMIT = 1024 * 1024;
const EVIDENCE_MAX = 4000;
const CONSOLE_LINE_MAX = 1000;
/** Rows of the system-call table; the rest are counted below it (result.json has them all). */
const SYSCALL_TABLE_ROWS = 30;
const VERDICT_MARK = { pass: '✅ pass', fail: '❌ fail', error: '⚠️ error' };
function renderJobSummary(r, opts = {}) {
    // The divergence is shown with the traces, first; the findings list leaves it out.
    const divergence = divergenceFinding(r);
    const parts = [
        headline(r),
        syscallsSection(r, divergence),
        errorSection(r),
        probesSection(r),
        findingsSection(r, divergence),
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
    const hint = r.error.hint ? `\n\n**Hint:** ${escapeMarkdownWithCode(r.error.hint)}` : '';
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
        return `| <code>${escapeMarkdownInline(p.target)}</code> | ${p.passed ? '✅ passed' : p.inconclusive ? '❔ inconclusive' : '❌ failed'} | ${p.attempts} | ${formatMs(p.durationMs)} | ${at} | ${escapeMarkdownInline(truncateText(evidence, 200))} |`;
    });
    return [
        '### Probes',
        '',
        '| Probe | Result | Attempts | Duration | Seen at | Evidence |',
        '|---|---|--:|--:|--:|---|',
        ...rows
    ].join('\n');
}
function syscallsSection(r, finding) {
    const s = r.syscalls;
    if (!s)
        return null;
    const out = ['### System calls: Unikraft compared with Linux'];
    if (s.divergence && finding)
        out.push('', findingHeading(finding));
    out.push('', `${s.divergence ? '**First divergence:** ' : ''}${pieces(divergenceSentence(s))}`);
    if (s.divergence) {
        const e = divergenceEvidence(s.divergence, finding);
        out.push('', codeFence(`Linux:    ${e.linux}\nUnikraft: ${e.unikraft}`, 'text'));
        if (finding)
            out.push('', `**Hint:** ${escapeMarkdownWithCode(finding.hint)}`);
    }
    const rows = syscallRows(s);
    if (rows.length > 0) {
        const shown = rows.slice(0, SYSCALL_TABLE_ROWS);
        out.push('', '| System call | Calls on Linux | Calls on Unikraft | Status on Unikraft |', '|---|--:|--:|---|', ...shown.map(syscallRow));
        if (rows.length > shown.length)
            out.push('', escapeMarkdownInline(leftOutLine(rows.slice(shown.length))));
    }
    out.push('', `Traced: ${escapeMarkdownInline(traceFacts(s))}.`);
    const notes = traceNotes(s);
    if (notes.length > 0)
        out.push('', '**Notes:**', '', ...notes.map(n => `- ${escapeMarkdownInline(n)}`));
    return out.join('\n');
}
const ROW_MARK = ['❌ ', '❌ ', '⚠️ ', '', '', '', ''];
function syscallRow(row) {
    const count = (n) => (n === null ? 'not traced' : n === 0 ? '—' : String(n));
    return `| <code>${escapeMarkdownInline(oneLine(row.syscall, SYSCALL_NAME_MAX))}</code> | ${count(row.linux)} | ${count(row.unikraft)} | ${ROW_MARK[row.rank]}${escapeMarkdownInline(oneLine(row.status, 200))} |`;
}
/** A sentence with its code pieces as `<code>`, everything escaped. */
function pieces(p) {
    return p.map(x => ('code' in x ? `<code>${escapeMarkdownInline(x.code)}</code>` : escapeMarkdownInline(x.text))).join('');
}
function findingsSection(r, skip) {
    const findings = r.findings.filter(f => f !== skip);
    if (findings.length === 0)
        return null;
    const shown = findings.filter(f => f.severity !== 'note' || f.allowed);
    const notes = findings.filter(f => f.severity === 'note' && !f.allowed);
    const blocks = shown.map(findingBlock);
    if (notes.length > 0) {
        blocks.push(`**Notes:**\n\n${notes.map(f => `- ${escapeMarkdownInline(findingTitle(f))}${lineRef(f)}`).join('\n')}`);
    }
    return `### Findings\n\n${blocks.join('\n\n')}`;
}
function findingHeading(f) {
    const mark = f.allowed
        ? '☑️ allowed'
        : f.severity === 'error'
            ? '❌ error'
            : f.severity === 'warning'
                ? '⚠️ warning'
                : 'ℹ️ note';
    return `#### ${mark}: ${escapeMarkdownInline(findingTitle(f))}`;
}
function findingBlock(f) {
    return [
        findingHeading(f),
        '',
        `Source: ${escapeMarkdownInline(f.source)}${lineRef(f)}`,
        '',
        codeFence(clip(f.evidence), 'text'),
        '',
        `**Hint:** ${escapeMarkdownWithCode(f.hint)}`
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
            `${r.rootfs.kind}, ${r.rootfs.entries} ${r.rootfs.entries === 1 ? 'entry' : 'entries'}, ${formatBytes(r.rootfs.bytes)}`
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

export { JOB_SUMMARY_LIMIT, SYSCALL_TABLE_ROWS, limitMarkdown, renderJobSummary };
