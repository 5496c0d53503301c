import { existsSync, statSync } from 'node:fs';
import { resolve, dirname, relative, sep, isAbsolute, basename, join } from 'node:path';
import { C as ConfigurationError, b as badInput, c as configKeyLabel } from './errors.js';
import { d as distExports, s as splitWordsFor, p as parseEnvLines, a as parseChoice, r as readKernelStore, S as STORE_MANIFEST, n as newestStoredVersion, b as parseProbe, c as parsePorts, g as guestPortsOf, e as parseDuration, f as parseBoolean, h as splitList } from './index.js';
import { readFile } from 'node:fs/promises';
import { I as INPUTS } from './inputs.js';
import { p as parseMemory } from './memory.js';

// Reads unikraft-compat.yml: the same keys as the action's inputs (probes structured), checked
// against the accepted keys, with each key's line kept so errors and annotations can point at it.
/** Keys the config file accepts beyond the inputs (or in place of them). */
const EXTRA_KEYS = ['probes', 'workdir', 'build-args', 'target', 'files', 'packages', 'services'];
/** Inputs that make no sense inside the config file itself. */
const NOT_IN_FILE = new Set(['app', 'config', 'probe']);
const CONFIG_KEYS = [
    ...INPUTS.map(i => i.name).filter(n => !NOT_IN_FILE.has(n)),
    ...EXTRA_KEYS
];
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
    const lines = {};
    if (doc.contents === null)
        return { path, text, values, lines };
    if (!distExports.isMap(doc.contents)) {
        throw new ConfigurationError('config', `Config file ${path} must be a mapping of keys (${CONFIG_KEYS.join(', ')})`);
    }
    for (const pair of doc.contents.items) {
        const key = distExports.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const line = distExports.isScalar(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : 0;
        if (!CONFIG_KEYS.includes(key)) {
            throw new ConfigurationError(key, `Config file ${path}:${line} has an unknown key '${key}'; accepted keys: ${CONFIG_KEYS.join(', ')}`);
        }
        lines[key] = line;
        const node = pair.value;
        if (node && Array.isArray(node.items)) {
            node.items.forEach((item, i) => {
                if (item?.range)
                    lines[`${key}[${i}]`] = lineCounter.linePos(item.range[0]).line;
            });
        }
        values[key] = pair.value?.toJSON
            ? pair.value.toJSON()
            : (pair.value ?? null);
    }
    return { path, text, values, lines };
}

// Host services (config key `services`): programs the guest talks to, started on the host before
// the boot and stopped after it. The guest reaches the host's 127.0.0.1:PORT as 10.0.2.2:PORT.
const ACCEPTED = '{ http: DIR, port: N } or { command: [PROGRAM, ARG...], port: N }';
function parseServices(value, configPath, label) {
    if (value == null)
        return [];
    if (!Array.isArray(value))
        throw badInput(label(-1), `a list of ${ACCEPTED}`, value);
    const seen = new Set();
    return value.map((item, i) => {
        if (!item || typeof item !== 'object' || Array.isArray(item))
            throw badInput(label(i), ACCEPTED, item);
        const o = item;
        const keys = Object.keys(o).filter(k => k !== 'port');
        const port = o.port;
        if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
            throw badInput(label(i), `${ACCEPTED} with a port from 1 to 65535`, item);
        }
        if (seen.has(port))
            throw badInput(label(i), 'services on distinct ports', item);
        seen.add(port);
        if (keys.length === 1 && keys[0] === 'http' && typeof o.http === 'string') {
            const dir = resolve(dirname(configPath), o.http);
            if (!existsSync(dir) || !statSync(dir).isDirectory())
                throw badInput(label(i), 'an http service whose directory exists', o.http);
            return { kind: 'http', dir, port };
        }
        if (keys.length === 1 &&
            keys[0] === 'command' &&
            Array.isArray(o.command) &&
            o.command.length > 0 &&
            o.command.every(w => typeof w === 'string')) {
            return { kind: 'command', argv: o.command, port };
        }
        throw badInput(label(i), ACCEPTED, item);
    });
}

// Turns raw inputs (action inputs or CLI options, all strings) plus the config file into one
// validated CheckOptions. Precedence: documented defaults < config file < explicit inputs.
// Every bad value raises one ConfigurationError naming the input (or config key and line).
const DEFAULTS = Object.fromEntries(INPUTS.map(i => [i.name, i.default]));
function given(raw, name) {
    const v = raw[name];
    return v !== undefined && v.trim() !== '';
}
function pick(raw, cfg, name, cfgKey = name) {
    if (given(raw, name))
        return { value: raw[name], label: name };
    if (cfg && cfgKey in cfg.values && cfg.values[cfgKey] !== null) {
        return { value: cfg.values[cfgKey], label: configKeyLabel(cfgKey, cfg.path, cfg.lines[cfgKey]) };
    }
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
function stringOr(raw, cfg, name) {
    const s = pick(raw, cfg, name);
    return s ? asString(s) : DEFAULTS[name];
}
async function resolveCheckOptions(raw, ctx) {
    for (const key of Object.keys(raw)) {
        if (!INPUTS.some(i => i.name === key))
            throw new ConfigurationError(key, `Unknown input '${key}'`);
    }
    const appDir = resolve(ctx.cwd, raw.app?.trim() || '.');
    if (!existsSync(appDir) || !statSync(appDir).isDirectory()) {
        throw badInput('app', 'a directory holding the app (Dockerfile, unikraft-compat.yml)', raw.app ?? '.');
    }
    let configPath = null;
    if (given(raw, 'config')) {
        configPath = resolve(ctx.cwd, raw.config.trim());
        if (!existsSync(configPath))
            throw badInput('config', 'an existing YAML file', raw.config);
    }
    else if (existsSync(join(appDir, 'unikraft-compat.yml'))) {
        configPath = join(appDir, 'unikraft-compat.yml');
    }
    else if (existsSync(join(appDir, 'unikraft-compat.yaml'))) {
        configPath = join(appDir, 'unikraft-compat.yaml');
    }
    const cfg = configPath ? await loadConfigFile(configPath) : null;
    // Root filesystem: explicit, else <app>/Dockerfile.
    const dockerfileDefault = join(appDir, 'Dockerfile');
    const rootfsGiven = pick(raw, cfg, 'rootfs');
    let rootfs = rootfsGiven ? asString(rootfsGiven).trim() : null;
    if (rootfs && !rootfs.startsWith('binary:')) {
        // Relative paths in the config file are relative to the app directory; inputs to the workspace.
        rootfs = resolve(given(raw, 'rootfs') ? ctx.cwd : appDir, rootfs);
    }
    if (!rootfs && existsSync(dockerfileDefault))
        rootfs = dockerfileDefault;
    const dockerfile = rootfs &&
        !rootfs.startsWith('binary:') &&
        /(^|\/)(Dockerfile|Containerfile)[^/]*$|\.Dockerfile$/.test(rootfs)
        ? rootfs
        : null;
    const kraftfile = ['Kraftfile', 'kraft.yaml', 'kraft.yml'].map(f => join(appDir, f)).find(f => existsSync(f)) ?? null;
    // Command: a POSIX-split string, or a list in the config file.
    let cmd = null;
    const cmdSrc = pick(raw, cfg, 'cmd');
    if (cmdSrc) {
        if (Array.isArray(cmdSrc.value)) {
            if (!cmdSrc.value.every(v => typeof v === 'string' || typeof v === 'number')) {
                throw badInput(cmdSrc.label, 'a string or a list of strings', cmdSrc.value);
            }
            cmd = cmdSrc.value.map(String);
        }
        else {
            cmd = splitWordsFor(cmdSrc.label, asString(cmdSrc));
        }
        if (cmd.length === 0)
            throw badInput(cmdSrc.label, 'a non-empty command', cmdSrc.value);
    }
    // Environment: inputs as K=V lines; the config file as a map or a list of K=V.
    let env = {};
    const envSrc = pick(raw, cfg, 'env');
    if (envSrc) {
        // A value must be one scalar: a nested map or list would reach the guest as "[object Object]".
        const scalar = (v) => ['string', 'number', 'boolean'].includes(typeof v);
        const ENV_FORM = 'NAME: value pairs (or NAME=value lines) whose values are strings, numbers or booleans';
        if (envSrc.value && typeof envSrc.value === 'object' && !Array.isArray(envSrc.value)) {
            const entries = Object.entries(envSrc.value);
            const nested = entries.find(([, v]) => !scalar(v));
            if (nested)
                throw badInput(envSrc.label, ENV_FORM, { [nested[0]]: nested[1] });
            env = parseEnvLines(entries.map(([k, v]) => `${k}=${String(v)}`), envSrc.label);
        }
        else {
            if (Array.isArray(envSrc.value)) {
                const nested = envSrc.value.find(v => !scalar(v));
                if (nested !== undefined)
                    throw badInput(envSrc.label, ENV_FORM, nested);
            }
            env = parseEnvLines(asList(envSrc, false), envSrc.label);
        }
    }
    const guest = parseChoice(stringOr(raw, cfg, 'guest'), labelOf(raw, cfg, 'guest'), [
        'unikraft',
        'linux'
    ]);
    const storeSrc = pick(raw, cfg, 'kernel-store');
    let kernelStore = null;
    if (storeSrc) {
        const dir = resolve(given(raw, 'kernel-store') ? ctx.cwd : appDir, asString(storeSrc));
        kernelStore = readKernelStore(dir, storeSrc.label);
    }
    else if (ctx.shippedKernelStore && existsSync(join(ctx.shippedKernelStore, STORE_MANIFEST))) {
        kernelStore = readKernelStore(ctx.shippedKernelStore, 'kernel-store');
    }
    // A check is reproducible by default: the newest release the store pins, unless one is asked for.
    const storeDefault = kernelStore ? newestStoredVersion(kernelStore) : null;
    const versionSrc = pick(raw, cfg, 'unikraft-version');
    const unikraftVersion = (versionSrc ? asString(versionSrc) : (storeDefault ?? 'latest')).trim();
    if (!/^(latest|\d+\.\d+\.\d+)$/.test(unikraftVersion)) {
        throw badInput(labelOf(raw, cfg, 'unikraft-version'), 'latest or a release like 0.18.0', unikraftVersion);
    }
    const kernelSrc = pick(raw, cfg, 'kernel');
    let kernel = null;
    if (kernelSrc) {
        kernel = resolve(given(raw, 'kernel') ? ctx.cwd : appDir, asString(kernelSrc));
        if (!existsSync(kernel) || !statSync(kernel).isFile()) {
            throw badInput(kernelSrc.label, 'the path of an existing Unikraft kernel image', asString(kernelSrc));
        }
    }
    const kraftkitVersion = stringOr(raw, cfg, 'kraftkit-version').trim().replace(/^v/, '');
    if (!/^\d+\.\d+\.\d+$/.test(kraftkitVersion)) {
        throw badInput(labelOf(raw, cfg, 'kraftkit-version'), 'a KraftKit release like 0.11.6', kraftkitVersion);
    }
    const arch = parseChoice(stringOr(raw, cfg, 'arch'), labelOf(raw, cfg, 'arch'), ['x86_64']);
    const memoryMiB = parseMemory(stringOr(raw, cfg, 'memory'), labelOf(raw, cfg, 'memory'));
    // Probes: one per line (input) or a list of strings / objects (config file).
    const probes = [];
    if (given(raw, 'probe')) {
        raw
            .probe.split('\n')
            .map(l => l.trim())
            .filter(Boolean)
            .forEach((p, i) => probes.push(parseProbe(p, `probe[${i + 1}]`)));
    }
    else if (cfg && Array.isArray(cfg.values.probes)) {
        cfg.values.probes.forEach((p, i) => probes.push(parseProbe(p, configKeyLabel(`probes[${i}]`, cfg.path, cfg.lines[`probes[${i}]`] ?? cfg.lines.probes))));
    }
    else if (cfg && cfg.values.probes != null) {
        throw badInput(configKeyLabel('probes', cfg.path, cfg.lines.probes), 'a list of probes', cfg.values.probes);
    }
    const portsSrc = pick(raw, cfg, 'ports');
    const ports = portsSrc ? parsePorts(asList(portsSrc), portsSrc.label) : [];
    for (const g of guestPortsOf(probes)) {
        if (!ports.some(p => p.guest === g))
            ports.push({ guest: g });
    }
    const timeoutMs = parseDuration(stringOr(raw, cfg, 'timeout'), labelOf(raw, cfg, 'timeout'));
    const accel = parseChoice(stringOr(raw, cfg, 'accel'), labelOf(raw, cfg, 'accel'), [
        'auto',
        'kvm',
        'tcg'
    ]);
    const baseline = parseChoice(stringOr(raw, cfg, 'baseline'), labelOf(raw, cfg, 'baseline'), [
        'auto',
        'always',
        'never'
    ]);
    const runner = parseChoice(stringOr(raw, cfg, 'runner'), labelOf(raw, cfg, 'runner'), [
        'qemu',
        'kraft'
    ]);
    const failOn = parseChoice(stringOr(raw, cfg, 'fail-on'), labelOf(raw, cfg, 'fail-on'), [
        'error',
        'never'
    ]);
    const uploadLogs = parseBoolean(stringOr(raw, cfg, 'upload-logs'), labelOf(raw, cfg, 'upload-logs'));
    const allowSrc = pick(raw, cfg, 'allow');
    const allow = allowSrc ? asList(allowSrc) : [];
    for (const id of allow) {
        if (!/^[a-z]+(\.[a-z0-9-]+)+$/.test(id))
            throw badInput(allowSrc.label, 'finding ids like process.fork-unsupported', id);
    }
    const artifactName = pick(raw, cfg, 'artifact-name')
        ? asString(pick(raw, cfg, 'artifact-name')).trim()
        : null;
    const workdirV = cfg?.values.workdir;
    if (workdirV != null && (typeof workdirV !== 'string' || !workdirV.startsWith('/'))) {
        throw badInput(configKeyLabel('workdir', cfg.path, cfg.lines.workdir), 'an absolute path inside the guest', workdirV);
    }
    const buildArgsV = cfg?.values['build-args'];
    const buildArgs = {};
    if (buildArgsV != null) {
        if (typeof buildArgsV !== 'object' || Array.isArray(buildArgsV)) {
            throw badInput(configKeyLabel('build-args', cfg.path, cfg.lines['build-args']), 'a mapping of NAME: value', buildArgsV);
        }
        for (const [k, v] of Object.entries(buildArgsV))
            buildArgs[k] = String(v);
    }
    const files = listFromConfig(cfg, 'files', 'SRC:DEST entries (SRC relative to the app directory)');
    const packages = listFromConfig(cfg, 'packages', 'Debian package names');
    for (const p of packages) {
        if (!/^[a-z0-9][a-z0-9+.-]+$/.test(p))
            throw badInput(configKeyLabel('packages', cfg.path, cfg.lines.packages), 'Debian package names', p);
    }
    const targetV = cfg?.values.target;
    const services = cfg
        ? parseServices(cfg.values.services, cfg.path, i => {
            const key = i < 0 ? 'services' : `services[${i}]`;
            return configKeyLabel(key, cfg.path, cfg.lines[key] ?? cfg.lines.services);
        })
        : [];
    return {
        appDir,
        appId: appIdOf(appDir, ctx.cwd),
        configFile: configPath,
        configLines: cfg?.lines ?? {},
        dockerfile,
        kraftfile,
        rootfs,
        buildArgs,
        target: typeof targetV === 'string' ? targetV : null,
        cmd,
        env,
        workdir: typeof workdirV === 'string' ? workdirV : null,
        guest,
        unikraftVersion,
        unikraftVersionGiven: versionSrc !== undefined,
        kernelStore,
        kernel,
        kraftkitVersion,
        arch,
        memoryMiB,
        ports,
        probes,
        runner,
        timeoutMs,
        accel,
        baseline,
        allow,
        artifactName,
        uploadLogs,
        failOn,
        files,
        packages,
        services
    };
}
function labelOf(raw, cfg, name) {
    return pick(raw, cfg, name)?.label ?? name;
}
function listFromConfig(cfg, key, accepted) {
    const v = cfg?.values[key];
    if (v == null)
        return [];
    if (!Array.isArray(v) || !v.every(x => typeof x === 'string' && x.trim() !== '')) {
        throw badInput(configKeyLabel(key, cfg.path, cfg.lines[key]), `a list of ${accepted}`, v);
    }
    return v.map(x => x.trim());
}
/**
 * The app's id in the matrix and in artifact names: its directory relative to the working directory
 * (the workspace), `/`-separated, as a repository names it (`library/redis/7.2`), so apps that share
 * a last component (catalog layouts end in versions) stay apart. An app outside the working
 * directory, or the working directory itself, is named by its last component.
 */
function appIdOf(appDir, cwd = process.cwd()) {
    const abs = resolve(cwd, appDir);
    const rel = relative(resolve(cwd), abs);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
        return basename(abs);
    return rel.split(sep).join('/');
}

export { appIdOf as a, resolveCheckOptions as r };
