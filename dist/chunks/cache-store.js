import { AsyncLocalStorage } from 'node:async_hooks';
import { t as toError } from './errors.js';

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

export { createActionsCache as c };
