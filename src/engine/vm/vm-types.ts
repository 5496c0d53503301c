// The contract between the microVM runner and its users (probes, diagnosis, reports, fronts).

export type GuestKind = 'unikraft' | 'linux'
export type AccelRequest = 'auto' | 'kvm' | 'tcg'
export type Accel = 'kvm' | 'tcg'

export interface PortForward {
  guest: number
  /** Host port on 127.0.0.1; 0 or undefined picks a free one. */
  host?: number
}

export interface VmSpec {
  guest: GuestKind
  /** Path of the kernel image (Unikraft image, or the Linux baseline's vmlinuz). */
  kernel: string
  /** Path of the initrd (cpio, gzip allowed for linux). Absent for a native Unikraft image. */
  initrd?: string
  /** The program and its arguments (ELF loader / Linux baseline), or the app arguments (native). */
  cmd: string[]
  env: Record<string, string>
  /** Working directory inside the guest (linux baseline; Unikraft ignores it). */
  cwd?: string
  memoryMiB: number
  ports: PortForward[]
  /** Give the guest a network card even without forwarded ports (it reaches host services at 10.0.2.2). */
  network?: boolean
  accel: AccelRequest
  /** No console byte within this many ms: the boot failed (default 30 s). */
  bootTimeoutMs?: number
  /** Overall deadline from launch (default 60 s). */
  timeoutMs: number
  /** Directory where console.log, qemu-stderr.log, qmp socket etc. are written. */
  outDir: string
  /** Console log size cap in bytes (default 64 MiB). */
  consoleCap?: number
  /** Linux baseline only: directory of the extracted kernel package (modules). */
  linuxModulesDir?: string
  qemuBinary?: string
  /**
   * Linux baseline only: run the command under strace (`-f`), its output written to
   * `<outDir>/strace.log` through a second serial port, never to the console. Needs strace on the
   * host. A Unikraft guest ignores it (its trace is in its console).
   */
  trace?: boolean
}

export interface ConsoleLine {
  /** 1-based line number in the console log. */
  n: number
  /** The line as text (raw, ANSI kept, no line ending). */
  text: string
  /** ms since launch when its last byte arrived. */
  atMs: number
}

/** How the VM ended. */
export type VmEndReason =
  | 'exited' // the guest shut down / QEMU exited on its own
  | 'crashed' // the guest crashed (isa-debug-exit 85, panic line)
  | 'panicked' // QMP GUEST_PANICKED
  | 'stopped' // QMP STOP: paused on an internal error (e.g. KVM emulation failure)
  | 'killed' // stopped by us (probes done, caller asked)
  | 'deadline' // overall deadline expired
  | 'boot-timeout' // nothing printed within the boot deadline
  | 'qemu-error' // QEMU failed to start the guest (bad kernel, KVM unusable)

export interface Timeline {
  /** ms from run() to QEMU's spawn. */
  spawnMs: number | null
  firstOutputMs: number | null
  bannerMs: number | null
  readyMs: number | null
  exitMs: number | null
}

export interface VmResult {
  reason: VmEndReason
  /** QEMU's exit status (null when killed by a signal). */
  qemuExit: number | null
  qemuSignal: string | null
  /** QEMU died of a signal this runner did not send (the OOM killer, a job timeout, a person). */
  killedFromOutside: boolean
  /** The guest program's exit status when the guest reported it (linux baseline's status line). */
  guestExit: number | null
  /** isa-debug-exit hint: 'halt' (83), 'crash' (85) or null. */
  debugExit: 'halt' | 'crash' | null
  accel: Accel
  /** Why this accelerator (e.g. "KVM probe: permission denied on /dev/kvm; using TCG"). */
  accelReason: string
  qemuVersion: string | null
  qmpEvents: { event: string; atMs: number; data?: unknown }[]
  timeline: Timeline
  /** guest port -> host port actually used. */
  ports: Record<number, number>
  consoleLog: string
  qemuStderrLog: string
  consoleTruncated: boolean
  argv: string[]
  /**
   * Linux baseline only: why the guest has no network although the run asked for one (ports or
   * host services), e.g. the kernel lacks virtio-net; null when there is no such problem.
   */
  networkProblem: string | null
  /**
   * The system-call trace's file (a Linux baseline run with `trace`): complete when the guest ended
   * on its own (the init waits for strace); after a stop, what strace had written. Null when the run
   * was not traced; absent from runners that never trace.
   */
  traceFile?: string | null
}

/** A running VM as probes and the pipeline see it. */
export interface VmHandle {
  readonly hostAddress: string
  /** guest port -> host port. */
  readonly ports: Record<number, number>
  /** Called for each console line as it arrives (and for all lines so far at subscription). */
  onConsoleLine(cb: (line: ConsoleLine) => void): () => void
  /** All console text so far (ANSI kept). */
  consoleText(): string
  /** ms since launch. */
  elapsedMs(): number
  /** True once QEMU has exited. */
  readonly ended: boolean
  /** Resolves when QEMU has exited and all evidence is written. */
  readonly done: Promise<VmResult>
  /**
   * Whether the guest itself has accepted a forwarded connection to `guestPort`
   * (QEMU's `info usernet` shows it ESTABLISHED, not SYN_SENT).
   */
  guestAccepted(guestPort: number): Promise<boolean>
  /** Marks the moment the app was found ready (timeline). */
  markReady(): void
  /** Stops the VM (QMP quit, SIGTERM, SIGKILL of its process group) within 2 s. */
  stop(reason?: 'killed'): Promise<VmResult>
}
