import { readdir, rm } from 'node:fs/promises';
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
    /** `runner: kraft`: what kraft itself printed. */
    kraftLog: 'kraft.log',
    /** QEMU's monitor socket, while the VM runs. */
    qmpSocket: 'qmp.sock',
    /** The Linux baseline's initrd (the app's tree plus the init), while it runs. */
    linuxInitrd: 'linux-initrd.cpio',
    /** The system-call trace of the app on the Linux baseline (strace), apart from the console. */
    strace: 'strace.log',
    baselineDir: 'baseline',
    /** The traced rerun on Unikraft's `trace` kernel: its console.log is the system-call trace. */
    unikraftTraceDir: 'unikraft-trace'
};
/** The log of host service `index` (0-based), as `services:` starts them. */
const serviceLogName = (index) => `service-${index + 1}.log`;
const SERVICE_LOG = /^service-\d+\.log$/;
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
    const ours = new Set(Object.values(RUN_FILES));
    await removeMatching(outDir, n => ours.has(n) || SERVICE_LOG.test(n));
}
/**
 * The evidence files of a run (relative to outDir), as the artifact holds them. result.json is always
 * named (the uploader skips it when a cancelled run never wrote it).
 */
async function listRunFiles(outDir) {
    const wanted = [
        RUN_FILES.console,
        RUN_FILES.qemuStderr,
        RUN_FILES.buildLog,
        RUN_FILES.manifest,
        RUN_FILES.strace
    ];
    const found = [RUN_FILES.result];
    for (const dir of ['', RUN_FILES.baselineDir, RUN_FILES.unikraftTraceDir]) {
        const names = await readdir(join(outDir, dir)).catch(() => []);
        for (const n of names) {
            if (wanted.includes(n) || SERVICE_LOG.test(n))
                found.push(dir ? `${dir}/${n}` : n);
        }
    }
    return found;
}

export { RUN_FILES as R, clearRunFiles as c, listRunFiles as l, removeMatching as r, serviceLogName as s };
