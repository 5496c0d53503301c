import { i as info, w as warning } from './chunks/core.js';
import { join } from 'node:path';
import { t as toError } from './chunks/errors.js';
import { R as RUN_FILES, l as listRunFiles } from './chunks/run-files.js';
import { r as removeScratchDirs } from './chunks/scratch.js';
import 'node:child_process';
import 'node:crypto';
import 'node:fs';
import 'node:fs/promises';
import 'node:os';
import { a as killVmFromPidFile, k as killFromPidFile } from './chunks/vm-registry.js';
import 'node:string_decoder';
import 'node:zlib';
import 'node:stream/promises';
import './chunks/cpio-batch-sink.js';
import 'node:net';
import { l as loadMainState, c as createActionsLogger } from './chunks/state.js';
import { uploadRunArtifacts } from './chunks/artifacts.js';
import { c as createActionsCache } from './chunks/cache-store.js';
import 'os';
import 'crypto';
import 'fs';
import 'path';
import 'http';
import 'https';
import 'net';
import 'tls';
import 'events';
import 'assert';
import 'util';
import 'node:assert';
import 'node:http';
import 'node:stream';
import 'node:buffer';
import 'node:util';
import 'node:querystring';
import 'node:events';
import 'node:diagnostics_channel';
import 'node:tls';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:worker_threads';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'string_decoder';
import 'child_process';
import 'timers';

// The action's post step (runs always, also after a failed or cancelled main): stops any VM main
// left, uploads the logs main did not get to, and saves caches. Its own problems are warnings only.
async function runPost() {
    const logger = createActionsLogger();
    try {
        const { state, uploaded } = loadMainState();
        if (!state) {
            info('unikraft-compat: main did not start a check; nothing to clean up');
            return;
        }
        for (const pidFile of [
            join(state.outDir, RUN_FILES.qemuPid),
            join(state.outDir, RUN_FILES.baselineDir, RUN_FILES.qemuPid)
        ]) {
            const k = await killVmFromPidFile(pidFile);
            if (k.killed)
                warning(`stopped a VM main left running (pid ${k.pid})`);
        }
        // A main killed during its Docker build leaves the client (and the build) running.
        const build = await killFromPidFile(join(state.outDir, RUN_FILES.dockerBuildPid), {
            program: 'docker',
            group: false
        });
        if (build.killed)
            warning(`stopped a docker build main left running (pid ${build.pid})`);
        await removeScratchDirs(process.env.RUNNER_TEMP);
        if (state.uploadLogs && !uploaded) {
            info('unikraft-compat: main did not upload its logs (cancelled or failed); uploading them now');
            await uploadRunArtifacts({ name: state.artifactName, dir: state.outDir, files: await listRunFiles(state.outDir) }, logger);
        }
        if (state.persist.length > 0) {
            const cache = createActionsCache(logger);
            for (const p of state.persist)
                await cache.save(p.paths, p.key);
        }
    }
    catch (thrown) {
        warning(`unikraft-compat post step: ${toError(thrown).message}`);
    }
}

// Entry point of the action's post step (always runs, even after a failed or cancelled main).
await runPost();
