// A kernel store: a directory of prebuilt Unikraft kernels and a `manifest.json` that pins each one
// (version, variant, file, sha256, bytes, the sources it was built from). A pinned `unikraft-version`
// the store holds boots that kernel, verified before every boot, without KraftKit, network or
// toolchain; everything else keeps the KraftKit path. docs/setup.md ("Kernel stores") has the format.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { ConfigurationError, describeInput, InfrastructureError } from '../errors.js'
import { compareVersions } from '../setup/version-compare.js'

export const STORE_MANIFEST = 'manifest.json'

export interface StoredKernel {
  version: string
  /** `net` (lwip + virtio-net) or `trace` (`net` plus one console line per system call). */
  variant: string
  /** Relative to the store directory. */
  file: string
  sha256: string
  bytes: number
  sources: { repo: string; ref: string; commit: string }[]
  /** The Kconfig options file it was built with, relative to the store. */
  config: string
}

export interface KernelStore {
  dir: string
  kernels: StoredKernel[]
}

const VERSION = /^\d+\.\d+\.\d+$/
const SHA256 = /^[0-9a-f]{64}$/

/** Reads and checks `<dir>/manifest.json`; a mistake in it names the store input and the entry. */
export function readKernelStore(dir: string, input = 'kernel-store'): KernelStore {
  const path = join(dir, STORE_MANIFEST)
  const bad = (why: string): ConfigurationError =>
    new ConfigurationError(
      input,
      `${describeInput(input)} must be a directory with a ${STORE_MANIFEST} listing kernels ({ "kernels": [{ "version", "variant", "file", "sha256", "bytes", "sources", "config" }] }), got '${dir}': ${why}`
    )
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw bad('no such directory')
  if (!existsSync(path)) throw bad(`no ${STORE_MANIFEST}`)
  let doc: unknown
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw bad(`${STORE_MANIFEST} is not JSON (${(e as Error).message})`)
  }
  const list = (doc as { kernels?: unknown } | null)?.kernels
  if (!Array.isArray(list)) throw bad(`${STORE_MANIFEST} has no "kernels" list`)
  const kernels = list.map((k: unknown, i): StoredKernel => {
    const e = k as Partial<StoredKernel> | null
    const where = `kernels[${i}]`
    if (!e || typeof e !== 'object') throw bad(`${where} is not an object`)
    if (typeof e.version !== 'string' || !VERSION.test(e.version))
      throw bad(`${where}.version must be like 0.16.3`)
    if (typeof e.variant !== 'string' || !/^[a-z][a-z0-9-]*$/.test(e.variant))
      throw bad(`${where}.variant must be a name like net or trace`)
    if (
      typeof e.file !== 'string' ||
      e.file === '' ||
      e.file.startsWith('/') ||
      e.file.split('/').includes('..')
    )
      throw bad(`${where}.file must be a path inside the store`)
    if (typeof e.sha256 !== 'string' || !SHA256.test(e.sha256))
      throw bad(`${where}.sha256 must be 64 hex digits`)
    if (!Number.isSafeInteger(e.bytes) || (e.bytes as number) <= 0)
      throw bad(`${where}.bytes must be a positive size`)
    const sources = Array.isArray(e.sources) ? e.sources : []
    if (
      sources.length === 0 ||
      !sources.every(
        s =>
          s &&
          typeof s.repo === 'string' &&
          typeof s.ref === 'string' &&
          /^[0-9a-f]{40}$/.test(String(s.commit))
      )
    )
      throw bad(`${where}.sources must list { repo, ref, commit } with 40-hex commits`)
    if (typeof e.config !== 'string') throw bad(`${where}.config must name the options file`)
    return e as StoredKernel
  })
  const seen = new Set<string>()
  for (const k of kernels) {
    const key = `${k.version}/${k.variant}`
    if (seen.has(key)) throw bad(`${key} is listed twice`)
    seen.add(key)
  }
  return { dir: resolve(dir), kernels }
}

/** The newest version the store has a `variant` kernel for, or null. */
export function newestStoredVersion(store: KernelStore, variant = 'net'): string | null {
  const versions = store.kernels.filter(k => k.variant === variant).map(k => k.version)
  return versions.sort(compareVersions).at(-1) ?? null
}

export function findStoredKernel(store: KernelStore, version: string, variant = 'net'): StoredKernel | null {
  return store.kernels.find(k => k.version === version && k.variant === variant) ?? null
}

/** sha256 of a file read whole (kernels are a few MB: one read beats a stream's many). */
export async function sha256File(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex')
}

/**
 * The kernel's path once its size and sha256 match the manifest. A missing or different file is an
 * infrastructure error naming it: the store was damaged or tampered with, nothing is booted.
 */
export async function verifiedKernelPath(store: KernelStore, k: StoredKernel): Promise<string> {
  const path = join(store.dir, k.file)
  const hint =
    'The kernel store no longer holds the file its manifest.json pins: restore the file (or the whole store) from its source, or rebuild it and update the manifest.'
  let bytes: number
  try {
    bytes = statSync(path).size
  } catch {
    throw new InfrastructureError(
      `Unikraft ${k.version} (${k.variant}): the kernel store's file ${path} is missing`,
      hint
    )
  }
  const digest = bytes === k.bytes ? await sha256File(path) : null
  if (digest !== k.sha256) {
    throw new InfrastructureError(
      `Unikraft ${k.version} (${k.variant}): ${path} does not match the kernel store's manifest (` +
        (digest === null ? `${bytes} bytes, expected ${k.bytes}` : `sha256 ${digest}, expected ${k.sha256}`) +
        '); refusing to boot it',
      hint
    )
  }
  return path
}
