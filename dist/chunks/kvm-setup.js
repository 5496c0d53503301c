import { constants } from 'node:fs';
import { mkdir, writeFile, rm, access } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { d as detectPrivileges, p as privileged } from './privileges.js';

// KVM on GitHub's Linux runners: /dev/kvm is root:kvm 0660 there, so add the udev rule that opens it
// to the runner user. Whether KVM then really works is the microVM runner's call (it boots to prove it
// and falls back to TCG); here every failure is only a warning.
const KVM_DEVICE = '/dev/kvm';
const KVM_UDEV_RULE_PATH = '/etc/udev/rules.d/99-kvm4all.rules';
/** The rule GitHub documents for hosted runners (domain facts, section 5). */
const KVM_UDEV_RULE = 'KERNEL=="kvm", GROUP="kvm", MODE="0666", OPTIONS+="static_node=kvm"\n';
/**
 * The steps, as data: the rule is written by this process (never `tee` through a shell); without
 * root it is written to `stagingPath` and put in place with `sudo -n install`.
 */
function kvmUdevSetupArgv(p, opts) {
    const write = p.isRoot
        ? [{ kind: 'write-file', path: KVM_UDEV_RULE_PATH, content: KVM_UDEV_RULE, mode: 0o644 }]
        : [
            { kind: 'write-file', path: opts.stagingPath, content: KVM_UDEV_RULE, mode: 0o644 },
            { kind: 'run', argv: privileged(['install', '-m', '0644', opts.stagingPath, KVM_UDEV_RULE_PATH], p) }
        ];
    return [
        ...write,
        { kind: 'run', argv: privileged(['udevadm', 'control', '--reload-rules'], p) },
        { kind: 'run', argv: privileged(['udevadm', 'trigger', '--name-match=kvm'], p) }
    ];
}
async function canOpenReadWrite(path) {
    try {
        await access(path, constants.R_OK | constants.W_OK);
        return true;
    }
    catch {
        return false;
    }
}
async function exists(path) {
    try {
        await access(path, constants.F_OK);
        return true;
    }
    catch {
        return false;
    }
}
/** Opens /dev/kvm to the runner user on GitHub Linux runners; a no-op elsewhere. Never throws. */
async function enableKvmForRunner(deps) {
    const env = deps.env ?? process.env;
    const device = deps.device ?? KVM_DEVICE;
    if (env.GITHUB_ACTIONS !== 'true')
        return { attempted: false, accessible: false, detail: 'not a GitHub Actions runner' };
    if ((deps.platform ?? process.platform) !== 'linux') {
        return { attempted: false, accessible: false, detail: 'not a Linux runner' };
    }
    if (!(await exists(device))) {
        return {
            attempted: false,
            accessible: false,
            detail: `${device} does not exist (arm runners have no KVM)`
        };
    }
    if (await canOpenReadWrite(device))
        return { attempted: false, accessible: true, detail: `${device} is already usable` };
    try {
        const p = deps.privileges ?? (await detectPrivileges(deps.runner));
        if (!p.isRoot && !p.hasSudo) {
            deps.logger.warning(`cannot open ${device} and have no passwordless sudo to add the udev rule; KVM stays off`);
            return { attempted: false, accessible: false, detail: 'no root and no passwordless sudo' };
        }
        const stagingDir = join(deps.tmpDir ?? env.RUNNER_TEMP ?? '/tmp', `unikraft-compat-kvm-${process.pid}`);
        const steps = kvmUdevSetupArgv(p, { stagingPath: join(stagingDir, '99-kvm4all.rules') });
        try {
            for (const step of steps) {
                if (step.kind === 'write-file') {
                    await mkdir(dirname(step.path), { recursive: true });
                    await writeFile(step.path, step.content, { mode: step.mode });
                    continue;
                }
                const r = await deps.runner.run(step.argv, { timeoutMs: 30_000 });
                if (r.code !== 0) {
                    const why = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ');
                    deps.logger.warning(`'${step.argv.join(' ')}' failed (exit ${r.code ?? r.signal}): ${why}; KVM may stay off`);
                    return {
                        attempted: true,
                        accessible: await canOpenReadWrite(device),
                        detail: `${step.argv.join(' ')} failed`
                    };
                }
            }
        }
        finally {
            await rm(stagingDir, { recursive: true, force: true });
        }
        // udev applies the mode asynchronously after the trigger; give it a moment.
        for (let i = 0; i < 20; i++) {
            if (await canOpenReadWrite(device))
                return { attempted: true, accessible: true, detail: 'udev rule installed' };
            await new Promise(r => setTimeout(r, 100));
        }
        deps.logger.warning(`added the udev rule for ${device} but it is still not writable; KVM may stay off`);
        return { attempted: true, accessible: false, detail: 'rule installed, device still not writable' };
    }
    catch (err) {
        deps.logger.warning(`could not open ${device} for this user: ${err.message}; KVM may stay off`);
        return { attempted: true, accessible: await canOpenReadWrite(device), detail: err.message };
    }
}

export { KVM_DEVICE, KVM_UDEV_RULE, KVM_UDEV_RULE_PATH, enableKvmForRunner, kvmUdevSetupArgv };
