import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { t as toError } from './errors.js';

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

export { artifactName, artifactUrl, sanitizeArtifactName, uploadRunArtifacts };
