// Debian packages a `binary:` root filesystem is taken from (config key `packages`): installed
// with apt when missing, so a fresh machine can run an example built from its own binaries.
import { InfrastructureError, throwIfInterrupted } from '../errors.js'
import { detectPrivileges, privileged } from '../setup/privileges.js'
import type { EngineDeps } from './engine-deps.js'

export async function missingPackages(
  packages: readonly string[],
  deps: Pick<EngineDeps, 'runner'>
): Promise<string[]> {
  const missing: string[] = []
  for (const p of packages) {
    const r = await deps.runner.run(['dpkg-query', '-W', '-f=${Status}', p]).catch(() => null)
    if (!r || r.code !== 0 || !r.stdout.includes('install ok installed')) missing.push(p)
  }
  return missing
}

/** Installs the missing ones (`installMissing`), else an error saying who needs them (`neededBy`). */
export async function ensureHostPackages(
  packages: readonly string[],
  deps: EngineDeps,
  neededBy = 'the root filesystem'
): Promise<void> {
  const missing = await missingPackages(packages, deps)
  if (missing.length === 0) return
  if (!deps.installMissing) {
    throw new InfrastructureError(
      `${neededBy} needs the Debian packages ${missing.join(', ')}, which are not installed`,
      `apt-get install ${missing.join(' ')}`
    )
  }
  const p = await detectPrivileges(deps.runner)
  if (!p.isRoot && !p.hasSudo) {
    throw new InfrastructureError(
      `the Debian packages ${missing.join(', ')} are needed and this user cannot install them`,
      `run as root, or: sudo apt-get install ${missing.join(' ')}`
    )
  }
  deps.logger.info(`Installing ${missing.join(', ')} with apt`)
  const env = { DEBIAN_FRONTEND: 'noninteractive' }
  for (const argv of [
    ['apt-get', 'update', '-qq'],
    ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]
  ]) {
    const r = await deps.runner.run(privileged(argv, p), { env, timeoutMs: 15 * 60_000, signal: deps.signal })
    // Ended by a signal: the check stops here, it is no failed install.
    throwIfInterrupted(deps.signal, 'the package install')
    if (r.code !== 0) {
      throw new InfrastructureError(
        `'${argv.join(' ')}' failed (exit ${r.code ?? r.signal}): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`,
        'check that the Debian archive is reachable'
      )
    }
  }
}
