import { i as inputOfKey, C as CONFIG_KEYS } from './sources.js';
import { f as findingTitle } from './finding-titles.js';
import { basename } from 'node:path';
import { s as stripAnsi, t as truncateText } from './text-escape.js';
import './errors.js';
import 'node:fs/promises';
import './index.js';
import 'node:os';
import 'process';
import 'buffer';
import './inputs.js';

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

/** Findings about one option, beyond the config and probe families (whose key the finding names). */
const FINDING_KEYS = {
    'memory.out-of-memory': 'memory',
    'config.empty-argument': 'cmd'
};
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
        const { via, ...at } = placement(f, ctx);
        annotations.push({ level, title: findingTitle(f), message: annotationMessage(f, via), ...at });
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
function annotationMessage(f, via) {
    const where = f.line !== null ? ` (${f.source === 'console' ? 'console log' : f.source} line ${f.line})` : '';
    const parts = [`Evidence${where}: ${stripAnsi(f.evidence).trim()}`, `Hint: ${stripAnsi(f.hint).trim()}`];
    if (f.allowed)
        parts.unshift('Accepted by the allow-list (a known limitation).');
    if (via)
        parts.push(via);
    return truncateText(parts.join('\n'), MAX_MESSAGE);
}
function placement(f, ctx) {
    const family = f.id.split('.')[0];
    if (family === 'loader' && ctx.dockerfile) {
        const line = ctx.dockerfileText !== undefined ? dockerfileLineFor(ctx.dockerfileText, f) : null;
        return line === null ? { file: ctx.dockerfile } : { file: ctx.dockerfile, startLine: line };
    }
    if (family === 'probe' || f.source === 'probe') {
        return configPlacement({ key: 'probes', item: probeItem(f, ctx) }, ctx, true);
    }
    const fixedKey = FINDING_KEYS[f.id];
    if (fixedKey)
        return configPlacement({ key: fixedKey, item: null }, ctx, false);
    if (family === 'config') {
        const path = configPathOf(typeof f.data?.key === 'string' ? f.data.key : (f.detail ?? ''));
        // A finding about something the file has no key for (the config file itself): the file.
        if (path === null)
            return ctx.configFile ? { file: ctx.configFile } : {};
        return configPlacement(path, ctx, true);
    }
    if ((family === 'kraft' || family === 'entry') && ctx.kraftfile)
        return { file: ctx.kraftfile };
    return {};
}
/**
 * The config file's line of `key` (or of its list item) when the file's value won; nothing when
 * the default won; when an input overrode the file's key, no file and the input named instead.
 */
function configPlacement(path, ctx, fileWithoutOrigins) {
    const file = ctx.configFile;
    if (!file)
        return {};
    const origins = ctx.options?.origins;
    if (!origins)
        return fileWithoutOrigins ? { file } : {};
    const { sources, configPositions } = origins;
    const keyAt = configPositions[path.key];
    if (sources[path.key] === 'config') {
        const at = (path.item !== null ? configPositions[path.item] : undefined) ?? keyAt;
        return at ? { file, startLine: at.line, startColumn: at.column } : { file };
    }
    const input = inputOfKey(path.key);
    if (sources[path.key] === 'input' && input !== null && keyAt) {
        return {
            via: `Set by input '${input}', which overrides config key '${path.key}' (${file}:${keyAt.line}).`
        };
    }
    return {};
}
/** The `probes[i]` entry a probe finding is about: by `data.index`, else by the probe's target. */
function probeItem(f, ctx) {
    const probes = ctx.options?.probes ?? [];
    const index = f.data?.index;
    if (typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < probes.length) {
        return `probes[${index}]`;
    }
    const wanted = [f.data?.target, f.data?.probe, f.detail].filter((v) => typeof v === 'string');
    const i = probes.findIndex(p => wanted.includes(p.target));
    return i < 0 ? null : `probes[${i}]`;
}
/**
 * The config key a finding names: `memory`, `probes[1]`, a label `config key 'probes[1]' (file:7)`,
 * or an input (`probe[2]` is the input of `probes`, counted from 1); null when it names no key.
 */
function configPathOf(name) {
    const text = /^config key '([^']+)'/.exec(name)?.[1] ?? name.trim();
    const m = /^([a-z][a-z-]*)(?:\[(\d+)\])?$/.exec(text);
    if (!m)
        return null;
    if (m[1] === 'probe')
        return { key: 'probes', item: null };
    const key = CONFIG_KEYS.find(k => k === m[1]);
    if (key === undefined)
        return null;
    return { key, item: m[2] === undefined ? null : `${key}[${Number(m[2])}]` };
}

export { MAX_ANNOTATIONS_PER_LEVEL, annotationLevel, planAnnotations };
