// What a front (the action or the CLI) hands the engine: effects, caches, and its policies.
import type { Clock } from '../clock.js'
import type { CommandRunner } from '../command-runner.js'
import type { Logger } from '../logger.js'
import type { Downloader, PersistentCache, ToolCache } from '../setup/tool-cache.js'

export type Phase = 'setup' | 'build' | 'boot' | 'probes' | 'diagnose' | 'baseline' | 'trace'

export interface ProgressEvent {
  phase: Phase
  state: 'start' | 'done' | 'failed'
  /** What is happening, for a person: "building the root filesystem from Dockerfile". */
  message: string
  /** ms the phase took (done / failed). */
  elapsedMs?: number
}

export interface EngineDeps {
  logger: Logger
  runner: CommandRunner
  clock: Clock
  /** Kernels, busybox and other downloads are kept here across runs. */
  cacheDir: string
  /** Scratch space for the root filesystem tree and initrd, removed after the run (default: the OS temp dir). */
  tempDir?: string
  toolCache: ToolCache
  persistentCache: PersistentCache
  download: Downloader
  /** Install missing system packages (QEMU, busybox, the app's packages) with apt. */
  installMissing: boolean
  /**
   * When no Unikraft kernel can be had (no `kernel`, unikraft.org unreachable): `linux` runs the
   * check on the Linux baseline and says so (the CLI on a laptop); `error` gives an error verdict
   * (the action: a CI check must not quietly test something else).
   */
  kernelFallback: 'linux' | 'error'
  progress?: (e: ProgressEvent) => void
  /** Aborts the run (SIGINT, cancellation): the VM is stopped and the result still written. */
  signal?: AbortSignal
}
