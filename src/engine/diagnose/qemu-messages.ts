// QEMU's own messages (its stderr, or the console when QEMU wrote there): KVM that does not work,
// a kernel file it could not open or boot, and its other fatal errors.

export type QemuMessage =
  | { kind: 'vmm.kvm-unusable'; detail: string }
  | { kind: 'vmm.kernel-not-found'; detail: string }
  /** QEMU opened the kernel but cannot boot it: reported as boot.no-output with this detail. */
  | { kind: 'kernel-invalid'; detail: string }
  | { kind: 'vmm.qemu-error'; detail: string }
  /** Expected noise: our own SIGTERM, QEMU's warnings. */
  | { kind: 'ignore' }

const KVM_ACCESS = /(?:Could not access KVM kernel module|failed to initialize kvm): ([^\n]{1,120})/i
const KVM_MSR = /failed to set MSR(?: (0x[0-9a-fA-F]{1,16}))?/i
const KVM_BROKEN = /KVM internal error|KVM: entry failed|kvm run failed|emulation failure/i
const DEV_KVM = /\/dev\/kvm[^\n]{0,40}?(Permission denied|No such file or directory|Operation not permitted)/
const KERNEL_NOT_FOUND = /could not (?:open|load) kernel(?: file)? '([^'\n]{0,4096})'/i
const KERNEL_INVALID =
  /Error while loading elf kernel|Error loading uncompressed kernel without PVH ELF Note|linux kernel too old to load a ram disk|invalid kernel header|Cannot load x86-64 image, give a 32bit one|multiboot knows VBE/i
const QEMU_PREFIX = /^qemu(?:-system-[\w-]{1,32})?: ([^\n]{1,300})/
// Cheap gate: every message below mentions one of these.
const MAY_BE_QEMU = /kvm|msr|emulation|kernel|^qemu/i
const NOISE = /terminating on signal|^warning:|: warning:/i

/** What a QEMU message line means, or null for a line QEMU did not write. */
export function classifyQemuMessage(text: string): QemuMessage | null {
  const t = text.trim()
  if (!MAY_BE_QEMU.test(t)) return null
  const access = KVM_ACCESS.exec(t)
  if (access) return { kind: 'vmm.kvm-unusable', detail: access[1].trim() }
  const msr = KVM_MSR.exec(t)
  if (msr)
    return { kind: 'vmm.kvm-unusable', detail: msr[1] ? `failed to set MSR ${msr[1]}` : 'failed to set MSR' }
  const broken = KVM_BROKEN.exec(t)
  if (broken) return { kind: 'vmm.kvm-unusable', detail: broken[0] }
  const dev = DEV_KVM.exec(t)
  if (dev) return { kind: 'vmm.kvm-unusable', detail: `/dev/kvm: ${dev[1]}` }
  const missing = KERNEL_NOT_FOUND.exec(t)
  if (missing) return { kind: 'vmm.kernel-not-found', detail: missing[1] }
  const invalid = KERNEL_INVALID.exec(t)
  if (invalid) return { kind: 'kernel-invalid', detail: t.replace(/^qemu(?:-system-[\w-]{1,32})?: /, '') }
  const qemu = QEMU_PREFIX.exec(t)
  if (qemu) return NOISE.test(t) ? { kind: 'ignore' } : { kind: 'vmm.qemu-error', detail: qemu[1] }
  return null
}
