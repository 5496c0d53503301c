// The QEMU command line, as data. One builder for every guest kind so that what the tests pin is
// exactly what runs; the runner only adds its control socket.
import type { Accel } from './vm-types.js'

export const QEMU_BINARY = 'qemu-system-x86_64'

/** isa-debug-exit at Unikraft's port: QEMU exits (v << 1) | 1, so 83 after a halt, 85 after a crash. */
export const DEBUG_EXIT_DEVICE = 'isa-debug-exit,iobase=0x501,iosize=0x04'

export interface HostForward {
  host: number
  guest: number
}

export interface QemuArgvInput {
  binary?: string
  accel: Accel
  memoryMiB: number
  /**
   * 'stdio': `-display none -serial stdio`, the guest's serial port alone on QEMU's stdout (no BIOS
   * text, no monitor multiplexing); 'nographic': the classic `-nographic` of the captured logs.
   */
  console: 'stdio' | 'nographic'
  kernel: string
  initrd?: string
  /** The kernel command line; omitted when empty. */
  append?: string
  hostForwards?: readonly HostForward[]
  /** A network card on QEMU user networking even without forwards (the guest reaches the host at 10.0.2.2). */
  network?: boolean
  /** Default true: gives the 83/85 exit-status hint. */
  debugExit?: boolean
  /** Default true: the guest can report a panic (QMP GUEST_PANICKED). */
  pvpanic?: boolean
  /** A QMP server on this unix socket (QEMU does not wait for the client). */
  qmpSocket?: string
  /** `-S`: start with the CPU stopped, so no event is emitted before the QMP client listens. */
  startPaused?: boolean
  /**
   * A second serial port (the guest's ttyS1) written to this file, apart from the console: the Linux
   * baseline's strace output. Needs console 'stdio' (`-nographic` would take the first `-serial` given
   * as the console).
   */
  traceFile?: string
}

/** The chardev id of the trace port. */
export const TRACE_CHARDEV = 'ukc-trace'

/** QEMU's option syntax splits on ',' and reads ',,' as a literal comma. */
const optionValue = (s: string): string => s.replaceAll(',', ',,')

export function buildQemuArgv(input: QemuArgvInput): string[] {
  const argv = [input.binary ?? QEMU_BINARY, '-accel', input.accel]
  // TCG: `max` is the only model with RDRAND (and RDSEED from about QEMU 8.1.3) that Unikraft
  // 0.17+ needs. KVM: `max` is the host's CPU with everything KVM supports.
  argv.push('-cpu', 'max', '-m', String(input.memoryMiB))
  if (input.console === 'nographic') argv.push('-nographic')
  else argv.push('-display', 'none', '-serial', 'stdio')
  if (input.traceFile !== undefined) {
    if (input.console !== 'stdio') throw new Error("buildQemuArgv: traceFile needs console 'stdio'")
    argv.push(
      '-chardev',
      `file,id=${TRACE_CHARDEV},path=${optionValue(input.traceFile)}`,
      '-serial',
      `chardev:${TRACE_CHARDEV}`
    )
  }
  argv.push('-no-reboot')
  if (input.debugExit ?? true) argv.push('-device', DEBUG_EXIT_DEVICE)
  if (input.pvpanic ?? true) argv.push('-device', 'pvpanic')
  argv.push('-kernel', input.kernel)
  if (input.initrd !== undefined) argv.push('-initrd', input.initrd)
  const fwd = input.hostForwards ?? []
  if (fwd.length > 0 || input.network) {
    const rules = fwd.map(f => `hostfwd=tcp:127.0.0.1:${f.host}-:${f.guest}`)
    argv.push('-netdev', ['user', 'id=n0', ...rules].join(','), '-device', 'virtio-net-pci,netdev=n0')
  }
  if (input.append) argv.push('-append', input.append)
  if (input.qmpSocket !== undefined) {
    argv.push('-qmp', `unix:${optionValue(input.qmpSocket)},server=on,wait=off`)
  }
  if (input.startPaused) argv.push('-S')
  return argv
}
