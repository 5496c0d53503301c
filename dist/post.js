import { i as info } from './chunks/core.js';
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
import 'node:net';
import 'node:http';
import 'node:stream';
import 'node:buffer';
import 'node:util';
import 'node:querystring';
import 'node:events';
import 'node:diagnostics_channel';
import 'node:tls';
import 'node:zlib';
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

async function runPost() {
    const { DefaultArtifactClient } = await import('./chunks/artifact.js');
    const c = await import('./chunks/cache.js');
    info(String(typeof DefaultArtifactClient) + typeof c.saveCache);
}

// Entry point of the action's post step (always runs, even after a failed or cancelled main).
await runPost();
