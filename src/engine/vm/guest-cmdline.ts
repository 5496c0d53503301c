// The kernel command line of a guest, checked before anything starts: the Linux baseline's fixed
// one (its command travels as initrd data), or Unikraft's with the app's command and environment.
import { ConfigurationError } from '../errors.js'
import type { Logger } from '../logger.js'
import { buildLinuxCmdline } from './linux-cmdline.js'
import { validateLinuxInitInput } from './linux-init.js'
import { buildUnikraftCmdline } from './unikraft-cmdline.js'
import type { VmSpec } from './vm-types.js'

/** One argv string on Linux: 32 pages with its NUL (MAX_ARG_STRLEN); QEMU gets `-append` as one. */
export const MAX_APPEND_BYTES = 131_071

export function guestCmdline(spec: VmSpec, network: boolean, log: Logger): string {
  if (spec.guest === 'linux') {
    validateLinuxInitInput({ cmd: spec.cmd, env: spec.env, cwd: spec.cwd })
    return buildLinuxCmdline()
  }
  const built = buildUnikraftCmdline({
    mode: spec.initrd !== undefined ? 'elfloader' : 'native',
    cmd: spec.cmd,
    env: spec.env,
    network
  })
  // The pipeline reports these as `config.empty-argument` findings; here they are for the log.
  for (const w of built.warnings) log.info(w)
  // The whole command line is one argument of QEMU's, and Linux takes none longer (MAX_ARG_STRLEN).
  const bytes = Buffer.byteLength(built.cmdline)
  if (bytes > MAX_APPEND_BYTES) {
    throw new ConfigurationError(
      'cmd',
      `Input 'cmd' (with 'env') must fit a Unikraft command line of at most ${MAX_APPEND_BYTES} bytes, got ${bytes} bytes: put long arguments in a file of the root filesystem instead`
    )
  }
  return built.cmdline
}
