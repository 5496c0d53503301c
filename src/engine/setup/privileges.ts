// Whether setup may change the machine: as root directly, else through passwordless `sudo -n`
// (GitHub's Linux runners have it). `-n` makes sudo fail instead of waiting for a password.
import type { CommandRunner } from '../command-runner.js'

export interface Privileges {
  isRoot: boolean
  hasSudo: boolean
}

export async function detectPrivileges(runner: CommandRunner): Promise<Privileges> {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (isRoot) return { isRoot, hasSudo: false }
  try {
    const r = await runner.run(['sudo', '-n', 'true'], { timeoutMs: 10_000 })
    return { isRoot, hasSudo: r.code === 0 }
  } catch {
    return { isRoot, hasSudo: false }
  }
}

/** Prefixes `sudo -n` when not root. */
export function privileged(argv: readonly string[], p: Pick<Privileges, 'isRoot'>): string[] {
  return p.isRoot ? [...argv] : ['sudo', '-n', ...argv]
}
