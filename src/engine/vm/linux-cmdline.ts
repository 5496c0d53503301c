// Kernel command line of the Linux baseline guest: serial console, reboot-on-panic (which, with
// QEMU's -no-reboot, ends QEMU at once), a quiet boot, and the generated init in the initrd.

/** Where the generated init lives in the initrd: outside the app's own tree, so its /init is kept. */
export const LINUX_INIT_PATH = '/.ukc/init'

export interface LinuxCmdlineInput {
  initPath?: string
  /** Keep the kernel's boot messages (debugging the baseline itself). */
  verbose?: boolean
  /** Appended as they are (trusted: from the product, not the user's command). */
  extra?: readonly string[]
}

export function buildLinuxCmdline(input: LinuxCmdlineInput = {}): string {
  return [
    'console=ttyS0',
    'panic=-1',
    ...(input.verbose ? [] : ['quiet']),
    `rdinit=${input.initPath ?? LINUX_INIT_PATH}`,
    ...(input.extra ?? [])
  ].join(' ')
}
