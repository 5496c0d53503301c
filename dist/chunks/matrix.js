import { lstat, readdir, mkdir } from 'node:fs/promises';
import { a as appIdOf } from './resolve.js';
import { join, relative, sep } from 'node:path';
import { C as ConfigurationError } from './errors.js';
import { m as mainFinding } from './result.js';
import { t as truncateText, b as escapeXml, e as escapeMarkdownInline } from './text-escape.js';
import { w as writeTextAtomic, l as loadResultFile, R as RESULT_FILE_NAME } from './result-file.js';
import { p as parse, U as UsageError, C as COMMON_OPTIONS } from './args.js';
import 'node:fs';
import './kernel-store.js';
import './find-program.js';
import './index.js';
import 'node:os';
import 'process';
import 'buffer';
import 'node:crypto';
import './version-compare.js';
import './sources.js';
import './inputs.js';
import './memory.js';
import 'node:url';
import 'node:util';

// The compatibility matrix's data: cells (one per app × requested Unikraft version) and how a
// result maps to its cell. Shared by the aggregator and the renderers.
const MATRIX_SCHEMA_VERSION = 1;
/** Which row and column a result belongs to: the requested coordinates first, else what it ran. */
function cellOf(r, file) {
    const version = r.matrixCell?.version ?? r.unikraft?.version ?? (r.guest === 'linux' ? 'linux' : 'unknown');
    const cell = {
        app: r.matrixCell?.app ?? r.app.name,
        version,
        verdict: r.verdict,
        mainFinding: mainFinding(r.findings)?.id ?? null,
        errorKind: r.verdict === 'error' ? (r.error?.kind ?? null) : null,
        guest: r.guest,
        bannerVersion: r.unikraft?.version ?? null,
        summary: r.summary,
        file
    };
    if (r.syscalls?.traced.unikraft)
        cell.unsupportedSyscalls = r.syscalls.unsupported
            .filter(u => !u.tolerated)
            .map(({ syscall, count }) => ({ syscall, count }));
    return cell;
}
/** Oldest to newest by number; names that are not versions (`latest`, `main`) after them. */
function sortVersions(versions) {
    const key = (v) => {
        const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v);
        return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
    };
    return [...versions].sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        if (ka && kb)
            return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2] || a.localeCompare(b);
        if (ka)
            return -1;
        if (kb)
            return 1;
        if (a === 'latest')
            return 1;
        if (b === 'latest')
            return -1;
        return a.localeCompare(b);
    });
}
function findCell(m, app, version) {
    return m.cells.find(c => c.app === app && c.version === version);
}
/**
 * What a cell says in one line: `fail: loader.missing-library`, `error: infrastructure`, `pass`;
 * `unsupported` is `2 ENOSYS` when the trace shows unsupported calls, else null.
 */
function cellLabel(c) {
    const n = c.unsupportedSyscalls?.length ?? 0;
    return {
        verdict: c.verdict,
        reason: c.mainFinding ?? (c.verdict === 'error' ? c.errorKind : null),
        unsupported: n > 0 ? `${n} ENOSYS` : null
    };
}
/** At most this many unsupported calls are named in a cell's details. */
const UNSUPPORTED_NAMED_MAX = 10;
/**
 * The cell's unsupported calls by name: `ENOSYS on Unikraft: openat ×2, sendfile ×1`; null when the
 * Unikraft side was not traced. `name` shows each call (escape it there for the output's format).
 */
function unsupportedDetail(c, name = s => s) {
    const u = c.unsupportedSyscalls;
    if (!u)
        return null;
    if (u.length === 0)
        return 'no unsupported system calls in the Unikraft trace';
    const named = u.slice(0, UNSUPPORTED_NAMED_MAX).map(x => `${name(truncateText(x.syscall, 40))} ×${x.count}`);
    const more = u.length > UNSUPPORTED_NAMED_MAX ? ` and ${u.length - UNSUPPORTED_NAMED_MAX} more` : '';
    return `ENOSYS on Unikraft: ${named.join(', ')}${more}`;
}

// The matrix as an SVG heatmap: apps as rows, versions as columns, a coloured cell per result with
// its verdict (and how many system calls Unikraft answered ENOSYS, when traced), its main finding,
// and a legend. Sizes come from the text (no browser to measure it):
// widths are estimated generously per character so labels never overflow their cells.
const FONT = "'DejaVu Sans', Verdana, Geneva, 'Segoe UI', Arial, sans-serif";
const PAD = 20;
const TITLE_H = 44;
const HEADER_H = 34;
const ROW_H = 56;
const GAP = 4;
const LABEL_MAX_CHARS = 40;
const REASON_MAX_CHARS = 36;
const STYLE = {
    pass: { fill: '#1a7f37', text: '#ffffff', sub: '#dafbe1', label: 'pass' },
    fail: { fill: '#cf222e', text: '#ffffff', sub: '#ffebe9', label: 'fail' },
    error: { fill: '#6e7781', text: '#ffffff', sub: '#eaeef2', label: 'error (could not run)' },
    missing: { fill: '#f6f8fa', text: '#57606a', sub: '#57606a', label: 'no result' }
};
/** Width of `text` at `size` px: 0.62 em per character (0.68 bold) covers DejaVu Sans and Verdana. */
function textWidth(text, size, bold = false) {
    return Math.ceil([...text].length * size * (bold ? 0.68 : 0.62));
}
function renderMatrixSvg(m) {
    const apps = m.apps.map(a => truncateText(a, LABEL_MAX_CHARS));
    const versions = m.versions.map(v => truncateText(v, LABEL_MAX_CHARS));
    const labelW = Math.max(90, ...apps.map(a => textWidth(a, 14, true))) + 24;
    const reasons = m.cells.map(c => truncateText(cellLabel(c).reason ?? '', REASON_MAX_CHARS));
    const colW = Math.max(120, ...versions.map(v => textWidth(v, 14, true) + 24), ...reasons.map(r => textWidth(r, 12) + 20), ...m.cells.map(c => textWidth(verdictText(c), 15, true) + 20));
    const gridX = PAD + labelW;
    const gridY = PAD + TITLE_H + HEADER_H;
    const gridW = m.versions.length * (colW + GAP);
    const gridH = m.apps.length * (ROW_H + GAP);
    const out = [];
    const title = 'Unikraft compatibility matrix';
    out.push(`<text x="${PAD}" y="${PAD + 22}" font-size="20" font-weight="bold" fill="#1f2328">${title}</text>`, `<text x="${PAD}" y="${PAD + TITLE_H + HEADER_H - 12}" font-size="13" fill="#57606a">app \\ version</text>`);
    versions.forEach((v, j) => {
        const cx = gridX + j * (colW + GAP) + colW / 2;
        out.push(`<text x="${cx}" y="${PAD + TITLE_H + HEADER_H - 12}" font-size="14" font-weight="bold" text-anchor="middle" fill="#1f2328">${escapeXml(v)}</text>`);
    });
    m.apps.forEach((app, i) => {
        const y = gridY + i * (ROW_H + GAP);
        out.push(`<text x="${gridX - 12}" y="${y + ROW_H / 2 + 5}" font-size="14" font-weight="bold" text-anchor="end" fill="#1f2328">${escapeXml(apps[i])}</text>`);
        m.versions.forEach((version, j) => {
            const cellX = gridX + j * (colW + GAP);
            const c = findCell(m, app, version);
            const kind = c ? c.verdict : 'missing';
            const s = STYLE[kind];
            const reason = c ? truncateText(cellLabel(c).reason ?? '', REASON_MAX_CHARS) : '';
            const enosys = c ? unsupportedDetail(c) : null;
            const tip = c
                ? `${app} × ${version}: ${c.summary}${enosys ? ` (${enosys})` : ''}`
                : `${app} × ${version}: no result file`;
            const stroke = kind === 'missing' ? ' stroke="#afb8c1" stroke-dasharray="4 3"' : '';
            const verdictY = reason ? y + 24 : y + ROW_H / 2 + 6;
            out.push(`<g><title>${escapeXml(tip)}</title>`, `<rect x="${cellX}" y="${y}" width="${colW}" height="${ROW_H}" rx="6" fill="${s.fill}"${stroke}/>`, `<text x="${cellX + colW / 2}" y="${verdictY}" font-size="15" font-weight="bold" text-anchor="middle" fill="${s.text}">${escapeXml(c ? verdictText(c) : 'no result')}</text>`, reason
                ? `<text x="${cellX + colW / 2}" y="${y + 43}" font-size="12" text-anchor="middle" fill="${s.sub}">${escapeXml(reason)}</text>`
                : '', '</g>');
        });
    });
    // Legend, one row under the grid.
    const legendY = gridY + gridH + 14;
    let lx = PAD;
    for (const kind of ['pass', 'fail', 'error', 'missing']) {
        const s = STYLE[kind];
        const stroke = kind === 'missing' ? ' stroke="#afb8c1" stroke-dasharray="3 2"' : '';
        out.push(`<rect x="${lx}" y="${legendY}" width="14" height="14" rx="3" fill="${s.fill}"${stroke}/>`, `<text x="${lx + 20}" y="${legendY + 12}" font-size="13" fill="#1f2328">${escapeXml(s.label)}</text>`);
        lx += 20 + textWidth(s.label, 13) + 18;
    }
    const counts = countLine(m);
    out.push(`<text x="${PAD}" y="${legendY + 36}" font-size="13" fill="#57606a">${escapeXml(counts)}</text>`);
    const width = Math.max(gridX + gridW + PAD, lx + PAD, PAD * 2 + textWidth(title, 20, true), PAD * 2 + textWidth(counts, 13));
    const height = legendY + 36 + PAD;
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(`${title}: ${counts}`)}" font-family="${escapeXml(FONT)}">`,
        `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
        ...out.filter(Boolean),
        '</svg>',
        ''
    ].join('\n');
}
/** `fail`, or `fail · 2 ENOSYS` when the trace shows unsupported calls. */
function verdictText(c) {
    const { unsupported } = cellLabel(c);
    return unsupported ? `${c.verdict} · ${unsupported}` : c.verdict;
}
function countLine(m) {
    const n = (v) => m.cells.filter(c => c.verdict === v).length;
    const missing = m.apps.length * m.versions.length - m.cells.length;
    const parts = [`${n('pass')} pass`, `${n('fail')} fail`, `${n('error')} error`];
    if (missing > 0)
        parts.push(`${missing} without a result`);
    return `${m.apps.length} app${m.apps.length === 1 ? '' : 's'} × ${m.versions.length} version${m.versions.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

// The compatibility matrix: every cell's result.json below a directory (apps × Unikraft versions)
// aggregated into one table, written as matrix.json, matrix.md and an SVG heatmap.
// Foreign or broken result files are rejected with the reason, never half-read.
async function aggregateMatrix(resultsDir, expected = {}) {
    const files = await findResultFiles(resultsDir);
    const cells = [];
    const rejected = [];
    for (const file of files) {
        const rel = relative(resultsDir, file).split(sep).join('/');
        const loaded = await loadResultFile(file);
        if (!loaded.ok) {
            rejected.push({ file: rel, problems: loaded.problems });
            continue;
        }
        const cell = cellOf(loaded.result, rel);
        const twin = cells.find(c => c.app === cell.app && c.version === cell.version);
        if (twin) {
            rejected.push({
                file: rel,
                problems: [`same app and version (${cell.app}, ${cell.version}) as ${twin.file}`]
            });
            continue;
        }
        cells.push(cell);
    }
    const expectsCells = (expected.apps?.length ?? 0) > 0 && (expected.versions?.length ?? 0) > 0;
    if (cells.length === 0 && !expectsCells) {
        const why = rejected.length > 0 ? `; rejected: ${rejected.map(r => `${r.file} (${r.problems[0]})`).join(', ')}` : '';
        throw new ConfigurationError('results-dir', `No usable ${RESULT_FILE_NAME} below '${resultsDir}': it must hold the result files of the matrix cells${why}`);
    }
    const apps = [...new Set([...(expected.apps ?? []), ...cells.map(c => c.app)])].sort((a, b) => a.localeCompare(b));
    const versions = sortVersions([...new Set([...(expected.versions ?? []), ...cells.map(c => c.version)])]);
    cells.sort((a, b) => apps.indexOf(a.app) - apps.indexOf(b.app) || versions.indexOf(a.version) - versions.indexOf(b.version));
    const missing = apps.flatMap(app => versions
        .filter(version => !cells.some(c => c.app === app && c.version === version))
        .map(version => ({ app, version })));
    return { schemaVersion: MATRIX_SCHEMA_VERSION, apps, versions, cells, rejected, missing };
}
const MARK = { pass: '✅ pass', fail: '❌ fail', error: '⚠️ error' };
function renderMatrixMarkdown(m) {
    const header = `| App | ${m.versions.map(v => escapeMarkdownInline(v)).join(' | ')} |`;
    const rule = `|---|${m.versions.map(() => '---').join('|')}|`;
    const rows = m.apps.map(app => {
        const cells = m.versions.map(version => {
            const c = findCell(m, app, version);
            if (!c)
                return '— no result';
            const { reason, unsupported } = cellLabel(c);
            const label = reason ? `${MARK[c.verdict]}: <code>${escapeMarkdownInline(reason)}</code>` : MARK[c.verdict];
            return unsupported ? `${label} · ${escapeMarkdownInline(unsupported)}` : label;
        });
        return `| ${escapeMarkdownInline(app)} | ${cells.join(' | ')} |`;
    });
    const count = (v) => m.cells.filter(c => c.verdict === v).length;
    const missing = m.apps.length * m.versions.length - m.cells.length;
    const totals = `${m.cells.length} result${m.cells.length === 1 ? '' : 's'}: ${count('pass')} pass, ${count('fail')} fail, ${count('error')} error${missing > 0 ? `; ${missing} cell${missing === 1 ? '' : 's'} without a result` : ''}.`;
    const out = ['### Unikraft compatibility matrix', '', header, rule, ...rows, '', totals];
    const enosys = m.cells.filter(c => (c.unsupportedSyscalls?.length ?? 0) > 0);
    if (enosys.length > 0) {
        out.push('', 'System calls Unikraft answered ENOSYS (from the traces; glibc probes it tolerates left out):', '');
        for (const c of enosys)
            out.push(`- ${escapeMarkdownInline(c.app)} × ${escapeMarkdownInline(c.version)}: ${unsupportedDetail(c, n => `<code>${escapeMarkdownInline(n)}</code>`)}`);
    }
    if (m.rejected.length > 0) {
        out.push('', `Result files not used (${m.rejected.length}):`, '');
        for (const r of m.rejected)
            out.push(`- <code>${escapeMarkdownInline(r.file)}</code>: ${escapeMarkdownInline(r.problems.join('; '))}`);
    }
    return `${out.join('\n')}\n`;
}
function renderMatrixJson(m) {
    return `${JSON.stringify(m, null, 2)}\n`;
}
/** Aggregates and writes matrix.json, matrix.md and matrix.svg into `outDir`. */
async function writeMatrixOutputs(resultsDir, outDir, expected = {}) {
    const matrix = await aggregateMatrix(resultsDir, expected);
    const files = {
        json: join(outDir, 'matrix.json'),
        markdown: join(outDir, 'matrix.md'),
        svg: join(outDir, 'matrix.svg')
    };
    await writeTextAtomic(files.json, renderMatrixJson(matrix));
    await writeTextAtomic(files.markdown, renderMatrixMarkdown(matrix));
    await writeTextAtomic(files.svg, renderMatrixSvg(matrix));
    return { matrix, files };
}
/** Every result.json below `dir`, sorted; symbolic links are not followed (no loops, no escapes). */
async function findResultFiles(dir) {
    try {
        if (!(await lstat(dir)).isDirectory())
            throw new Error('not a directory');
    }
    catch (err) {
        throw new ConfigurationError('results-dir', `Input 'results-dir' must be a directory holding result.json files, got '${dir}' (${err.message})`);
    }
    const found = [];
    const walk = async (d) => {
        const entries = await readdir(d, { withFileTypes: true });
        for (const e of entries) {
            const p = join(d, e.name);
            if (e.isDirectory())
                await walk(p);
            else if (e.isFile() && e.name === RESULT_FILE_NAME)
                found.push(p);
        }
    };
    await walk(dir);
    return found.sort();
}

// `unikraft-compat matrix RESULTS_DIR [--out DIR]`: the compatibility matrix from result files.
async function matrixCommand(args, term) {
    const { values, positionals } = parse('matrix', args, {
        ...COMMON_OPTIONS,
        out: { type: 'string', short: 'o' },
        'expect-app': { type: 'string', multiple: true },
        'expect-version': { type: 'string', multiple: true }
    }, 1);
    const dir = positionals[0];
    if (dir === undefined)
        throw new UsageError('RESULTS_DIR', "'unikraft-compat matrix' needs RESULTS_DIR: unikraft-compat matrix RESULTS_DIR --out DIR");
    const out = typeof values.out === 'string' ? values.out : dir;
    await mkdir(out, { recursive: true });
    const list = (name) => {
        const v = values[name];
        const items = (Array.isArray(v) ? v : []).map(x => String(x).trim());
        if (items.some(x => x === ''))
            throw new UsageError(`--${name}`, `Option '--${name}' must not be empty: give one value per option`);
        return items;
    };
    const apps = list('expect-app').map(a => appIdOf(a));
    const versions = list('expect-version');
    if (apps.length > 0 !== versions.length > 0)
        throw new UsageError(apps.length > 0 ? '--expect-version' : '--expect-app', "Options '--expect-app' and '--expect-version' go together: give at least one of each, or neither");
    const { matrix, files } = await writeMatrixOutputs(dir, out, { apps, versions });
    if (values.json)
        term.out(`${JSON.stringify(matrix, null, 2)}\n`);
    else {
        term.out(renderMatrixMarkdown(matrix));
        term.err(`wrote ${files.json}, ${files.markdown}, ${files.svg}\n`);
    }
    return 0;
}

export { matrixCommand };
