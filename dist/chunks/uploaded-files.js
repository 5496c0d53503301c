import { RUN_FILES } from './run-check.js';
import 'node:fs/promises';
import 'node:os';
import 'node:path';
import './index.js';
import './errors.js';
import 'node:fs';
import 'process';
import 'buffer';
import 'node:string_decoder';
import './diagnose.js';
import './qemu-setup.js';
import 'node:crypto';
import './privileges.js';
import 'node:child_process';
import 'node:net';
import 'node:http';
import './result.js';
import './result-file.js';
import './pack-directory.js';
import 'node:stream';
import 'node:zlib';
import './cpio-writer.js';
import 'node:events';
import 'node:stream/promises';
import './command-runner.js';
import './linux-kernel.js';
import './version.js';
import './clock.js';
import './start-vm.js';

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

export { UPLOADED_FILES };
