// KVM on GitHub's Linux runners: /dev/kvm is root:kvm 0660 there, so add the udev rule that opens it
// to the runner user. Whether KVM then really works is the microVM runner's call (it boots to prove it
// and falls back to TCG); here every failure is only a warning.
import { constants } from 'node:fs'
import { access, mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { CommandRunner } from '../command-runner.js'
import type { Logger } from '../logger.js'
import { detectPrivileges, privileged, type Privileges } from './privileges.js'

export const KVM_DEVICE = '/dev/kvm'
export const KVM_UDEV_RULE_PATH = '/etc/udev/rules.d/99-kvm4all.rules'
/** The rule GitHub documents for hosted runners (domain facts, section 5). */
export const KVM_UDEV_RULE = 'KERNEL=="kvm", GROUP="kvm", MODE="0666", OPTIONS+="static_node=kvm"\n'

export type KvmStep =
  { kind: 'write-file'; path: string; content: string; mode: number } | { kind: 'run'; argv: string[] }

/**
 * The steps, as data: the rule is written by this process (never `tee` through a shell); without
 * root it is written to `stagingPath` and put in place with `sudo -n install`.
 */
export function kvmUdevSetupArgv(p: Pick<Privileges, 'isRoot'>, opts: { stagingPath: string }): KvmStep[] {
  const write: KvmStep[] = p.isRoot
    ? [{ kind: 'write-file', path: KVM_UDEV_RULE_PATH, content: KVM_UDEV_RULE, mode: 0o644 }]
    : [
        { kind: 'write-file', path: opts.stagingPath, content: KVM_UDEV_RULE, mode: 0o644 },
        { kind: 'run', argv: privileged(['install', '-m', '0644', opts.stagingPath, KVM_UDEV_RULE_PATH], p) }
      ]
  return [
    ...write,
    { kind: 'run', argv: privileged(['udevadm', 'control', '--reload-rules'], p) },
    { kind: 'run', argv: privileged(['udevadm', 'trigger', '--name-match=kvm'], p) }
  ]
}

export interface KvmDeps {
  runner: CommandRunner
  logger: Logger
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  privileges?: Privileges
  /** Where the non-root staging copy of the rule goes (default: os tmp via RUNNER_TEMP). */
  tmpDir?: string
  /** For tests: the device to check (default /dev/kvm). */
  device?: string
}

export interface KvmSetupResult {
  /** Whether the udev rule was (tried to be) installed. */
  attempted: boolean
  /** Whether this user can now open the device read-write. */
  accessible: boolean
  detail: string
}

async function canOpenReadWrite(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK | constants.W_OK)
    return true
  } catch {
    return false
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK)
    return true
  } catch {
    return false
  }
}

/** Opens /dev/kvm to the runner user on GitHub Linux runners; a no-op elsewhere. Never throws. */
export async function enableKvmForRunner(deps: KvmDeps): Promise<KvmSetupResult> {
  const env = deps.env ?? process.env
  const device = deps.device ?? KVM_DEVICE
  if (env.GITHUB_ACTIONS !== 'true')
    return { attempted: false, accessible: false, detail: 'not a GitHub Actions runner' }
  if ((deps.platform ?? process.platform) !== 'linux') {
    return { attempted: false, accessible: false, detail: 'not a Linux runner' }
  }
  if (!(await exists(device))) {
    return {
      attempted: false,
      accessible: false,
      detail: `${device} does not exist (arm runners have no KVM)`
    }
  }
  if (await canOpenReadWrite(device))
    return { attempted: false, accessible: true, detail: `${device} is already usable` }
  try {
    const p = deps.privileges ?? (await detectPrivileges(deps.runner))
    if (!p.isRoot && !p.hasSudo) {
      deps.logger.warning(
        `cannot open ${device} and have no passwordless sudo to add the udev rule; KVM stays off`
      )
      return { attempted: false, accessible: false, detail: 'no root and no passwordless sudo' }
    }
    const stagingDir = join(deps.tmpDir ?? env.RUNNER_TEMP ?? '/tmp', `unikraft-compat-kvm-${process.pid}`)
    const steps = kvmUdevSetupArgv(p, { stagingPath: join(stagingDir, '99-kvm4all.rules') })
    try {
      for (const step of steps) {
        if (step.kind === 'write-file') {
          await mkdir(dirname(step.path), { recursive: true })
          await writeFile(step.path, step.content, { mode: step.mode })
          continue
        }
        const r = await deps.runner.run(step.argv, { timeoutMs: 30_000 })
        if (r.code !== 0) {
          const why = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')
          deps.logger.warning(
            `'${step.argv.join(' ')}' failed (exit ${r.code ?? r.signal}): ${why}; KVM may stay off`
          )
          return {
            attempted: true,
            accessible: await canOpenReadWrite(device),
            detail: `${step.argv.join(' ')} failed`
          }
        }
      }
    } finally {
      await rm(stagingDir, { recursive: true, force: true })
    }
    // udev applies the mode asynchronously after the trigger; give it a moment.
    for (let i = 0; i < 20; i++) {
      if (await canOpenReadWrite(device))
        return { attempted: true, accessible: true, detail: 'udev rule installed' }
      await new Promise(r => setTimeout(r, 100))
    }
    deps.logger.warning(`added the udev rule for ${device} but it is still not writable; KVM may stay off`)
    return { attempted: true, accessible: false, detail: 'rule installed, device still not writable' }
  } catch (err) {
    deps.logger.warning(`could not open ${device} for this user: ${(err as Error).message}; KVM may stay off`)
    return { attempted: true, accessible: await canOpenReadWrite(device), detail: (err as Error).message }
  }
}
