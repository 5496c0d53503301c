import { existsSync, statSync } from 'node:fs';
import { resolve, dirname, relative, sep, isAbsolute, basename, join } from 'node:path';
import { b as badInput, C as ConfigurationError } from './errors.js';
import { i as isKind, w as wrong, s as splitWords, S as ShellWordsError, m as must, p as parseDuration, c as commandSpec, e as exitSpec, a as consoleSpec, b as parsePatternValue, h as httpSpec, t as tcpSpec, r as redisSpec, d as parseBool, f as parsePort, D as DEFAULT_HTTP_PORT, g as DEFAULT_REDIS_PORT, j as closingSlash, k as tokenizeOptions, l as splitWordsFor, n as readKernelStore, o as STORE_MANIFEST, q as newestStoredVersion } from './kernel-store.js';
import 'node:os';
import { c as configLabel, g as given, l as loadConfigFile, s as sourcesOf, p as pick, a as asString, b as asList, d as labelOf, e as stringOr } from './sources.js';
import { a as isInputName } from './inputs.js';
import { c as parseEnvLines, e as parseChoice, f as parsePorts, g as parseDuration$1, h as parseBoolean } from './index.js';
import { p as parseMemory } from './memory.js';

function parseProbeObject(obj, input) {
    const kindValue = obj.kind;
    if (typeof kindValue !== 'string' || !isKind(kindValue.toLowerCase())) {
        throw wrong(input, null, obj, kindValue === undefined ? 'the object has no kind' : `unknown probe kind '${String(kindValue)}'`);
    }
    const kind = kindValue.toLowerCase();
    const fail = (reason) => wrong(input, kind, obj, reason, true);
    const keys = {
        redis: ['port', 'setget', 'timeout'],
        http: ['port', 'path', 'method', 'status', 'body', 'headers', 'timeout'],
        tcp: ['port', 'timeout'],
        console: ['regex', 'stop'],
        exit: ['code'],
        command: ['argv', 'command', 'retry', 'timeout']
    };
    for (const key of Object.keys(obj)) {
        if (key !== 'kind' && !keys[kind].includes(key)) {
            throw fail(`unknown key '${key}' (accepted: kind, ${keys[kind].join(', ')})`);
        }
    }
    const str = (key) => {
        const v = obj[key];
        if (v === undefined || v === null)
            return undefined;
        if (typeof v === 'string')
            return v;
        if (typeof v === 'number' || typeof v === 'boolean')
            return String(v);
        throw fail(`'${key}' must be a single value`);
    };
    const port = (dflt) => {
        const v = str('port');
        if (v === undefined) {
            if (dflt === undefined)
                throw fail("'port' is required");
            return dflt;
        }
        return must(parsePort(v), input, kind, obj, true);
    };
    const bool = (key, dflt) => {
        const v = obj[key];
        if (v === undefined || v === null)
            return dflt;
        if (typeof v !== 'boolean' && typeof v !== 'string')
            throw fail(`'${key}' must be true or false`);
        return must(parseBool(v), input, kind, obj, true);
    };
    const timeout = () => {
        const v = obj.timeout;
        if (v === undefined || v === null)
            return [];
        if (typeof v === 'number')
            return [{ key: 'timeout', value: `${must(parseDuration(v), input, kind, obj, true)}ms` }];
        return [{ key: 'timeout', value: str('timeout') }];
    };
    switch (kind) {
        case 'redis': {
            const setget = bool('setget', false);
            return redisSpec(input, port(DEFAULT_REDIS_PORT), [...timeout(), { key: 'setget', value: String(setget) }], obj, true);
        }
        case 'tcp':
            return tcpSpec(input, port(), timeout(), obj, true);
        case 'http': {
            const path = str('path') ?? '/';
            const opts = [...timeout()];
            const method = str('method');
            if (method !== undefined)
                opts.push({ key: 'method', value: method });
            const status = obj.status;
            if (status !== undefined && status !== null) {
                if (!(typeof status === 'string' || typeof status === 'number' || Array.isArray(status))) {
                    throw fail("'status' must be a code, a class like 2xx, or a list of them");
                }
                const statuses = Array.isArray(status) ? status.map(String).join(',') : String(status);
                opts.push({ key: 'status', value: statuses });
            }
            const body = str('body');
            if (body !== undefined)
                opts.push({ key: 'body', value: body });
            const headers = obj.headers;
            if (headers !== undefined && headers !== null) {
                if (typeof headers !== 'object' || Array.isArray(headers))
                    throw fail("'headers' must be a map of NAME: REGEX");
                for (const [name, re] of Object.entries(headers)) {
                    if (typeof re !== 'string')
                        throw fail(`headers.${name} must be a regular expression string`);
                    opts.push({ key: 'header', value: `${name}:${re}` });
                }
            }
            return httpSpec(input, port(DEFAULT_HTTP_PORT), path, opts, obj, true);
        }
        case 'console': {
            const re = str('regex');
            if (re === undefined)
                throw fail("'regex' is required");
            return consoleSpec(input, must(parsePatternValue(re), input, kind, obj, true), bool('stop', true));
        }
        case 'exit': {
            const code = str('code');
            if (code === undefined)
                throw fail("'code' is required");
            return exitSpec(input, /^\d+$/.test(code) ? Number(code) : NaN, obj, true);
        }
        case 'command': {
            let argv;
            if (obj.argv !== undefined && obj.command !== undefined)
                throw fail("give either 'argv' or 'command', not both");
            if (obj.argv !== undefined) {
                if (!Array.isArray(obj.argv) || !obj.argv.every(a => typeof a === 'string')) {
                    throw fail("'argv' must be a list of strings");
                }
                argv = obj.argv;
            }
            else {
                const cmd = str('command');
                if (cmd === undefined)
                    throw fail("'argv' or 'command' is required");
                try {
                    argv = splitWords(cmd);
                }
                catch (e) {
                    if (e instanceof ShellWordsError)
                        throw fail(e.message);
                    throw e;
                }
            }
            const t = timeout();
            const ms = t.length ? must(parseDuration(t[0].value), input, kind, obj, true) : null;
            return commandSpec(input, argv, bool('retry', false), ms, obj, true);
        }
    }
}

// The one-string probe form (`--probe`, the `probe` input, a string in `probes:`):
// `redis[:PORT] [setget]`, `http:PORT/PATH status=200`, `console:/REGEX/i stop=no`, ...
function parseProbeString(raw, input) {
    const text = raw.trim();
    const head = /^([A-Za-z]+)(:|(?=\s)|$)/.exec(text);
    const kindWord = head?.[1].toLowerCase() ?? '';
    if (!head || !isKind(kindWord)) {
        const shown = text.split(/[:\s]/)[0];
        throw wrong(input, null, raw, shown ? `unknown probe kind '${shown}'` : 'the probe is empty');
    }
    const kind = kindWord;
    const hasColon = head[2] === ':';
    const rest = text.slice(head[0].length);
    const need = (ok, reason) => {
        if (!ok)
            throw wrong(input, kind, raw, reason);
    };
    switch (kind) {
        case 'redis':
        case 'http':
        case 'tcp': {
            const [target, optText] = splitFirstWord(rest);
            need(!hasColon || target !== '', `nothing after '${kind}:'`);
            need(kind !== 'tcp' || hasColon, 'tcp needs a port');
            const opts = must(tokenizeOptions(hasColon ? optText : rest), input, kind, raw);
            if (kind === 'redis') {
                const port = target === '' ? DEFAULT_REDIS_PORT : must(parsePort(target), input, kind, raw);
                return redisSpec(input, port, opts, raw);
            }
            if (kind === 'tcp')
                return tcpSpec(input, must(parsePort(target), input, kind, raw), opts, raw);
            const slash = target.indexOf('/');
            const portText = slash < 0 ? target : target.slice(0, slash);
            const path = slash < 0 ? '/' : target.slice(slash);
            need(portText !== '' || target === '', `write http:PORT/PATH, e.g. http:80${path}`);
            const port = portText === '' ? DEFAULT_HTTP_PORT : must(parsePort(portText), input, kind, raw);
            return httpSpec(input, port, path, opts, raw);
        }
        case 'console': {
            need(hasColon && rest.trim() !== '', 'a regular expression after console:');
            let patternText = rest;
            let optText = '';
            if (rest.startsWith('/')) {
                const end = closingSlash(rest);
                need(end >= 0, `'${rest}' starts a /REGEX/FLAGS without its closing slash (write \\/ to match a leading slash)`);
                const after = /^[A-Za-z]*/.exec(rest.slice(end + 1))[0];
                patternText = rest.slice(0, end + 1 + after.length);
                optText = rest.slice(patternText.length);
                need(optText === '' || /^\s/.test(optText), `text after the /REGEX/FLAGS must be options like stop=no`);
            }
            else {
                // The plain form's regex runs to the end, except a trailing stop option (people write it).
                const trailing = /^(.*?)(\s+stop=\S*)$/.exec(rest);
                if (trailing)
                    [patternText, optText] = [trailing[1], trailing[2]];
            }
            const pattern = must(parsePatternValue(patternText), input, kind, raw);
            const opts = must(tokenizeOptions(optText), input, kind, raw);
            let stop = true;
            for (const o of opts) {
                need(o.key === 'stop', `unknown option '${o.key}' (accepted: stop)`);
                stop = o.value === null ? true : must(parseBool(o.value), input, kind, raw);
            }
            return consoleSpec(input, pattern, stop);
        }
        case 'exit': {
            need(!hasColon || /^\d+$/.test(rest.trim()), `exit status '${rest.trim()}' must be a number 0..255`);
            need(rest.trim() === '' || hasColon, 'write exit:CODE');
            return exitSpec(input, hasColon ? Number(rest.trim()) : 0, raw, false);
        }
        case 'command': {
            need(hasColon, 'write command:PROGRAM ARGS...');
            let argv;
            try {
                argv = splitWords(rest);
            }
            catch (e) {
                if (e instanceof ShellWordsError)
                    throw wrong(input, kind, raw, e.message);
                throw e;
            }
            return commandSpec(input, argv, false, null, raw, false);
        }
    }
}
function splitFirstWord(s) {
    const m = /^\S*/.exec(s);
    return [m[0], s.slice(m[0].length)];
}

// Turns the user's probes (the one-string form of `--probe`/`probe`, or a config-file object) into
// validated ProbeSpecs. Every mistake is one ConfigurationError naming the input and the accepted form,
// raised before anything boots. docs/probes.md documents both forms: parse-probe-string.ts and
// parse-probe-object.ts read them, probe-specs.ts builds the specs, probe-forms.ts words the errors.
/** Parses one probe, from the string form or a config-file object. */
function parseProbe(input, inputName) {
    if (typeof input === 'string')
        return parseProbeString(input, inputName);
    if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
        return parseProbeObject(input, inputName);
    }
    throw wrong(inputName, null, input, `a probe is a string or an object, got ${Array.isArray(input) ? 'a list' : typeof input}`);
}
/** The guest ports the probes talk to, in first-use order: the runner forwards them automatically. */
function guestPortsOf(specs) {
    const ports = [];
    for (const s of specs) {
        if ((s.kind === 'redis' || s.kind === 'http' || s.kind === 'tcp') && !ports.includes(s.port))
            ports.push(s.port);
    }
    return ports;
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

// The config keys no input has (workdir, build-args, target, files, packages, services): read from
// the config file alone, each bad value one error naming the key and its line.
function fileOnlyOptions(cfg) {
    if (cfg === null)
        return { workdir: null, buildArgs: {}, target: null, files: [], packages: [], services: [] };
    const workdir = cfg.values.workdir;
    if (workdir != null && (typeof workdir !== 'string' || !workdir.startsWith('/'))) {
        throw badInput(configLabel(cfg, 'workdir'), 'an absolute path inside the guest', workdir);
    }
    const buildArgsV = cfg.values['build-args'];
    const buildArgs = {};
    if (buildArgsV != null) {
        if (typeof buildArgsV !== 'object' || Array.isArray(buildArgsV)) {
            throw badInput(configLabel(cfg, 'build-args'), 'a mapping of NAME: value', buildArgsV);
        }
        for (const [k, v] of Object.entries(buildArgsV))
            buildArgs[k] = String(v);
    }
    const files = listFromConfig(cfg, 'files', 'SRC:DEST entries (SRC relative to the app directory)');
    const packages = listFromConfig(cfg, 'packages', 'Debian package names');
    for (const p of packages) {
        if (!/^[a-z0-9][a-z0-9+.-]+$/.test(p))
            throw badInput(configLabel(cfg, 'packages'), 'Debian package names', p);
    }
    const target = cfg.values.target;
    const services = parseServices(cfg.values.services, cfg.path, i => i < 0 ? configLabel(cfg, 'services') : configLabel(cfg, `services[${i}]`, 'services'));
    return {
        workdir: typeof workdir === 'string' ? workdir : null,
        buildArgs,
        target: typeof target === 'string' ? target : null,
        files,
        packages,
        services
    };
}
function listFromConfig(cfg, key, accepted) {
    const v = cfg.values[key];
    if (v == null)
        return [];
    if (!Array.isArray(v) || !v.every(x => typeof x === 'string' && x.trim() !== '')) {
        throw badInput(configLabel(cfg, key), `a list of ${accepted}`, v);
    }
    return v.map(x => x.trim());
}

// Turns raw inputs (action inputs or CLI options, all strings) plus the config file into one
// validated CheckOptions. Precedence: documented defaults < config file < explicit inputs.
// Every bad value raises one ConfigurationError naming the input (or config key and line).
async function resolveCheckOptions(raw, ctx) {
    for (const key of Object.keys(raw)) {
        if (!isInputName(key))
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
    // Which source won each key, decided once (sources.ts); paths from inputs are relative to cwd.
    const sources = sourcesOf(raw, cfg);
    // Root filesystem: explicit, else <app>/Dockerfile.
    const dockerfileDefault = join(appDir, 'Dockerfile');
    const rootfsGiven = pick(raw, cfg, 'rootfs');
    let rootfs = rootfsGiven ? asString(rootfsGiven).trim() : null;
    if (rootfs && !rootfs.startsWith('binary:')) {
        // Relative paths in the config file are relative to the app directory; inputs to the workspace.
        rootfs = resolve(sources.rootfs === 'input' ? ctx.cwd : appDir, rootfs);
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
        const dir = resolve(sources['kernel-store'] === 'input' ? ctx.cwd : appDir, asString(storeSrc));
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
        kernel = resolve(sources.kernel === 'input' ? ctx.cwd : appDir, asString(kernelSrc));
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
    if (sources.probes === 'input') {
        raw
            .probe.split('\n')
            .map(l => l.trim())
            .filter(Boolean)
            .forEach((p, i) => probes.push(parseProbe(p, `probe[${i + 1}]`)));
    }
    else if (sources.probes === 'config' && cfg && Array.isArray(cfg.values.probes)) {
        cfg.values.probes.forEach((p, i) => probes.push(parseProbe(p, configLabel(cfg, `probes[${i}]`, 'probes'))));
    }
    else if (sources.probes === 'config' && cfg) {
        throw badInput(configLabel(cfg, 'probes'), 'a list of probes', cfg.values.probes);
    }
    const portsSrc = pick(raw, cfg, 'ports');
    const ports = portsSrc ? parsePorts(asList(portsSrc), portsSrc.label) : [];
    for (const g of guestPortsOf(probes)) {
        if (!ports.some(p => p.guest === g))
            ports.push({ guest: g });
    }
    const timeoutMs = parseDuration$1(stringOr(raw, cfg, 'timeout'), labelOf(raw, cfg, 'timeout'));
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
    const trace = parseChoice(stringOr(raw, cfg, 'trace'), labelOf(raw, cfg, 'trace'), [
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
    const fileOnly = fileOnlyOptions(cfg);
    return {
        appDir,
        appId: appIdOf(appDir, ctx.cwd),
        configFile: configPath,
        origins: { sources, configPositions: cfg?.positions ?? {} },
        dockerfile,
        kraftfile,
        rootfs,
        cmd,
        env,
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
        trace,
        allow,
        artifactName,
        uploadLogs,
        failOn,
        ...fileOnly
    };
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
