// The one list of inputs and outputs. action.yml, the action's input reader and the CLI's options
// are all derived from (and tested against) this table, so they cannot drift apart.

// The table is declared `as const` so each name is a literal type: InputName, RawInputs and every
// reader derived from them make a misspelt input name a compile error (pinned by
// __tests__/engine/config/input-names.test.ts).

export interface InputDef<Name extends string = string> {
  readonly name: Name
  readonly description: string
  /** The default as documented; applied by the engine, not by action.yml, so the config file can set it. */
  readonly default?: string
  /** Accepts several lines (action) / may be repeated (CLI). */
  readonly multiline?: boolean
  /** CLI value placeholder. */
  readonly metavar: string
}

const INPUT_TABLE = [
  {
    name: 'app',
    metavar: 'DIR',
    default: '.',
    description: 'Directory of the app (its Dockerfile, Kraftfile and unikraft-compat.yml).'
  },
  {
    name: 'config',
    metavar: 'FILE',
    description: 'Config file. Default: <app>/unikraft-compat.yml when present.'
  },
  {
    name: 'rootfs',
    metavar: 'SPEC',
    description:
      'Root filesystem: a Dockerfile, a directory, a .tar/.tar.gz, a .cpio, or binary:PATH. Default: <app>/Dockerfile when present.'
  },
  {
    name: 'cmd',
    metavar: 'CMD',
    description:
      'Command to run in the guest, split like a POSIX shell splits words (quotes and backslashes, no expansion). Default: the image ENTRYPOINT + CMD.'
  },
  {
    name: 'env',
    metavar: 'K=V',
    multiline: true,
    description: 'Environment variables for the guest program, one K=V per line.'
  },
  {
    name: 'guest',
    metavar: 'KIND',
    default: 'unikraft',
    description: 'unikraft (default) or linux (the Linux baseline guest).'
  },
  {
    name: 'unikraft-version',
    metavar: 'VER',
    description:
      'latest, or a release x.y.z: booted from the kernel store when it holds that release (verified by sha256, no KraftKit, no network), else built from source with KraftKit (cached). Default: the newest release in the kernel store, else latest.'
  },
  {
    name: 'kernel',
    metavar: 'FILE',
    description:
      'A prebuilt Unikraft image (checked before use): an ELF-loader image for the root filesystem, or a native image given alone (booted as it is); skips KraftKit.'
  },
  {
    name: 'kernel-store',
    metavar: 'DIR',
    description:
      'A directory of prebuilt Unikraft kernels with a manifest.json pinning each (version, variant, file, sha256); see docs/setup.md. Default: the kernels/ directory shipped with unikraft-compat, when it has one.'
  },
  {
    name: 'kraftkit-version',
    metavar: 'VER',
    default: '0.11.6',
    description: 'KraftKit release to install.'
  },
  { name: 'arch', metavar: 'ARCH', default: 'x86_64', description: 'Guest architecture: x86_64.' },
  {
    name: 'memory',
    metavar: 'SIZE',
    default: '256M',
    description: 'Guest memory, like 256M or 1G (at least 8M).'
  },
  {
    name: 'ports',
    metavar: 'PORTS',
    multiline: true,
    description:
      'Guest TCP ports to forward (GUEST or HOST:GUEST), one per line or comma-separated. Probe ports are forwarded automatically.'
  },
  {
    name: 'probe',
    metavar: 'PROBE',
    multiline: true,
    description:
      'Probes, one per line: redis[:PORT], http:PORT/PATH, tcp:PORT, console:REGEX, exit:CODE, command:ARGV.'
  },
  {
    name: 'runner',
    metavar: 'RUNNER',
    default: 'qemu',
    description: 'qemu (default: drives QEMU directly) or kraft (kraft run).'
  },
  {
    name: 'timeout',
    metavar: 'DURATION',
    default: '60s',
    description: 'Overall deadline for a boot and its probes, like 60s, 2m or 1m30s.'
  },
  {
    name: 'accel',
    metavar: 'ACCEL',
    default: 'auto',
    description: 'auto (KVM when proven to work, else TCG), kvm or tcg.'
  },
  {
    name: 'baseline',
    metavar: 'WHEN',
    default: 'auto',
    description: 'auto (rerun on the Linux baseline when the Unikraft run fails), always or never.'
  },
  {
    name: 'trace',
    metavar: 'WHEN',
    default: 'auto',
    description:
      'auto (trace both sides, Unikraft and the Linux baseline, when the Unikraft run failed and a trace kernel exists for its version), always (trace every run) or never.'
  },
  {
    name: 'allow',
    metavar: 'IDS',
    multiline: true,
    description:
      'Finding ids accepted as known limitations (reported as notes), e.g. process.fork-unsupported.'
  },
  {
    name: 'artifact-name',
    metavar: 'NAME',
    description: 'Name of the uploaded artifact. Default: unique per app, version, guest and arch.'
  },
  {
    name: 'upload-logs',
    metavar: 'BOOL',
    default: 'true',
    description: 'Upload the logs and result.json as an artifact: true or false.'
  },
  {
    name: 'fail-on',
    metavar: 'LEVEL',
    default: 'error',
    description: 'error (fail the step on fail or error verdicts) or never (report only).'
  }
] as const satisfies readonly InputDef[]

/** The name of an input: `'memory'`, `'fail-on'`, ... (a literal union, checked by the compiler). */
export type InputName = (typeof INPUT_TABLE)[number]['name']

/** The inputs, in action.yml's order: the literal table seen as uniform descriptors. */
export const INPUTS: readonly InputDef<InputName>[] = INPUT_TABLE

export interface OutputDef {
  readonly name: string
  readonly description: string
}

export const OUTPUTS = [
  { name: 'verdict', description: 'pass, fail or error.' },
  { name: 'findings', description: 'The findings as a JSON array.' },
  { name: 'result-file', description: 'Path of result.json.' },
  { name: 'console-log', description: 'Path of the raw console log.' },
  { name: 'unikraft-version', description: 'Unikraft version from the boot banner (empty when none).' },
  { name: 'boot-ms', description: 'Milliseconds from launch to the first console output.' },
  { name: 'ready-ms', description: 'Milliseconds from launch to the probes passing.' },
  { name: 'artifact-id', description: 'Id of the uploaded artifact.' },
  { name: 'artifact-url', description: 'URL of the uploaded artifact.' }
] as const satisfies readonly OutputDef[]

export type OutputName = (typeof OUTPUTS)[number]['name']

/** Raw inputs as strings, as the action and the CLI both receive them; absent = not given. */
export type RawInputs = Partial<Record<InputName, string>>

const INPUT_NAMES: ReadonlySet<string> = new Set(INPUTS.map(i => i.name))

/** Narrows a name read at run time (a CLI option, a key of untyped input) to an InputName. */
export function isInputName(name: string): name is InputName {
  return INPUT_NAMES.has(name)
}

/** The documented default of an input (undefined: none, or computed by the engine). */
export function inputDefault(name: InputName): string | undefined {
  return INPUTS.find(i => i.name === name)?.default
}
