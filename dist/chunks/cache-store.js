import { f as group, e as error, w as warning, i as info, d as debug, h as saveState, j as getState } from './core.js';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { t as toError } from './errors.js';
import { R as RUN_FILES } from './run-check.js';
import { AsyncLocalStorage } from 'node:async_hooks';

// The engine's Logger backed by @actions/core: groups fold in the log, warnings become annotations.
function createActionsLogger() {
    return {
        debug: m => debug(m),
        info: m => info(m),
        warning: m => warning(m),
        error: m => error(m),
        group: (name, fn) => group(name, fn)
    };
}

// Uploads a run's logs and results as one GitHub Actions artifact (@actions/artifact), and names
// that artifact uniquely per matrix combination. Artifacts are evidence, not the verdict: a failing
// artifact service is a warning and never fails the job.
// What GitHub refuses in artifact names (the same list @actions/artifact checks before uploading).
const FORBIDDEN_IN_NAME = /[":<>|*?\r\n\\/]/g;
/**
 * The artifact's name: the `artifact-name` input when given, else
 * `unikraft-compat-<app>-<version>-<guest>-<arch>`, unique per matrix combination because names must
 * be unique within a run. Characters GitHub refuses become `-`, so any input yields a valid name.
 */
function artifactName(parts) {
    const override = parts.override?.trim();
    if (override)
        return sanitizeArtifactName(override);
    const app = parts.app
        .trim()
        .replace(/^(\.\/)+/, '')
        .replace(/\/+$/, '');
    const appPart = app === '' || app === '.' ? 'app' : app;
    return sanitizeArtifactName(['unikraft-compat', appPart, parts.version, parts.guest, parts.arch].join('-'));
}
/** Replaces the characters GitHub refuses in artifact names with `-`, collapsing runs of them. */
function sanitizeArtifactName(name) {
    const cleaned = name
        .replace(FORBIDDEN_IN_NAME, '-')
        .replace(/-{2,}/g, '-')
        .replace(/^-+|-+$/g, '');
    return cleaned === '' ? 'unikraft-compat' : cleaned;
}
/** The artifact's web page, built the way actions/upload-artifact builds its `artifact-url` output. */
function artifactUrl(id, env = process.env) {
    const server = env.GITHUB_SERVER_URL;
    const repository = env.GITHUB_REPOSITORY;
    const runId = env.GITHUB_RUN_ID;
    if (!server || !repository || !runId)
        return undefined;
    return `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${runId}/artifacts/${id}`;
}
/** Expands directories and keeps only regular files that exist inside `dir`, absolute. */
async function collectFiles(dir, files, logger) {
    const root = path.resolve(dir);
    const found = [];
    const visit = async (file) => {
        const stats = await lstat(file).catch(() => undefined);
        if (!stats) {
            logger.debug(`artifact: ${file} does not exist; not uploaded`);
        }
        else if (stats.isDirectory()) {
            const entries = await readdir(file);
            for (const entry of entries.sort())
                await visit(path.join(file, entry));
        }
        else if (stats.isFile()) {
            found.push(file);
        }
        else {
            logger.debug(`artifact: ${file} is not a regular file; not uploaded`);
        }
    };
    for (const given of files) {
        const file = path.resolve(root, given);
        if (file !== root && !file.startsWith(root + path.sep)) {
            // The library would reject the whole upload for one outsider; drop just that file.
            logger.warning(`artifact: ${file} is outside ${root}; not uploaded`);
            continue;
        }
        await visit(file);
    }
    return [...new Set(found)];
}
/**
 * Uploads the files as one artifact. Returns its id and page, or null (with a warning) when nothing
 * could be uploaded: the service failing, the name already taken in this run, no files.
 */
async function uploadRunArtifacts(run, logger) {
    try {
        const files = await collectFiles(run.dir, run.files, logger);
        if (files.length === 0) {
            logger.warning(`artifact '${run.name}': none of the files to upload exist; nothing uploaded`);
            return null;
        }
        // Loaded on demand: the library and its Azure SDK are most of the bundle's start-up cost.
        const { DefaultArtifactClient } = await import('./artifact.js');
        const client = new DefaultArtifactClient();
        const options = run.retentionDays === undefined ? {} : { retentionDays: run.retentionDays };
        const result = await client.uploadArtifact(run.name, files, path.resolve(run.dir), options);
        if (result.id === undefined) {
            logger.warning(`artifact '${run.name}': the service did not return an artifact id`);
            return null;
        }
        const url = artifactUrl(result.id);
        logger.info(`artifact '${run.name}': ${files.length} file(s) uploaded as artifact ${result.id}${url ? ` (${url})` : ''}`);
        const uploaded = { id: result.id };
        if (url !== undefined)
            uploaded.url = url;
        if (result.size !== undefined)
            uploaded.size = result.size;
        if (result.digest)
            uploaded.digest = `sha256:${result.digest}`;
        return uploaded;
    }
    catch (thrown) {
        // One line: Azure's messages carry `RequestId:` and `Time:` on lines of their own.
        const message = toError(thrown)
            .message.replace(/\s*\r?\n\s*/g, ' ')
            .trim();
        logger.warning(`artifact '${run.name}' was not uploaded: ${message}`);
        return null;
    }
}

// The files of a run that are uploaded as the artifact (missing ones are skipped), for main and post.
const UPLOADED_FILES = [
    RUN_FILES.result,
    RUN_FILES.console,
    RUN_FILES.qemuStderr,
    RUN_FILES.buildLog,
    RUN_FILES.manifest,
    `${RUN_FILES.baselineDir}/${RUN_FILES.console}`,
    `${RUN_FILES.baselineDir}/${RUN_FILES.qemuStderr}`
];

// What main leaves for the post step (GITHUB_STATE), in one place.
const KEY = 'unikraft-compat';
function saveMainState(state) {
    saveState(KEY, JSON.stringify(state));
}
/** Set by main once it has uploaded everything itself. */
function markUploaded() {
    saveState(`${KEY}-uploaded`, 'true');
}
function loadMainState() {
    const text = getState(KEY);
    let state = null;
    try {
        state = text ? { persist: [], ...JSON.parse(text) } : null;
    }
    catch {
        state = null;
    }
    return { state, uploaded: getState(`${KEY}-uploaded`) === 'true' };
}

// The cross-run cache (KraftKit, built Unikraft kernels) over @actions/cache. Caching only saves
// time, so every failure here is a warning through the logger, never a throw and never an error
// annotation: the job's verdict must not depend on GitHub's cache service.
const collector = new AsyncLocalStorage();
let hooks = 0;
let originalWrite;
const COMMAND = /^::(warning|error|debug)(?: [^:]*)?::(.*?)\r?\n?$/s;
function unescapeCommandData(data) {
    return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
async function collectingMessages(fn) {
    if (hooks++ === 0) {
        const write = process.stdout.write;
        originalWrite = write;
        process.stdout.write = function (chunk, ...rest) {
            const sink = collector.getStore();
            const match = sink && typeof chunk === 'string' ? COMMAND.exec(chunk) : null;
            if (sink && match) {
                const message = unescapeCommandData(match[2]);
                if (match[1] === 'debug') {
                    sink.debug.push(message);
                }
                else {
                    sink.annotations.push(message);
                    const callback = rest.find(arg => typeof arg === 'function');
                    callback?.();
                    return true;
                }
            }
            return write.call(this, chunk, ...rest);
        };
    }
    const messages = { annotations: [], debug: [] };
    try {
        const value = await collector.run(messages, fn);
        return { value, ...messages };
    }
    finally {
        if (--hooks === 0 && originalWrite) {
            process.stdout.write = originalWrite;
            originalWrite = undefined;
        }
    }
}
/** One line: Azure's messages carry `RequestId:` and `Time:` on lines of their own. */
function oneLine(message) {
    return message.replace(/\s*\r?\n\s*/g, ' ').trim();
}
/** The library's last word is its summary (`Failed to save: ...`); earlier ones are steps to it. */
function lastAnnotation(messages, logger) {
    for (const earlier of messages.annotations.slice(0, -1))
        logger.debug(`cache: ${oneLine(earlier)}`);
    const last = messages.annotations.at(-1);
    return last === undefined ? undefined : oneLine(last);
}
/** A cache backed by GitHub's cache service; `logger` receives every problem as a warning. */
function createActionsCache(logger) {
    let cacheModule;
    let unavailableWarned = false;
    // Loaded on demand: most runs of the CLI and many of the action never touch the cache.
    const load = async () => {
        cacheModule ??= import('./cache.js');
        const cache = await cacheModule;
        if (cache.isFeatureAvailable())
            return cache;
        if (!unavailableWarned) {
            unavailableWarned = true;
            logger.warning("cache: GitHub's cache service is not available here (no ACTIONS_RESULTS_URL); continuing without it");
        }
        return undefined;
    };
    return {
        async restore(paths, key, restoreKeys = []) {
            try {
                const cache = await load();
                if (!cache)
                    return undefined;
                const result = await collectingMessages(() => cache.restoreCache(paths, key, restoreKeys));
                const problem = lastAnnotation(result, logger);
                if (problem !== undefined)
                    logger.warning(`cache: could not restore '${key}': ${problem}`);
                const value = result.value;
                if (value === undefined) {
                    if (problem === undefined)
                        logger.debug(`cache: no entry for '${key}'`);
                    return undefined;
                }
                logger.info(`cache: restored '${value}'`);
                return value;
            }
            catch (thrown) {
                logger.warning(`cache: could not restore '${key}': ${toError(thrown).message}`);
                return undefined;
            }
        },
        async save(paths, key) {
            try {
                const cache = await load();
                if (!cache)
                    return;
                const result = await collectingMessages(() => cache.saveCache(paths, key));
                const problem = lastAnnotation(result, logger);
                if (result.value === -1 || problem !== undefined) {
                    // A refused reservation is reported only as info plus a debug line with the service's
                    // answer: a 409 (another job of the matrix saved this key first, harmless) or an outage.
                    const refused = result.debug.find(m => m.startsWith('Failed to reserve cache: '));
                    const why = problem ??
                        (refused
                            ? oneLine(refused.slice('Failed to reserve cache: '.length))
                            : 'the service did not store it');
                    logger.warning(`cache: could not save '${key}': ${why}`);
                    return;
                }
                logger.info(`cache: saved '${key}' (entry ${result.value})`);
            }
            catch (thrown) {
                logger.warning(`cache: could not save '${key}': ${toError(thrown).message}`);
            }
        }
    };
}

export { UPLOADED_FILES as U, artifactName as a, createActionsLogger as b, createActionsCache as c, loadMainState as l, markUploaded as m, saveMainState as s, uploadRunArtifacts as u };
