import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { r as removeMatching } from './run-files.js';

// The check's scratch directory (the root filesystem tree, the packed initrd): made in the temp dir
// under one name pattern, removed by the check itself, and by the action's post step after a main
// step that was killed before it could clean up.
const PREFIX = 'unikraft-compat-';
/** What mkdtemp makes of PREFIX: six more characters. The run directory (`unikraft-compat/`) never matches. */
const SCRATCH = /^unikraft-compat-[A-Za-z0-9]{6}$/;
function makeScratchDir(tempDir) {
    return mkdtemp(join(tempDir, PREFIX));
}
/** Removes every scratch directory a check left in `tempDir` (the runner's RUNNER_TEMP). */
async function removeScratchDirs(tempDir) {
    return tempDir ? removeMatching(tempDir, n => SCRATCH.test(n)) : [];
}

export { makeScratchDir as m, removeScratchDirs as r };
