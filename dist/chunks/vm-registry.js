import { writeFile, readFile, rm } from 'node:fs/promises';

// Every QEMU this process started, so none outlives it: SIGINT/SIGTERM stop them all (QMP quit,
// SIGTERM, SIGKILL of their process groups), and an exit without that kills them outright. A pid
// file per VM lets another process (the action's post step, after a cancelled main step) do the same.
const running = new Set();
const SIGNALS = ['SIGINT', 'SIGTERM'];
let installed = false;
function killGroupSync(pid, signal) {
    try {
        process.kill(-pid, signal);
    }
    catch {
        // gone already
    }
}
function onExit() {
    // Only synchronous work is possible here: no time for a graceful stop.
    for (const vm of running)
        killGroupSync(vm.pid, 'SIGKILL');
}
function onSignal(signal) {
    const vms = [...running];
    void Promise.allSettled(vms.map(vm => vm.stop())).then(() => {
        uninstall();
        // We took the default action away by listening; give it back when nobody else handles the signal.
        if (process.listenerCount(signal) === 0)
            process.kill(process.pid, signal);
    });
}
const handlers = new Map(SIGNALS.map(s => [s, () => onSignal(s)]));
function install() {
    if (installed)
        return;
    installed = true;
    for (const [s, h] of handlers)
        process.on(s, h);
    process.on('exit', onExit);
}
function uninstall() {
    if (!installed)
        return;
    installed = false;
    for (const [s, h] of handlers)
        process.removeListener(s, h);
    process.removeListener('exit', onExit);
}
/** Adds a VM; returns the function that removes it once QEMU has exited. */
function registerVm(vm) {
    running.add(vm);
    install();
    return () => {
        running.delete(vm);
        if (running.size === 0)
            uninstall();
    };
}
/** Stops every registered VM (each within 2 s). */
async function stopAllVms() {
    await Promise.allSettled([...running].map(vm => vm.stop()));
}
/**
 * Pid file: the pid on the first line, then a marker (a string that only this QEMU's command line
 * holds, its QMP socket path) so a reused pid is never mistaken for our QEMU.
 */
async function writePidFile(path, pid, marker) {
    await writeFile(path, `${pid}\n${marker}\n`);
}
async function procCmdline(pid) {
    try {
        return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ');
    }
    catch {
        return null;
    }
}
async function alive(pid) {
    try {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
        // A zombie has exited; only its parent's wait is missing.
        return !/^\d+ \(.*\) Z /.test(stat);
    }
    catch {
        return false;
    }
}
async function waitGone(pid, ms) {
    const deadline = performance.now() + ms;
    while (performance.now() < deadline) {
        if (!(await alive(pid)))
            return true;
        await new Promise(r => setTimeout(r, 20));
    }
    return !(await alive(pid));
}
/**
 * Kills the VM a pid file names (SIGTERM to its process group, SIGKILL after 1 s), if it is still
 * running and still ours; removes the pid file. Safe to call when the VM is long gone.
 */
function killVmFromPidFile(path) {
    return killFromPidFile(path, { program: 'qemu', group: true });
}
/**
 * The same for any process of ours a pid file names: `program` must appear in its command line (as
 * must the file's marker), and `group` kills its whole process group (QEMU leads its own).
 */
async function killFromPidFile(path, o) {
    const kill = (pid, signal) => {
        if (o.group)
            return killGroupSync(pid, signal);
        try {
            process.kill(pid, signal);
        }
        catch {
            // gone already
        }
    };
    let text;
    try {
        text = await readFile(path, 'utf8');
    }
    catch {
        return { killed: false, pid: null, detail: `no pid file at ${path}` };
    }
    const [pidText, marker] = text.split('\n');
    const pid = Number(pidText);
    if (!Number.isInteger(pid) || pid <= 1) {
        await rm(path, { force: true });
        return { killed: false, pid: null, detail: `pid file ${path} holds no pid` };
    }
    const cmdline = await procCmdline(pid);
    const ours = cmdline !== null && cmdline.includes(o.program) && (!marker || cmdline.includes(marker));
    if (!ours || !(await alive(pid))) {
        await rm(path, { force: true });
        return { killed: false, pid, detail: `process ${pid} is not running (or is not our ${o.program})` };
    }
    kill(pid, 'SIGTERM');
    let gone = await waitGone(pid, 1000);
    if (!gone) {
        kill(pid, 'SIGKILL');
        gone = await waitGone(pid, 1000);
    }
    await rm(path, { force: true });
    return gone
        ? { killed: true, pid, detail: `stopped ${o.program} ${pid}` }
        : { killed: false, pid, detail: `${o.program} ${pid} did not die` };
}

export { killVmFromPidFile as a, killFromPidFile as k, registerVm as r, stopAllVms as s, writePidFile as w };
