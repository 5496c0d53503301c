// The QEMU program: present or a clear InfrastructureError naming the package, and its version
// (recorded with every result: TCG's CPU features depend on it). Asked once per process.
import { nodeCommandRunner, type CommandRunner } from '../command-runner.js'
import { InfrastructureError } from '../errors.js'
import { which } from '../setup/which.js'
import { QEMU_BINARY } from './qemu-argv.js'

export const QEMU_INSTALL_HINT =
  'install QEMU: sudo apt-get install -y qemu-system-x86 (Debian/Ubuntu), or set the QEMU binary path'

/** `7.2.22` from `QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)`. */
export function parseQemuVersionLine(text: string): string | null {
  return /QEMU emulator version (\d+\.\d+(?:\.\d+)?)/.exec(text)?.[1] ?? null
}

/** Keyed by the program's absolute path, so `qemu-system-x86_64` and `/usr/bin/qemu-system-x86_64` share. */
const versions = new Map<string, Promise<string | null>>()

const keyOf = (binary: string): string => which(binary) ?? binary

/** Records a version read elsewhere (setup's check) so a run does not start QEMU twice to ask. */
export function rememberQemuVersion(binary: string, version: string): void {
  versions.set(keyOf(binary), Promise.resolve(version))
}

/**
 * Runs `<binary> --version`. Throws InfrastructureError when the program cannot be run at all;
 * returns null when it runs but does not say its version.
 */
export function qemuVersion(
  binary = QEMU_BINARY,
  runner: CommandRunner = nodeCommandRunner
): Promise<string | null> {
  const key = keyOf(binary)
  let p = versions.get(key)
  if (!p) {
    p = (async () => {
      try {
        const r = await runner.run([binary, '--version'], { timeoutMs: 10_000 })
        if (r.code !== 0) {
          throw new InfrastructureError(
            `'${binary} --version' failed (${r.code ?? r.signal}): ${r.stderr.trim().split('\n')[0] ?? ''}`,
            QEMU_INSTALL_HINT
          )
        }
        return parseQemuVersionLine(r.stdout)
      } catch (e) {
        if (e instanceof InfrastructureError && e.hint) throw e
        throw new InfrastructureError(
          `QEMU is not installed or cannot run: '${binary}' (${(e as Error).message})`,
          QEMU_INSTALL_HINT,
          { cause: e }
        )
      }
    })()
    versions.set(key, p)
    // A failure is not remembered: the caller may install QEMU and try again.
    p.catch(() => versions.delete(key))
  }
  return p
}
