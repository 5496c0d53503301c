// Turns raw inputs (action inputs or CLI options, all strings) plus the config file into one
// validated CheckOptions. Precedence: documented defaults < config file < explicit inputs.
// Every bad value raises one ConfigurationError naming the input (or config key and line).
import { existsSync, statSync } from 'node:fs'
import { basename, isAbsolute, join, relative, resolve as resolvePath, sep } from 'node:path'
import { badInput, ConfigurationError } from '../errors.js'
import { parseProbe, guestPortsOf } from '../probe/parse-probe.js'
import type { ProbeSpec } from '../probe/probe-types.js'
import {
  newestStoredVersion,
  readKernelStore,
  STORE_MANIFEST,
  type KernelStore
} from '../kraft/kernel-store.js'
import type { CheckOptions } from './check-options.js'
import { configLabel, loadConfigFile } from './config-file.js'
import { fileOnlyOptions } from './file-only-keys.js'
import { isInputName, type RawInputs } from './inputs.js'
import { splitWordsFor } from './shell-words.js'
import { asList, asString, given, labelOf, pick, sourcesOf, stringOr } from './sources.js'
import { parseBoolean, parseChoice, parseDuration, parseEnvLines, parseMemory, parsePorts } from './units.js'

export interface ResolveContext {
  /** Base directory for relative paths (the workspace or the current directory). */
  cwd: string
  /** The kernel store shipped with the tool (its kernels/ directory), used when it exists and none is given. */
  shippedKernelStore?: string
}

export async function resolveCheckOptions(raw: RawInputs, ctx: ResolveContext): Promise<CheckOptions> {
  for (const key of Object.keys(raw)) {
    if (!isInputName(key)) throw new ConfigurationError(key, `Unknown input '${key}'`)
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
  // Which source won each key, decided once (sources.ts); paths from inputs are relative to cwd.
  const sources = sourcesOf(raw, cfg)

  // Root filesystem: explicit, else <app>/Dockerfile.
  const dockerfileDefault = join(appDir, 'Dockerfile')
  const rootfsGiven = pick(raw, cfg, 'rootfs')
  let rootfs: string | null = rootfsGiven ? asString(rootfsGiven).trim() : null
  if (rootfs && !rootfs.startsWith('binary:')) {
    // Relative paths in the config file are relative to the app directory; inputs to the workspace.
    rootfs = resolvePath(sources.rootfs === 'input' ? ctx.cwd : appDir, rootfs)
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
    const dir = resolvePath(sources['kernel-store'] === 'input' ? ctx.cwd : appDir, asString(storeSrc))
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
    kernel = resolvePath(sources.kernel === 'input' ? ctx.cwd : appDir, asString(kernelSrc))
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
  const probes: ProbeSpec[] = []
  if (sources.probes === 'input') {
    raw
      .probe!.split('\n')
      .map(l => l.trim())
      .filter(Boolean)
      .forEach((p, i) => probes.push(parseProbe(p, `probe[${i + 1}]`)))
  } else if (sources.probes === 'config' && cfg && Array.isArray(cfg.values.probes)) {
    cfg.values.probes.forEach((p, i) =>
      probes.push(parseProbe(p as string | object, configLabel(cfg, `probes[${i}]`, 'probes')))
    )
  } else if (sources.probes === 'config' && cfg) {
    throw badInput(configLabel(cfg, 'probes'), 'a list of probes', cfg.values.probes)
  }

  const portsSrc = pick(raw, cfg, 'ports')
  const ports = portsSrc ? parsePorts(asList(portsSrc), portsSrc.label) : []
  for (const g of guestPortsOf(probes)) {
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
  const trace = parseChoice(stringOr(raw, cfg, 'trace')!, labelOf(raw, cfg, 'trace'), [
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

  const fileOnly = fileOnlyOptions(cfg)

  return {
    appDir,
    appId: appIdOf(appDir, ctx.cwd),
    configFile: configPath,
    origins: { sources, configPositions: cfg?.positions ?? {} },
    dockerfile,
    kraftfile,
    rootfs,
    cmd,
    env,
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
    trace,
    allow,
    artifactName,
    uploadLogs,
    failOn,
    ...fileOnly
  }
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
