import { f as findingTitle } from './finding-titles.js';
import { basename } from 'node:path';
import { s as stripAnsi, t as truncateText } from './text-escape.js';

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

export { MAX_ANNOTATIONS_PER_LEVEL, annotationLevel, planAnnotations };
