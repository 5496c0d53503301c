import { f as formatMs } from './result.js';

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

export { renderGantt as r, timelineFacts as t };
