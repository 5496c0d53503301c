// How a VM ended, decided from the evidence: who stopped it, QMP events, QEMU's exit status and a
// few console facts. Pure, so every combination is a table row in the tests.
import type { GuestKind, VmEndReason } from './vm-types.js'

/** The Linux baseline's init prints this line with the program's exit status. */
export const GUEST_EXIT_PREFIX = 'UNIKRAFT_COMPAT_EXIT='
/** ... and this one when it starts (the Linux baseline's "banner"). */
export const GUEST_INIT_PREFIX = 'UNIKRAFT_COMPAT_INIT='

const EXIT_LINE = /^UNIKRAFT_COMPAT_EXIT=(\d{1,3})\s*$/

/** The exit status in a status line, or null for any other line. */
export function parseGuestExitLine(text: string): number | null {
  const m = EXIT_LINE.exec(text)
  return m ? Number(m[1]) : null
}

/** isa-debug-exit: Unikraft writes 41 after a halt (QEMU exits 83) and 42 on a crash (85). A hint only. */
export function debugExitHint(qemuExit: number | null): 'halt' | 'crash' | null {
  if (qemuExit === 83) return 'halt'
  if (qemuExit === 85) return 'crash'
  return null
}

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g

/** The line that marks "the kernel is up": Unikraft's banner, or the baseline init's first line. */
export function isBannerLine(text: string, guest: GuestKind): boolean {
  const t = text.replace(ANSI, '')
  if (guest === 'linux') return t.startsWith(GUEST_INIT_PREFIX)
  return (
    /Powered by/.test(t) ||
    /^\s+[A-Z][a-z]+ \d+\.\d+\.\d+~[0-9a-f]+\s*$/.test(t) ||
    /Unikraft [A-Z][a-z]+ \(\d+\.\d+\.\d+/.test(t)
  )
}

/** Console lines that mean the guest kernel itself crashed. */
export function isCrashLine(text: string): boolean {
  const t = text.replace(ANSI, '')
  return /Kernel panic - not syncing/.test(t) || /CRIT: .*\bCrashing\b/.test(t)
}

export interface EndEvidence {
  /** Set when the runner stopped the VM, with why. */
  stopCause: 'killed' | 'deadline' | 'boot-timeout' | 'stopped' | 'qemu-error' | null
  events: readonly string[]
  /** SHUTDOWN event reasons, e.g. guest-shutdown, guest-panic, host-qmp-quit. */
  shutdownReasons: readonly string[]
  qemuExit: number | null
  qemuSignal: string | null
  sawOutput: boolean
  sawCrashLine: boolean
}

export function decideEndReason(e: EndEvidence): VmEndReason {
  const panicked = e.events.includes('GUEST_PANICKED') || e.shutdownReasons.includes('guest-panic')
  if (e.stopCause === 'stopped') return panicked ? 'panicked' : 'stopped'
  if (e.stopCause) return e.stopCause
  if (panicked) return 'panicked'
  if (e.qemuExit === 85 || e.sawCrashLine) return 'crashed'
  const guestEnded = e.shutdownReasons.some(r => r.startsWith('guest-')) || e.qemuExit === 83
  if (guestEnded) return 'exited'
  // QEMU ended without the guest asking: it failed (could not load the kernel, aborted, was killed
  // by someone else) or the guest left through isa-debug-exit with an unexpected value.
  if (e.qemuSignal !== null) return 'qemu-error'
  if (e.qemuExit === 0) return 'exited'
  if (e.qemuExit !== null && e.qemuExit % 2 === 1 && e.sawOutput) return 'exited'
  return 'qemu-error'
}
