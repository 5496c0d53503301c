import { C as ConfigurationError, c as configKeyLabel, b as badInput } from './errors.js';
import { readFile } from 'node:fs/promises';
import { d as distExports, s as splitList } from './index.js';
import { I as INPUTS, i as inputDefault } from './inputs.js';

// Reads unikraft-compat.yml: the same keys as the action's inputs (probes structured), checked
// against the accepted keys, with where the parser found each key (line and column) kept so errors
// and annotations can point at it.
/** Keys the config file accepts beyond the inputs (or in place of them). */
const EXTRA_KEYS = ['probes', 'workdir', 'build-args', 'target', 'files', 'packages', 'services'];
/** Inputs that make no sense inside the config file itself. */
const NOT_IN_FILE = ['app', 'config', 'probe'];
const CONFIG_KEYS = [
    ...INPUTS.map(i => i.name).filter((n) => NOT_IN_FILE.every(x => x !== n)),
    ...EXTRA_KEYS
];
function isConfigKey(key) {
    return CONFIG_KEYS.includes(key);
}
async function loadConfigFile(path) {
    let text;
    try {
        text = await readFile(path, 'utf8');
    }
    catch (err) {
        throw new ConfigurationError('config', `Input 'config' names '${path}', which cannot be read: ${err.message}`);
    }
    return parseConfigText(text, path);
}
function parseConfigText(text, path) {
    const lineCounter = new distExports.LineCounter();
    const doc = distExports.parseDocument(text, { lineCounter, uniqueKeys: true });
    if (doc.errors.length > 0) {
        const e = doc.errors[0];
        const line = e.linePos?.[0]?.line;
        throw new ConfigurationError('config', `Config file ${path}${line ? `:${line}` : ''} is not valid YAML: ${e.message.split('\n')[0]}`);
    }
    const values = {};
    const positions = {};
    if (doc.contents === null)
        return { path, text, values, positions };
    if (!distExports.isMap(doc.contents)) {
        throw new ConfigurationError('config', `Config file ${path} must be a mapping of keys (${CONFIG_KEYS.join(', ')})`);
    }
    const positionOf = (node) => {
        const range = node?.range;
        if (!range)
            return undefined;
        const { line, col } = lineCounter.linePos(range[0]);
        return { line, column: col };
    };
    for (const pair of doc.contents.items) {
        const key = distExports.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const position = positionOf(pair.key);
        if (!isConfigKey(key)) {
            throw new ConfigurationError(key, `Config file ${path}:${position?.line ?? 0} has an unknown key '${key}'; accepted keys: ${CONFIG_KEYS.join(', ')}`);
        }
        if (position)
            positions[key] = position;
        if (distExports.isSeq(pair.value)) {
            pair.value.items.forEach((item, i) => {
                const at = positionOf(item);
                if (at)
                    positions[`${key}[${i}]`] = at;
            });
        }
        values[key] = pair.value?.toJSON
            ? pair.value.toJSON()
            : (pair.value ?? null);
    }
    return { path, text, values, positions };
}
/**
 * How messages name a config value: `config key 'memory' (path:3)`, at the path's own line, else at
 * `fallback`'s (a list item's key when the item has no position).
 */
function configLabel(cfg, key, fallback) {
    const at = cfg.positions[key] ?? (fallback === undefined ? undefined : cfg.positions[fallback]);
    return configKeyLabel(key, cfg.path, at?.line);
}

// Which source gives each option its value: an explicit input (or CLI option) over the config file
// over the documented default. Decided here, once: the resolver reads values through pick(), and
// CheckOptions.origins.sources records the same decision for annotations.
/** The input that overrides a config key: its own name, `probe` for `probes`; none for file-only keys. */
function inputOfKey(key) {
    switch (key) {
        case 'probes':
            return 'probe';
        case 'workdir':
        case 'build-args':
        case 'target':
        case 'files':
        case 'packages':
        case 'services':
            return null;
        default:
            return key;
    }
}
/** The config key an input overrides (none for app and config): inputOfKey read backwards. */
function keyOfInput(name) {
    return CONFIG_KEYS.find(k => inputOfKey(k) === name) ?? null;
}
/** An input counts as given when it is not blank (the action passes an empty string for "not set"). */
function given(raw, name) {
    const v = raw[name];
    return v !== undefined && v.trim() !== '';
}
/** The one rule of precedence: input, else config file, else default. */
function sourceOf(raw, cfg, key) {
    const input = inputOfKey(key);
    if (input !== null && given(raw, input))
        return 'input';
    if (cfg && cfg.values[key] != null)
        return 'config';
    return 'default';
}
function sourcesOf(raw, cfg) {
    return Object.fromEntries(CONFIG_KEYS.map(k => [k, sourceOf(raw, cfg, k)]));
}
/** The value of an input and its config key, from the source that wins; undefined when it is the default. */
function pick(raw, cfg, name) {
    const key = keyOfInput(name);
    const source = key === null ? (given(raw, name) ? 'input' : 'default') : sourceOf(raw, cfg, key);
    if (source === 'input')
        return { value: raw[name], label: name };
    if (source === 'config' && cfg && key !== null)
        return { value: cfg.values[key], label: configLabel(cfg, key) };
    return undefined;
}
function asString(s) {
    if (typeof s.value === 'string')
        return s.value;
    if (typeof s.value === 'number' || typeof s.value === 'boolean')
        return String(s.value);
    throw badInput(s.label, 'a single value', s.value);
}
/** A list from a multi-line / comma string or a YAML list. */
function asList(s, splitCommas = true) {
    if (Array.isArray(s.value))
        return s.value.map(v => (typeof v === 'string' ? v : String(v)));
    const text = asString(s);
    return splitCommas
        ? splitList(text)
        : text
            .split('\n')
            .map(l => l.trim())
            .filter(Boolean);
}
/** The winning value as a string, else the documented default. */
function stringOr(raw, cfg, name) {
    const s = pick(raw, cfg, name);
    return s ? asString(s) : inputDefault(name);
}
/** How messages name the input's value: the input, or the config key and its line. */
function labelOf(raw, cfg, name) {
    return pick(raw, cfg, name)?.label ?? name;
}

export { CONFIG_KEYS as C, asString as a, asList as b, configLabel as c, labelOf as d, stringOr as e, given as g, inputOfKey as i, loadConfigFile as l, pick as p, sourcesOf as s };
