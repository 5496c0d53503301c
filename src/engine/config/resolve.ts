// Turns raw inputs (action inputs or CLI options, all strings) plus the config file into one
// validated CheckOptions. Precedence: documented defaults < config file < explicit inputs.
// Every bad value raises one ConfigurationError naming the input (or config key and line).
import { existsSync, statSync } from 'node:fs'
import { basename, isAbsolute, join, relative, resolve as resolvePath, sep } from 'node:path'
import { badInput, ConfigurationError, configKeyLabel } from '../errors.js'
import { parseProbe, guestPortsOf } from '../probe/parse-probe.js'
import {
  newestStoredVersion,
  readKernelStore,
  STORE_MANIFEST,
  type KernelStore
} from '../kraft/kernel-store.js'
import type { CheckOptions } from './check-options.js'
import { loadConfigFile, type ConfigFile } from './config-file.js'
import { INPUTS, type RawInputs } from './inputs.js'
import { parseServices } from './services.js'
import { splitWordsFor } from './shell-words.js'
import {
  parseBoolean,
  parseChoice,
  parseDuration,
  parseEnvLines,
  parseMemory,
  parsePorts,
  splitList
} from './units.js'

const DEFAULTS: Record<string, string | undefined> = Object.fromEntries(INPUTS.map(i => [i.name, i.default]))

/** A value with where it came from, so errors can name the input or the config key and line. */
interface Sourced {
  value: unknown
  label: string
}

function given(raw: RawInputs, name: string): boolean {
  const v = raw[name]
  return v !== undefined && v.trim() !== ''
}

function pick(raw: RawInputs, cfg: ConfigFile | null, name: string, cfgKey = name): Sourced | undefined {
  if (given(raw, name)) return { value: raw[name], label: name }
  if (cfg && cfgKey in cfg.values && cfg.values[cfgKey] !== null) {
    return { value: cfg.values[cfgKey], label: configKeyLabel(cfgKey, cfg.path, cfg.lines[cfgKey]) }
  }
  return undefined
}

function asString(s: Sourced): string {
  if (typeof s.value === 'string') return s.value
  if (typeof s.value === 'number' || typeof s.value === 'boolean') return String(s.value)
  throw badInput(s.label, 'a single value', s.value)
}

/** A list from a multi-line / comma string or a YAML list. */
function asList(s: Sourced, splitCommas = true): string[] {
  if (Array.isArray(s.value)) return s.value.map(v => (typeof v === 'string' ? v : String(v)))
  const text = asString(s)
  return splitCommas
    ? splitList(text)
    : text
        .split('\n')
        .map(l => l.trim())
        .filter(Boolean)
}

function stringOr(raw: RawInputs, cfg: ConfigFile | null, name: string): string | undefined {
  const s = pick(raw, cfg, name)
  return s ? asString(s) : DEFAULTS[name]
}

export interface ResolveContext {
  /** Base directory for relative paths (the workspace or the current directory). */
  cwd: string
  /** The kernel store shipped with the tool (its kernels/ directory), used when it exists and none is given. */
  shippedKernelStore?: string
}

export async function resolveCheckOptions(raw: RawInputs, ctx: ResolveContext): Promise<CheckOptions> {
  for (const key of Object.keys(raw)) {
    if (!INPUTS.some(i => i.name === key)) throw new ConfigurationError(key, `Unknown input '${key}'`)
  }
  const appDir = resolvePath(ctx.cwd, raw.app?.trim() || '.')
  if (!existsSync(appDir) || !statSync(appDir).isDirectory()) {
    throw badInput('app', 'a directory holding the app (Dockerfile, unikraft-compat.yml)', raw.app ?? '.')
  }

  let configPath: string | null = null
  if (given(raw, 'config')) {
    configPath = resolvePath(ctx.cwd, raw.config!.trim())
    if (!existsSync(configPath)) throw badInput('config', 'an existing YAML file', raw.config)
  } else if (existsSync(join(appDir, 'unikraft-compat.yml'))) {
    configPath = join(appDir, 'unikraft-compat.yml')
  } else if (existsSync(join(appDir, 'unikraft-compat.yaml'))) {
    configPath = join(appDir, 'unikraft-compat.yaml')
  }
  const cfg = configPath ? await loadConfigFile(configPath) : null

  // Root filesystem: explicit, else <app>/Dockerfile.
  const dockerfileDefault = join(appDir, 'Dockerfile')
  const rootfsGiven = pick(raw, cfg, 'rootfs')
  let rootfs: string | null = rootfsGiven ? asString(rootfsGiven).trim() : null
  if (rootfs && !rootfs.startsWith('binary:')) {
    // Relative paths in the config file are relative to the app directory; inputs to the workspace.
    rootfs = resolvePath(given(raw, 'rootfs') ? ctx.cwd : appDir, rootfs)
  }
  if (!rootfs && existsSync(dockerfileDefault)) rootfs = dockerfileDefault
  const dockerfile =
    rootfs &&
    !rootfs.startsWith('binary:') &&
    /(^|\/)(Dockerfile|Containerfile)[^/]*$|\.Dockerfile$/.test(rootfs)
      ? rootfs
      : null
  const kraftfile =
    ['Kraftfile', 'kraft.yaml', 'kraft.yml'].map(f => join(appDir, f)).find(f => existsSync(f)) ?? null

  // Command: a POSIX-split string, or a list in the config file.
  let cmd: string[] | null = null
  const cmdSrc = pick(raw, cfg, 'cmd')
  if (cmdSrc) {
    if (Array.isArray(cmdSrc.value)) {
      if (!cmdSrc.value.every(v => typeof v === 'string' || typeof v === 'number')) {
        throw badInput(cmdSrc.label, 'a string or a list of strings', cmdSrc.value)
      }
      cmd = cmdSrc.value.map(String)
    } else {
      cmd = splitWordsFor(cmdSrc.label, asString(cmdSrc))
    }
    if (cmd.length === 0) throw badInput(cmdSrc.label, 'a non-empty command', cmdSrc.value)
  }

  // Environment: inputs as K=V lines; the config file as a map or a list of K=V.
  let env: Record<string, string> = {}
  const envSrc = pick(raw, cfg, 'env')
  if (envSrc) {
    // A value must be one scalar: a nested map or list would reach the guest as "[object Object]".
    const scalar = (v: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof v)
    const ENV_FORM = 'NAME: value pairs (or NAME=value lines) whose values are strings, numbers or booleans'
    if (envSrc.value && typeof envSrc.value === 'object' && !Array.isArray(envSrc.value)) {
      const entries = Object.entries(envSrc.value as Record<string, unknown>)
      const nested = entries.find(([, v]) => !scalar(v))
      if (nested) throw badInput(envSrc.label, ENV_FORM, { [nested[0]]: nested[1] })
      env = parseEnvLines(
        entries.map(([k, v]) => `${k}=${String(v)}`),
        envSrc.label
      )
    } else {
      if (Array.isArray(envSrc.value)) {
        const nested = (envSrc.value as unknown[]).find(v => !scalar(v))
        if (nested !== undefined) throw badInput(envSrc.label, ENV_FORM, nested)
      }
      env = parseEnvLines(asList(envSrc, false), envSrc.label)
    }
  }

  const guest = parseChoice(stringOr(raw, cfg, 'guest')!, labelOf(raw, cfg, 'guest'), [
    'unikraft',
    'linux'
  ] as const)
  const storeSrc = pick(raw, cfg, 'kernel-store')
  let kernelStore: KernelStore | null = null
  if (storeSrc) {
    const dir = resolvePath(given(raw, 'kernel-store') ? ctx.cwd : appDir, asString(storeSrc))
    kernelStore = readKernelStore(dir, storeSrc.label)
  } else if (ctx.shippedKernelStore && existsSync(join(ctx.shippedKernelStore, STORE_MANIFEST))) {
    kernelStore = readKernelStore(ctx.shippedKernelStore, 'kernel-store')
  }
  // A check is reproducible by default: the newest release the store pins, unless one is asked for.
  const storeDefault = kernelStore ? newestStoredVersion(kernelStore) : null
  const versionSrc = pick(raw, cfg, 'unikraft-version')
  const unikraftVersion = (versionSrc ? asString(versionSrc) : (storeDefault ?? 'latest')).trim()
  if (!/^(latest|\d+\.\d+\.\d+)$/.test(unikraftVersion)) {
    throw badInput(labelOf(raw, cfg, 'unikraft-version'), 'latest or a release like 0.18.0', unikraftVersion)
  }
  const kernelSrc = pick(raw, cfg, 'kernel')
  let kernel: string | null = null
  if (kernelSrc) {
    kernel = resolvePath(given(raw, 'kernel') ? ctx.cwd : appDir, asString(kernelSrc))
    if (!existsSync(kernel) || !statSync(kernel).isFile()) {
      throw badInput(kernelSrc.label, 'the path of an existing Unikraft kernel image', asString(kernelSrc))
    }
  }
  const kraftkitVersion = stringOr(raw, cfg, 'kraftkit-version')!.trim().replace(/^v/, '')
  if (!/^\d+\.\d+\.\d+$/.test(kraftkitVersion)) {
    throw badInput(labelOf(raw, cfg, 'kraftkit-version'), 'a KraftKit release like 0.11.6', kraftkitVersion)
  }
  const arch = parseChoice(stringOr(raw, cfg, 'arch')!, labelOf(raw, cfg, 'arch'), ['x86_64'] as const)
  const memoryMiB = parseMemory(stringOr(raw, cfg, 'memory')!, labelOf(raw, cfg, 'memory'))

  // Probes: one per line (input) or a list of strings / objects (config file).
  const probes: unknown[] = []
  if (given(raw, 'probe')) {
    raw
      .probe!.split('\n')
      .map(l => l.trim())
      .filter(Boolean)
      .forEach((p, i) => probes.push(parseProbe(p, `probe[${i + 1}]`)))
  } else if (cfg && Array.isArray(cfg.values.probes)) {
    cfg.values.probes.forEach((p, i) =>
      probes.push(
        parseProbe(
          p as string | object,
          configKeyLabel(`probes[${i}]`, cfg.path, cfg.lines[`probes[${i}]`] ?? cfg.lines.probes)
        )
      )
    )
  } else if (cfg && cfg.values.probes != null) {
    throw badInput(
      configKeyLabel('probes', cfg.path, cfg.lines.probes),
      'a list of probes',
      cfg.values.probes
    )
  }

  const portsSrc = pick(raw, cfg, 'ports')
  const ports = portsSrc ? parsePorts(asList(portsSrc), portsSrc.label) : []
  for (const g of guestPortsOf(probes as never)) {
    if (!ports.some(p => p.guest === g)) ports.push({ guest: g })
  }

  const timeoutMs = parseDuration(stringOr(raw, cfg, 'timeout')!, labelOf(raw, cfg, 'timeout'))
  const accel = parseChoice(stringOr(raw, cfg, 'accel')!, labelOf(raw, cfg, 'accel'), [
    'auto',
    'kvm',
    'tcg'
  ] as const)
  const baseline = parseChoice(stringOr(raw, cfg, 'baseline')!, labelOf(raw, cfg, 'baseline'), [
    'auto',
    'always',
    'never'
  ] as const)
  const runner = parseChoice(stringOr(raw, cfg, 'runner')!, labelOf(raw, cfg, 'runner'), [
    'qemu',
    'kraft'
  ] as const)
  const failOn = parseChoice(stringOr(raw, cfg, 'fail-on')!, labelOf(raw, cfg, 'fail-on'), [
    'error',
    'never'
  ] as const)
  const uploadLogs = parseBoolean(stringOr(raw, cfg, 'upload-logs')!, labelOf(raw, cfg, 'upload-logs'))
  const allowSrc = pick(raw, cfg, 'allow')
  const allow = allowSrc ? asList(allowSrc) : []
  for (const id of allow) {
    if (!/^[a-z]+(\.[a-z0-9-]+)+$/.test(id))
      throw badInput(allowSrc!.label, 'finding ids like process.fork-unsupported', id)
  }
  const artifactName = pick(raw, cfg, 'artifact-name')
    ? asString(pick(raw, cfg, 'artifact-name')!).trim()
    : null

  const workdirV = cfg?.values.workdir
  if (workdirV != null && (typeof workdirV !== 'string' || !workdirV.startsWith('/'))) {
    throw badInput(
      configKeyLabel('workdir', cfg!.path, cfg!.lines.workdir),
      'an absolute path inside the guest',
      workdirV
    )
  }
  const buildArgsV = cfg?.values['build-args']
  const buildArgs: Record<string, string> = {}
  if (buildArgsV != null) {
    if (typeof buildArgsV !== 'object' || Array.isArray(buildArgsV)) {
      throw badInput(
        configKeyLabel('build-args', cfg!.path, cfg!.lines['build-args']),
        'a mapping of NAME: value',
        buildArgsV
      )
    }
    for (const [k, v] of Object.entries(buildArgsV)) buildArgs[k] = String(v)
  }
  const files = listFromConfig(cfg, 'files', 'SRC:DEST entries (SRC relative to the app directory)')
  const packages = listFromConfig(cfg, 'packages', 'Debian package names')
  for (const p of packages) {
    if (!/^[a-z0-9][a-z0-9+.-]+$/.test(p))
      throw badInput(configKeyLabel('packages', cfg!.path, cfg!.lines.packages), 'Debian package names', p)
  }
  const targetV = cfg?.values.target
  const services = cfg
    ? parseServices(cfg.values.services, cfg.path, i => {
        const key = i < 0 ? 'services' : `services[${i}]`
        return configKeyLabel(key, cfg.path, cfg.lines[key] ?? cfg.lines.services)
      })
    : []

  return {
    appDir,
    appId: appIdOf(appDir, ctx.cwd),
    configFile: configPath,
    configLines: cfg?.lines ?? {},
    dockerfile,
    kraftfile,
    rootfs,
    buildArgs,
    target: typeof targetV === 'string' ? targetV : null,
    cmd,
    env,
    workdir: typeof workdirV === 'string' ? workdirV : null,
    guest,
    unikraftVersion,
    unikraftVersionGiven: versionSrc !== undefined,
    kernelStore,
    kernel,
    kraftkitVersion,
    arch,
    memoryMiB,
    ports,
    probes,
    runner,
    timeoutMs,
    accel,
    baseline,
    allow,
    artifactName,
    uploadLogs,
    failOn,
    files,
    packages,
    services
  }
}

function labelOf(raw: RawInputs, cfg: ConfigFile | null, name: string): string {
  return pick(raw, cfg, name)?.label ?? name
}

function listFromConfig(cfg: ConfigFile | null, key: string, accepted: string): string[] {
  const v = cfg?.values[key]
  if (v == null) return []
  if (!Array.isArray(v) || !v.every(x => typeof x === 'string' && x.trim() !== '')) {
    throw badInput(configKeyLabel(key, cfg!.path, cfg!.lines[key]), `a list of ${accepted}`, v)
  }
  return v.map(x => x.trim())
}

/**
 * The app's id in the matrix and in artifact names: its directory relative to the working directory
 * (the workspace), `/`-separated, as a repository names it (`library/redis/7.2`), so apps that share
 * a last component (catalog layouts end in versions) stay apart. An app outside the working
 * directory, or the working directory itself, is named by its last component.
 */
export function appIdOf(appDir: string, cwd = process.cwd()): string {
  const abs = resolvePath(cwd, appDir)
  const rel = relative(resolvePath(cwd), abs)
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return basename(abs)
  return rel.split(sep).join('/')
}
