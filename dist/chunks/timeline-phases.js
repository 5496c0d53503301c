import { t as truncateText, s as stripAnsi } from './text-escape.js';
import { f as formatMs } from './result.js';

/** Longest system call name shown (a name is a word, but the file is untrusted). */
const SYSCALL_NAME_MAX = 40;
/** Longest argument list shown in the divergence sentence. */
const ARGS_MAX = 300;
/** Longest trace line shown as evidence. */
const EVIDENCE_LINE_MAX = 1000;
/** Longest note shown, and how many notes at most. */
const NOTE_MAX = 500;
const NOTES_MAX = 20;
/** One row per system call either side made: Unikraft's in order of the first call, then Linux's own. */
function syscallRows(s) {
    const uk = s.sides.unikraft;
    const lx = s.sides.linux;
    const ukCalls = new Map((uk?.calls ?? []).map(c => [c.syscall, c]));
    const lxCalls = new Map((lx?.calls ?? []).map(c => [c.syscall, c]));
    const names = [...ukCalls.keys(), ...[...lxCalls.keys()].filter(n => !ukCalls.has(n))];
    const stopped = s.divergence?.kind === 'not-reached';
    const rows = names.map((syscall) => {
        const u = ukCalls.get(syscall);
        const l = lxCalls.get(syscall);
        const linux = lx ? (l?.count ?? 0) : null;
        const unikraft = uk ? (u?.count ?? 0) : null;
        const diverged = s.divergence?.syscall === syscall && uk !== null;
        // Unikraft made this call before it stopped, but not the one where Linux went on.
        const thenStopped = diverged && stopped && u !== undefined ? ', then not reached' : '';
        const row = (status, rank) => ({
            syscall,
            linux,
            unikraft,
            status: diverged ? `${status}${thenStopped} (first divergence)` : status,
            rank: diverged ? 0 : rank,
            problem: diverged || rank <= 2
        });
        if (!uk)
            return row('not traced', 6);
        if (!u)
            return stopped ? row('not reached', 3) : row('not called', 5);
        const unsupported = s.unsupported.find(x => x.syscall === syscall);
        const enosys = u.errnos.includes('ENOSYS')
            ? (unsupported?.count ?? (u.errnos.length === 1 ? u.failed : 1))
            : 0;
        const others = u.errnos.filter(e => e !== 'ENOSYS');
        const parts = [];
        if (enosys > 0)
            parts.push(`ENOSYS ×${enosys}${unsupported?.tolerated ? ' (tolerated)' : ''}`);
        if (others.length > 0)
            parts.push(`${others.join(', ')} ×${Math.max(1, u.failed - enosys)}`);
        if (parts.length === 0)
            return row('ok', 6);
        const ok = u.count - u.failed;
        if (ok > 0)
            parts.push(`${ok} ok`);
        const status = parts.join(', ');
        if (enosys > 0 && !unsupported?.tolerated)
            return row(status, 1);
        const newErrno = lx !== null && others.some(e => !(l?.errnos ?? []).includes(e));
        return row(status, newErrno ? 2 : 4);
    });
    return rows
        .map((r, i) => ({ r, i }))
        .sort((a, b) => a.r.rank - b.r.rank || a.i - b.i)
        .map(({ r }) => r);
}
/** The syscall.divergence finding the trace step wrote for this divergence, if any. */
function divergenceFinding(r) {
    const d = r.syscalls?.divergence;
    if (!d)
        return null;
    return (r.findings.find(f => f.id === 'syscall.divergence' && (f.data?.syscall === undefined || f.data.syscall === d.syscall)) ?? null);
}
/** `openat(AT_FDCWD, "/etc/x", O_RDONLY)`, the arguments clipped. */
function callText(d) {
    return `${oneLine(d.syscall, SYSCALL_NAME_MAX)}(${oneLine(d.args, ARGS_MAX)})`;
}
/**
 * What the traces say, in one sentence: `openat(…)` returned 3 on Linux and ENOSYS (-38) on Unikraft
 * (Linux's call 2, Unikraft's call 3). Also when nothing diverged, or the two could not be compared.
 */
function divergenceSentence(s) {
    const d = s.divergence;
    if (!d) {
        if (s.traced.unikraft && s.traced.linux)
            return [{ text: 'No divergence: as far as both traces go, Unikraft answered the calls as Linux did.' }];
        const missing = !s.traced.unikraft && !s.traced.linux
            ? 'neither side was traced'
            : !s.traced.unikraft
                ? 'the Unikraft side was not traced'
                : 'the Linux side was not traced';
        return [{ text: `No comparison with Linux: ${missing}.` }];
    }
    const linux = d.linux !== null ? oneLine(d.linux, 100) : null;
    const index = (i) => (i === null ? '' : String(i + 1));
    if (d.kind === 'not-reached' || d.unikraft === null) {
        const after = s.sides.unikraft ? ` (its trace ends after ${s.sides.unikraft.count} calls)` : '';
        return [
            { code: callText(d) },
            {
                text: `${linux !== null ? ` returned ${linux} on Linux` : ' was made on Linux'}${d.linuxIndex !== null ? ` (call ${index(d.linuxIndex)})` : ''}; Unikraft never reached it${after}.`
            }
        ];
    }
    const where = d.linuxIndex !== null && d.unikraftIndex !== null
        ? ` (call ${index(d.linuxIndex)} on Linux, call ${index(d.unikraftIndex)} on Unikraft)`
        : '';
    return [
        { code: callText(d) },
        {
            text: ` returned ${linux ?? 'nothing'} on Linux and ${oneLine(d.unikraft, 100)} on Unikraft${where}.`
        }
    ];
}
/**
 * The two trace lines of the divergence, from its finding's evidence (`Linux (strace.log line 9: …);
 * Unikraft (console.log line 20: …)`), else built from the divergence itself.
 */
function divergenceEvidence(d, finding) {
    const m = finding ? /^Linux \(([\s\S]*?)\); Unikraft \(([\s\S]*)\)$/.exec(finding.evidence.trim()) : null;
    if (m)
        return { linux: oneLine(m[1], EVIDENCE_LINE_MAX), unikraft: oneLine(m[2], EVIDENCE_LINE_MAX) };
    const call = callText(d);
    const at = (i) => (i === null ? '' : ` (call ${i + 1})`);
    return {
        linux: d.linux !== null ? `${call} = ${oneLine(d.linux, 100)}${at(d.linuxIndex)}` : 'never reached',
        unikraft: d.unikraft !== null ? `${call} = ${oneLine(d.unikraft, 100)}${at(d.unikraftIndex)}` : 'never reached'
    };
}
/** `Linux 4 calls (cut short: counts are a lower bound; 1 unreadable line) · Unikraft 5 calls`. */
function traceFacts(s) {
    const side = (name, v) => {
        if (!v)
            return `${name} not traced`;
        const extra = [
            v.truncated ? 'cut short: counts are a lower bound' : null,
            v.unreadable > 0 ? `${v.unreadable} unreadable line${v.unreadable === 1 ? '' : 's'}` : null
        ].filter((x) => x !== null);
        return `${name} ${v.count} call${v.count === 1 ? '' : 's'}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}`;
    };
    return `${side('Linux', s.sides.linux)} · ${side('Unikraft', s.sides.unikraft)}`;
}
/** The notes, each on one line and clipped, at most NOTES_MAX (the last says how many more). */
function traceNotes(s) {
    const notes = s.notes.slice(0, NOTES_MAX).map(n => oneLine(n, NOTE_MAX));
    if (s.notes.length > NOTES_MAX)
        notes.push(`… and ${s.notes.length - NOTES_MAX} more notes in result.json`);
    return notes;
}
/** `… 12 more system calls (2 with a problem)`, for rows a table left out. */
function leftOutLine(left) {
    const problems = left.filter(r => r.problem).length;
    return `… ${left.length} more system call${left.length === 1 ? '' : 's'} not shown (${problems === 0 ? 'none' : problems} with a problem); result.json lists every one.`;
}
/** One line of untrusted text: control sequences gone, newlines as ⏎, at most `max` characters. */
function oneLine(text, max) {
    return truncateText(stripAnsi(text)
        .replace(/\s*\n\s*/g, ' ⏎ ')
        .trim(), max);
}

function timelinePhases(t) {
    const phases = [];
    const setupEnd = t.setupMs ?? 0;
    if (t.setupMs !== null)
        phases.push({ name: 'setup', label: 'setup', startMs: 0, endMs: t.setupMs });
    if (t.buildMs !== null) {
        phases.push({ name: 'build', label: 'root filesystem', startMs: setupEnd, endMs: setupEnd + t.buildMs });
    }
    const launch = t.launchMs ?? setupEnd + (t.buildMs ?? 0);
    // Each guest milestone closes the phase since the previous one that is known.
    let last = 0;
    const milestone = (name, label, at) => {
        if (at === null || at < last)
            return;
        phases.push({ name, label, startMs: launch + last, endMs: launch + at });
        last = at;
    };
    milestone('boot', 'boot to first output', t.bootMs);
    milestone('banner', 'to Unikraft banner', t.bannerMs);
    milestone('ready', 'probing until ready', t.readyMs);
    milestone('exit', 'running until exit', t.exitMs);
    return phases;
}
/** One line per known milestone: `boot 312 ms · banner 402 ms · ready 812 ms (after launch)`. */
function timelineFacts(t) {
    const facts = [];
    const add = (label, v, suffix = '') => {
        if (v !== null)
            facts.push({ label, value: `${formatMs(v)}${suffix}` });
    };
    add('setup', t.setupMs);
    add('build', t.buildMs);
    add('first output', t.bootMs, ' after launch');
    add('banner', t.bannerMs, ' after launch');
    add('ready', t.readyMs, ' after launch');
    add('exit', t.exitMs, ' after launch');
    return facts;
}
/**
 * A mermaid gantt chart of the phases (GitHub renders ```mermaid blocks). Times are Unix-ms stamps
 * counted from 0; task labels carry the exact durations because the axis shows local clock digits.
 */
function renderGantt(t) {
    const phases = timelinePhases(t);
    if (phases.length === 0)
        return null;
    const total = Math.max(...phases.map(p => p.endMs));
    const lines = [
        'gantt',
        '  title Check timeline (since the check started)',
        '  dateFormat x',
        `  axisFormat ${total < 60_000 ? '%S.%L s' : '%M:%S'}`,
        '  todayMarker off'
    ];
    let section = '';
    phases.forEach((p, i) => {
        const want = p.name === 'setup' || p.name === 'build' ? 'Host' : 'Guest';
        if (want !== section) {
            lines.push(`  section ${want}`);
            section = want;
        }
        // Mermaid drops zero-length bars: give each at least 1 ms.
        const start = Math.round(p.startMs);
        const end = Math.max(start + 1, Math.round(p.endMs));
        lines.push(`  ${p.label} ${formatMs(p.endMs - p.startMs)} :p${i}, ${start}, ${end}`);
    });
    return lines.join('\n');
}

export { SYSCALL_NAME_MAX as S, divergenceSentence as a, divergenceEvidence as b, traceNotes as c, divergenceFinding as d, timelineFacts as e, leftOutLine as l, oneLine as o, renderGantt as r, syscallRows as s, traceFacts as t };
