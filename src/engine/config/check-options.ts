// The fully resolved, validated options of one check: what the engine runs on.
import type { AccelRequest, GuestKind, PortForward } from '../vm/vm-types.js'
import type { KernelStore } from '../kraft/kernel-store.js'
import type { ProbeSpec } from '../probe/probe-types.js'
import type { ConfigKey, ConfigPath, ConfigPosition } from './config-file.js'
import type { ServiceSpec } from './services.js'

export type BaselineMode = 'auto' | 'always' | 'never'
/** When to trace both sides: auto (the Unikraft run failed and a trace kernel exists), always, never. */
export type TraceMode = 'auto' | 'always' | 'never'
export type FailOn = 'error' | 'never'
export type RunnerKind = 'qemu' | 'kraft'

/** Where an option's value came from: an input (or CLI option), the config file, or the default. */
export type ValueSource = 'input' | 'config' | 'default'

/** Where the options came from, recorded by the resolver (for annotations and messages). */
export interface OptionOrigins {
  /** The source that won, per config key (an input overrides the config file, which overrides the default). */
  sources: Record<ConfigKey, ValueSource>
  /** Where the config file holds each key and list item (`probes[1]`), whether or not its value won. */
  configPositions: Partial<Record<ConfigPath, ConfigPosition>>
}

export interface CheckOptions {
  appDir: string
  /** The directory relative to the workspace (`library/redis/7.2`): the app's name in reports, the matrix row, the artifact name. */
  appId: string
  configFile: string | null
  origins: OptionOrigins
  dockerfile: string | null
  kraftfile: string | null
  rootfs: string | null
  buildArgs: Record<string, string>
  target: string | null
  /** null: take the image's ENTRYPOINT + CMD (or the Kraftfile's cmd). */
  cmd: string[] | null
  env: Record<string, string>
  workdir: string | null
  guest: GuestKind
  unikraftVersion: string
  /** The version was asked for (input or config), not a default: it is never swapped for the Linux baseline. */
  unikraftVersionGiven: boolean
  kernel: string | null
  /** The kernel store to take pinned versions from (already read and checked), or null. */
  kernelStore: KernelStore | null
  kraftkitVersion: string
  arch: 'x86_64'
  memoryMiB: number
  ports: PortForward[]
  /** Parsed and validated probes (parseProbe). */
  probes: ProbeSpec[]
  runner: RunnerKind
  timeoutMs: number
  accel: AccelRequest
  baseline: BaselineMode
  trace: TraceMode
  allow: string[]
  artifactName: string | null
  uploadLogs: boolean
  failOn: FailOn
  /** Files added to the root filesystem, `SRC:DEST` (SRC relative to the app directory). */
  files: string[]
  /** Debian packages the `binary:` root filesystem is taken from (installed when missing). */
  packages: string[]
  /** Host-side services started before boot (e.g. the HTTP server curl fetches from). */
  services: ServiceSpec[]
}
