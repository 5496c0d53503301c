import { readdir, rm, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';

// The files one run leaves in its output directory, and which of them are its evidence (the artifact).
// Shared by the pipeline (result.json's `artifacts`) and the action's post step (uploads after a cancel).
/** Files of a run, relative to its outDir. */
const RUN_FILES = {
    result: 'result.json',
    console: 'console.log',
    qemuStderr: 'qemu-stderr.log',
    manifest: 'rootfs-manifest.json',
    buildLog: 'docker-build.log',
    /** While a Docker build runs: its pid, for the post step after a killed main. */
    dockerBuildPid: 'docker-build.pid',
    qemuPid: 'qemu.pid',
    baselineDir: 'baseline'
};
/** Removes the entries of `dir` whose names `match` (directories with what they hold); returns their names. */
async function removeMatching(dir, match) {
    const names = (await readdir(dir).catch(() => [])).filter(match);
    await Promise.all(names.map(n => rm(join(dir, n), { recursive: true, force: true })));
    return names;
}
/**
 * Removes what an earlier run left in the same directory (its evidence, its baseline run), so the
 * directory and the artifact hold this run's files only. Nothing else in it is touched.
 */
async function clearRunFiles(outDir) {
    const ours = new Set([...Object.values(RUN_FILES), 'linux-initrd.cpio', 'qmp.sock']);
    await removeMatching(outDir, n => ours.has(n) || /^service-\d+\.log$/.test(n));
}
/**
 * The evidence files of a run (relative to outDir), as the artifact holds them. result.json is always
 * named (the uploader skips it when a cancelled run never wrote it).
 */
async function listRunFiles(outDir) {
    const wanted = [RUN_FILES.console, RUN_FILES.qemuStderr, RUN_FILES.buildLog, RUN_FILES.manifest];
    const found = [RUN_FILES.result];
    for (const dir of ['', RUN_FILES.baselineDir]) {
        const names = await readdir(join(outDir, dir)).catch(() => []);
        for (const n of names) {
            if (wanted.includes(n) || /^service-\d+\.log$/.test(n))
                found.push(dir ? `${dir}/${n}` : n);
        }
    }
    return found;
}

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

export { RUN_FILES as R, clearRunFiles as c, listRunFiles as l, makeScratchDir as m, removeScratchDirs as r };
