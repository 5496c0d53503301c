import { b as badInput, C as ConfigurationError, g as describeInput, I as InfrastructureError } from './errors.js';
import { f as findProgram } from './find-program.js';
import { b as booleanValue, p as portNumber, a as durationMs, D as DURATION_FORM } from './index.js';
import { createHash } from 'node:crypto';
import { existsSync, statSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { c as compareVersions } from './version-compare.js';

// POSIX word splitting for one-string commands (`cmd: "redis-server --save ''"`, `command:ARGV` probes):
// quotes and backslashes only. No shell ever runs, so nothing is expanded: `$HOME`, `*`, `~`, `#` and
// `|` stay literal characters of a word.
class ShellWordsError extends Error {
    name = 'ShellWordsError';
    /** Index in the input where the problem starts (the opening quote, the trailing backslash). */
    index;
    constructor(message, index) {
        super(message);
        this.index = index;
    }
}
const BLANK = /[ \t\n]/;
/**
 * Splits `s` into words the way a POSIX shell tokenizes a simple command, without any expansion:
 * - blanks (space, tab, newline) separate words; quoted empty strings (`''`, `""`) are words;
 * - '...' keeps everything literally; "..." keeps everything except that a backslash escapes
 *   `\`, `"`, `$`, `` ` `` and removes a backslash-newline;
 * - outside quotes a backslash makes the next character literal; backslash-newline is removed.
 * An unterminated quote or a trailing backslash throws a ShellWordsError.
 */
function splitWords(s) {
    const words = [];
    let word = '';
    let inWord = false;
    let i = 0;
    while (i < s.length) {
        const c = s[i];
        if (BLANK.test(c)) {
            if (inWord)
                words.push(word);
            word = '';
            inWord = false;
            i++;
        }
        else if (c === "'") {
            const end = s.indexOf("'", i + 1);
            if (end < 0)
                throw new ShellWordsError(`unterminated single quote at position ${i + 1}`, i);
            word += s.slice(i + 1, end);
            inWord = true;
            i = end + 1;
        }
        else if (c === '"') {
            const start = i;
            i++;
            for (;;) {
                if (i >= s.length)
                    throw new ShellWordsError(`unterminated double quote at position ${start + 1}`, start);
                const d = s[i];
                if (d === '"')
                    break;
                if (d === '\\' && i + 1 < s.length && '\\"$`\n'.includes(s[i + 1])) {
                    if (s[i + 1] !== '\n')
                        word += s[i + 1];
                    i += 2;
                }
                else {
                    word += d;
                    i++;
                }
            }
            inWord = true;
            i++;
        }
        else if (c === '\\') {
            if (i + 1 >= s.length)
                throw new ShellWordsError(`trailing backslash at position ${i + 1}`, i);
            if (s[i + 1] !== '\n') {
                word += s[i + 1];
                inWord = true;
            }
            i += 2;
        }
        else {
            word += c;
            inWord = true;
            i++;
        }
    }
    if (inWord)
        words.push(word);
    return words;
}
/** splitWords for a named input: a malformed string is a ConfigurationError naming it. */
function splitWordsFor(input, s) {
    try {
        return splitWords(s);
    }
    catch (e) {
        if (e instanceof ShellWordsError) {
            throw badInput(input, `words split like a POSIX shell does, with balanced quotes (${e.message})`, s);
        }
        throw e;
    }
}

// The probe grammar's shared vocabulary: the kinds, their defaults, the accepted forms (for messages
// and docs), and the one error every parser raises (naming the input and the accepted form).
const DEFAULT_REDIS_PORT = 6379;
const DEFAULT_HTTP_PORT = 80;
const DEFAULT_ATTEMPT_TIMEOUT_MS = { redis: 1000, http: 2000, tcp: 1000 };
/** The one-string forms, for messages and docs. */
const STRING_FORMS = {
    redis: 'redis[:PORT] [setget] [timeout=1s]',
    http: 'http[:PORT][/PATH] [status=2xx] [body=REGEX] [header=NAME:REGEX] [method=GET] [timeout=2s]',
    tcp: 'tcp:PORT [timeout=1s]',
    console: 'console:REGEX [stop=yes|no] or console:/REGEX/FLAGS [stop=yes|no]',
    exit: 'exit:CODE (0..255)',
    command: 'command:ARGV (words split like a POSIX shell, no shell runs)'
};
/** The structured (config file) forms. */
const OBJECT_FORMS = {
    redis: '{kind: redis, port?: PORT, setget?: BOOL, timeout?: DURATION}',
    http: '{kind: http, port?: PORT, path?: /PATH, method?: GET, status?: 2xx, body?: REGEX, headers?: {NAME: REGEX}, timeout?: DURATION}',
    tcp: '{kind: tcp, port: PORT, timeout?: DURATION}',
    console: '{kind: console, regex: REGEX, stop?: BOOL}',
    exit: '{kind: exit, code: CODE}',
    command: '{kind: command, argv: [PROGRAM, ARG...] or command: "WORDS", retry?: BOOL, timeout?: DURATION}'
};
const KINDS = Object.keys(STRING_FORMS);
function isKind(k) {
    return KINDS.includes(k);
}
function allForms() {
    return `one of ${KINDS.map(k => STRING_FORMS[k]).join('; ')}, or a {kind: ...} object`;
}
function wrong(input, kind, got, reason, structured = false) {
    const form = kind === null ? allForms() : structured ? OBJECT_FORMS[kind] : STRING_FORMS[kind];
    return badInput(input, `${form} (${reason})`, got);
}
function must(p, input, kind, got, structured = false) {
    if ('error' in p)
        throw wrong(input, kind, got, p.error, structured);
    return p.ok;
}

// Value parsers shared by the string and structured probe forms: ports, durations, booleans,
// HTTP statuses, regexes (`REGEX` or `/REGEX/FLAGS`) and the `key=value` option tokenizer.
// Each returns a value or a short reason string (`{ error }`), so the caller can name the input and form.
const ALLOWED_FLAGS = /^[imsu]*$/;
function parsePort(text) {
    const n = portNumber(text);
    if (n !== null)
        return { ok: n };
    const s = String(text);
    return /^\s*\d+\s*$/.test(s)
        ? { error: `port ${s} is outside 1..65535` }
        : { error: `port '${s}' is not a number` };
}
/** The duration grammar of every input (config/units.ts): a bare number is seconds in both forms. */
function parseDuration(value) {
    const ms = durationMs(value);
    return ms === null ? { error: `duration '${value}' must be ${DURATION_FORM}` } : { ok: ms };
}
function parseBool(value) {
    const b = booleanValue(value);
    return b === null ? { error: `'${value}' is not yes/no` } : { ok: b };
}
/** `200`, `2xx`, `200,204,3xx`. */
function parseStatuses(value) {
    const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
    const out = [];
    for (const raw of items) {
        const item = raw.trim().toLowerCase();
        if (/^[1-5]\d\d$/.test(item))
            out.push({ exact: Number(item) });
        else if (/^[1-5]xx$/.test(item))
            out.push({ class: Number(item[0]) });
        else
            return { error: `status '${raw}' must be a code like 200 or a class like 2xx` };
    }
    return out.length > 0 ? { ok: out } : { error: 'status is empty' };
}
function statusMatches(specs, status) {
    return specs.some(s => ('exact' in s ? s.exact === status : Math.floor(status / 100) === s.class));
}
function formatStatuses(specs) {
    return specs.map(s => ('exact' in s ? String(s.exact) : `${s.class}xx`)).join(',');
}
function compilePattern(p) {
    return new RegExp(p.source, p.flags);
}
function formatPattern(p) {
    return `/${p.source}/${p.flags}`;
}
/** Validates a regex source and flags. */
function makePattern(source, flags = '') {
    if (source === '')
        return { error: 'the regular expression is empty' };
    if (!ALLOWED_FLAGS.test(flags))
        return { error: `regex flags '${flags}' must be among i, m, s, u` };
    try {
        new RegExp(source, flags);
    }
    catch (e) {
        return { error: `malformed regular expression: ${e.message}` };
    }
    return { ok: { source, flags } };
}
/**
 * Finds the end of a `/REGEX/FLAGS` literal starting at `text[0] === '/'`, like JavaScript does:
 * a `/` after a backslash or inside `[...]` does not close it. Returns the index of the closing `/`.
 */
function closingSlash(text) {
    let inClass = false;
    for (let i = 1; i < text.length; i++) {
        const c = text[i];
        if (c === '\\')
            i++;
        else if (c === '[')
            inClass = true;
        else if (c === ']')
            inClass = false;
        else if (c === '/' && !inClass)
            return i;
    }
    return -1;
}
/** `/REGEX/FLAGS` when it starts with a slash, else the whole text is the regex (no flags). */
function parsePatternValue(text) {
    if (text.startsWith('/')) {
        const end = closingSlash(text);
        if (end < 0)
            return { error: `'${text}' starts a /REGEX/ without its closing slash` };
        const p = makePattern(text.slice(1, end), text.slice(end + 1));
        if ('error' in p && !ALLOWED_FLAGS.test(text.slice(end + 1))) {
            return { error: `${p.error}; a leading / starts /REGEX/FLAGS: write \\/ to match a literal slash` };
        }
        return p;
    }
    return makePattern(text);
}
/**
 * Splits `key=value key2='a value' flag` into tokens. Values run to the next blank; a value may be
 * wrapped in '...' or "..." to hold blanks. Backslashes are kept as written, so regexes survive.
 */
function tokenizeOptions(text) {
    const out = [];
    let i = 0;
    while (i < text.length) {
        if (/\s/.test(text[i])) {
            i++;
            continue;
        }
        const keyMatch = /^[A-Za-z][\w-]*/.exec(text.slice(i));
        if (!keyMatch)
            return { error: `option '${text.slice(i).split(/\s/)[0]}' must look like key=value` };
        const key = keyMatch[0].toLowerCase();
        i += keyMatch[0].length;
        if (i >= text.length || /\s/.test(text[i])) {
            out.push({ key, value: null });
            continue;
        }
        if (text[i] !== '=')
            return { error: `option '${text.slice(i - key.length).split(/\s/)[0]}' must look like key=value` };
        i++;
        let value;
        const q = text[i];
        if (q === "'" || q === '"') {
            const end = text.indexOf(q, i + 1);
            if (end < 0)
                return { error: `option '${key}' has an unterminated ${q === "'" ? 'single' : 'double'} quote` };
            value = text.slice(i + 1, end);
            i = end + 1;
            if (i < text.length && !/\s/.test(text[i]))
                return { error: `option '${key}' has text after its closing quote` };
        }
        else {
            const m = /^\S*/.exec(text.slice(i));
            value = m ? m[0] : '';
            i += value.length;
        }
        out.push({ key, value });
    }
    return { ok: out };
}

function optionError(input, kind, got, structured, accepted) {
    return (o) => wrong(input, kind, got, `unknown option '${o.key}' (accepted: ${accepted.join(', ')})`, structured);
}
function attemptTimeout(o, input, kind, got, structured) {
    if (o.value === null)
        throw wrong(input, kind, got, 'timeout needs a value like 2s', structured);
    return must(parseDuration(o.value), input, kind, got, structured);
}
function redisSpec(input, port, opts, got, structured = false) {
    let setGet = false;
    let attemptTimeoutMs = DEFAULT_ATTEMPT_TIMEOUT_MS.redis;
    const unknown = optionError(input, 'redis', got, structured, ['setget', 'timeout']);
    for (const o of opts) {
        if (o.key === 'setget')
            setGet = o.value === null ? true : must(parseBool(o.value), input, 'redis', got, structured);
        else if (o.key === 'timeout')
            attemptTimeoutMs = attemptTimeout(o, input, 'redis', got, structured);
        else
            throw unknown(o);
    }
    return { kind: 'redis', input, target: `redis:${port}`, port, setGet, attemptTimeoutMs };
}
function tcpSpec(input, port, opts, got, structured = false) {
    let attemptTimeoutMs = DEFAULT_ATTEMPT_TIMEOUT_MS.tcp;
    const unknown = optionError(input, 'tcp', got, structured, ['timeout']);
    for (const o of opts) {
        if (o.key === 'timeout')
            attemptTimeoutMs = attemptTimeout(o, input, 'tcp', got, structured);
        else
            throw unknown(o);
    }
    return { kind: 'tcp', input, target: `tcp:${port}`, port, attemptTimeoutMs };
}
function httpSpec(input, port, path, opts, got, structured = false) {
    const m = (p) => void must(p, input, 'http', got, structured);
    if (!path.startsWith('/') || /\s/.test(path))
        m({ error: `path '${path}' must start with / and have no blanks` });
    let method = 'GET';
    let status = [{ class: 2 }];
    let body = null;
    const headers = [];
    let attemptTimeoutMs = DEFAULT_ATTEMPT_TIMEOUT_MS.http;
    const unknown = optionError(input, 'http', got, structured, [
        'status',
        'body',
        'header',
        'method',
        'timeout'
    ]);
    for (const o of opts) {
        if (!['status', 'body', 'header', 'method', 'timeout'].includes(o.key))
            throw unknown(o);
        if (o.value === null || o.value === '') {
            m({ error: `option '${o.key}' needs a value` });
            continue;
        }
        const v = o.value;
        if (o.key === 'timeout')
            attemptTimeoutMs = attemptTimeout(o, input, 'http', got, structured);
        else if (o.key === 'method') {
            if (!/^[A-Za-z]+$/.test(v))
                m({ error: `method '${v}' must be a word like GET or HEAD` });
            method = v.toUpperCase();
        }
        else if (o.key === 'status')
            status = must(parseStatuses(v), input, 'http', got, structured);
        else if (o.key === 'body')
            body = must(parsePatternValue(v), input, 'http', got, structured);
        else {
            const colon = v.indexOf(':');
            const name = colon < 0 ? '' : v.slice(0, colon).trim();
            if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
                m({ error: `header '${v}' must look like NAME:REGEX` });
            const pattern = must(parsePatternValue(v.slice(colon + 1).trim()), input, 'http', got, structured);
            headers.push({ name: name.toLowerCase(), pattern });
        }
    }
    return {
        kind: 'http',
        input,
        target: `http:${port}${path}`,
        port,
        path,
        method,
        status,
        body,
        headers,
        attemptTimeoutMs
    };
}
function consoleSpec(input, pattern, stop) {
    return { kind: 'console', input, target: `console:${formatPattern(pattern)}`, pattern, stop };
}
function exitSpec(input, code, got, structured) {
    if (!Number.isInteger(code) || code < 0 || code > 255) {
        throw wrong(input, 'exit', got, 'the exit status must be a number 0..255', structured);
    }
    return { kind: 'exit', input, target: `exit:${code}`, code };
}
function commandSpec(input, argv, retry, attemptTimeoutMs, got, structured) {
    if (argv.length === 0 || argv[0] === '')
        throw wrong(input, 'command', got, 'no program given', structured);
    if (findProgram(argv[0]) === null) {
        throw wrong(input, 'command', got, `program '${argv[0]}' does not exist or is not executable (PATH is searched)`, structured);
    }
    return {
        kind: 'command',
        input,
        target: `command:${argv.map(quoteWord).join(' ')}`,
        argv,
        retry,
        attemptTimeoutMs
    };
}
/** Quotes a word so splitWords gives it back. */
function quoteWord(w) {
    return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

// A kernel store: a directory of prebuilt Unikraft kernels and a `manifest.json` that pins each one
// (version, variant, file, sha256, bytes, the sources it was built from). A pinned `unikraft-version`
// the store holds boots that kernel, verified before every boot, without KraftKit, network or
// toolchain; everything else keeps the KraftKit path. docs/setup.md ("Kernel stores") has the format.
const STORE_MANIFEST = 'manifest.json';
const VERSION = /^\d+\.\d+\.\d+$/;
const SHA256 = /^[0-9a-f]{64}$/;
/** Reads and checks `<dir>/manifest.json`; a mistake in it names the store input and the entry. */
function readKernelStore(dir, input = 'kernel-store') {
    const path = join(dir, STORE_MANIFEST);
    const bad = (why) => new ConfigurationError(input, `${describeInput(input)} must be a directory with a ${STORE_MANIFEST} listing kernels ({ "kernels": [{ "version", "variant", "file", "sha256", "bytes", "sources", "config" }] }), got '${dir}': ${why}`);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
        throw bad('no such directory');
    if (!existsSync(path))
        throw bad(`no ${STORE_MANIFEST}`);
    let doc;
    try {
        doc = JSON.parse(readFileSync(path, 'utf8'));
    }
    catch (e) {
        throw bad(`${STORE_MANIFEST} is not JSON (${e.message})`);
    }
    const list = doc?.kernels;
    if (!Array.isArray(list))
        throw bad(`${STORE_MANIFEST} has no "kernels" list`);
    const kernels = list.map((k, i) => {
        const e = k;
        const where = `kernels[${i}]`;
        if (!e || typeof e !== 'object')
            throw bad(`${where} is not an object`);
        if (typeof e.version !== 'string' || !VERSION.test(e.version))
            throw bad(`${where}.version must be like 0.16.3`);
        if (typeof e.variant !== 'string' || !/^[a-z][a-z0-9-]*$/.test(e.variant))
            throw bad(`${where}.variant must be a name like net or trace`);
        if (typeof e.file !== 'string' ||
            e.file === '' ||
            e.file.startsWith('/') ||
            e.file.split('/').includes('..'))
            throw bad(`${where}.file must be a path inside the store`);
        if (typeof e.sha256 !== 'string' || !SHA256.test(e.sha256))
            throw bad(`${where}.sha256 must be 64 hex digits`);
        if (!Number.isSafeInteger(e.bytes) || e.bytes <= 0)
            throw bad(`${where}.bytes must be a positive size`);
        const sources = Array.isArray(e.sources) ? e.sources : [];
        if (sources.length === 0 ||
            !sources.every(s => s &&
                typeof s.repo === 'string' &&
                typeof s.ref === 'string' &&
                /^[0-9a-f]{40}$/.test(String(s.commit))))
            throw bad(`${where}.sources must list { repo, ref, commit } with 40-hex commits`);
        if (typeof e.config !== 'string')
            throw bad(`${where}.config must name the options file`);
        return e;
    });
    const seen = new Set();
    for (const k of kernels) {
        const key = `${k.version}/${k.variant}`;
        if (seen.has(key))
            throw bad(`${key} is listed twice`);
        seen.add(key);
    }
    return { dir: resolve(dir), kernels };
}
/** The newest version the store has a `variant` kernel for, or null. */
function newestStoredVersion(store, variant = 'net') {
    const versions = store.kernels.filter(k => k.variant === variant).map(k => k.version);
    return versions.sort(compareVersions).at(-1) ?? null;
}
function findStoredKernel(store, version, variant = 'net') {
    return store.kernels.find(k => k.version === version && k.variant === variant) ?? null;
}
/** sha256 of a file read whole (kernels are a few MB: one read beats a stream's many). */
async function sha256File(path) {
    return createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
}
/**
 * The kernel's path once its size and sha256 match the manifest. A missing or different file is an
 * infrastructure error naming it: the store was damaged or tampered with, nothing is booted.
 */
async function verifiedKernelPath(store, k) {
    const path = join(store.dir, k.file);
    const hint = 'The kernel store no longer holds the file its manifest.json pins: restore the file (or the whole store) from its source, or rebuild it and update the manifest.';
    let bytes;
    try {
        bytes = statSync(path).size;
    }
    catch {
        throw new InfrastructureError(`Unikraft ${k.version} (${k.variant}): the kernel store's file ${path} is missing`, hint);
    }
    const digest = bytes === k.bytes ? await sha256File(path) : null;
    if (digest !== k.sha256) {
        throw new InfrastructureError(`Unikraft ${k.version} (${k.variant}): ${path} does not match the kernel store's manifest (` +
            (digest === null ? `${bytes} bytes, expected ${k.bytes}` : `sha256 ${digest}, expected ${k.sha256}`) +
            '); refusing to boot it', hint);
    }
    return path;
}

export { DEFAULT_ATTEMPT_TIMEOUT_MS as A, findStoredKernel as B, verifiedKernelPath as C, DEFAULT_HTTP_PORT as D, ShellWordsError as S, consoleSpec as a, parsePatternValue as b, commandSpec as c, parseBool as d, exitSpec as e, parsePort as f, DEFAULT_REDIS_PORT as g, httpSpec as h, isKind as i, closingSlash as j, tokenizeOptions as k, splitWordsFor as l, must as m, readKernelStore as n, STORE_MANIFEST as o, parseDuration as p, newestStoredVersion as q, redisSpec as r, splitWords as s, tcpSpec as t, quoteWord as u, compilePattern as v, wrong as w, formatPattern as x, statusMatches as y, formatStatuses as z };
