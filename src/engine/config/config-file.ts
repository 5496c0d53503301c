// Reads unikraft-compat.yml: the same keys as the action's inputs (probes structured), checked
// against the accepted keys, with where the parser found each key (line and column) kept so errors
// and annotations can point at it.
import { readFile } from 'node:fs/promises'
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml'
import { ConfigurationError, configKeyLabel } from '../errors.js'
import { INPUTS, type InputName } from './inputs.js'

/** Keys the config file accepts beyond the inputs (or in place of them). */
const EXTRA_KEYS = ['probes', 'workdir', 'build-args', 'target', 'files', 'packages', 'services'] as const
/** Inputs that make no sense inside the config file itself. */
const NOT_IN_FILE = ['app', 'config', 'probe'] as const

/** A key of the config file: an input's name (but app, config, probe) or one of the extra keys. */
export type ConfigKey = Exclude<InputName, (typeof NOT_IN_FILE)[number]> | (typeof EXTRA_KEYS)[number]
/** A key, or an item of a list key (`probes[1]`, 0-based). */
export type ConfigPath = ConfigKey | `${ConfigKey}[${number}]`

/** 1-based line and column of a key (or list item) in the config file, as the YAML parser saw it. */
export interface ConfigPosition {
  line: number
  column: number
}

export const CONFIG_KEYS: readonly ConfigKey[] = [
  ...INPUTS.map(i => i.name).filter((n): n is Exclude<InputName, (typeof NOT_IN_FILE)[number]> =>
    (NOT_IN_FILE as readonly string[]).every(x => x !== n)
  ),
  ...EXTRA_KEYS
]

function isConfigKey(key: string): key is ConfigKey {
  return (CONFIG_KEYS as readonly string[]).includes(key)
}

export interface ConfigFile {
  path: string
  text: string
  values: Partial<Record<ConfigKey, unknown>>
  /** Where each top-level key is, and each item of a list key as `key[i]`. */
  positions: Partial<Record<ConfigPath, ConfigPosition>>
}

export async function loadConfigFile(path: string): Promise<ConfigFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new ConfigurationError(
      'config',
      `Input 'config' names '${path}', which cannot be read: ${(err as Error).message}`
    )
  }
  return parseConfigText(text, path)
}

export function parseConfigText(text: string, path: string): ConfigFile {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true })
  if (doc.errors.length > 0) {
    const e = doc.errors[0]
    const line = e.linePos?.[0]?.line
    throw new ConfigurationError(
      'config',
      `Config file ${path}${line ? `:${line}` : ''} is not valid YAML: ${e.message.split('\n')[0]}`
    )
  }
  const values: ConfigFile['values'] = {}
  const positions: ConfigFile['positions'] = {}
  if (doc.contents === null) return { path, text, values, positions }
  if (!isMap(doc.contents)) {
    throw new ConfigurationError(
      'config',
      `Config file ${path} must be a mapping of keys (${CONFIG_KEYS.join(', ')})`
    )
  }
  const positionOf = (node: unknown): ConfigPosition | undefined => {
    const range = (node as Node | null)?.range
    if (!range) return undefined
    const { line, col } = lineCounter.linePos(range[0])
    return { line, column: col }
  }
  for (const pair of doc.contents.items as Pair[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
    const position = positionOf(pair.key)
    if (!isConfigKey(key)) {
      throw new ConfigurationError(
        key,
        `Config file ${path}:${position?.line ?? 0} has an unknown key '${key}'; accepted keys: ${CONFIG_KEYS.join(', ')}`
      )
    }
    if (position) positions[key] = position
    if (isSeq(pair.value)) {
      pair.value.items.forEach((item, i) => {
        const at = positionOf(item)
        if (at) positions[`${key}[${i}]`] = at
      })
    }
    values[key] = (pair.value as { toJSON?: () => unknown } | null)?.toJSON
      ? (pair.value as { toJSON: () => unknown }).toJSON()
      : (pair.value ?? null)
  }
  return { path, text, values, positions }
}

/**
 * How messages name a config value: `config key 'memory' (path:3)`, at the path's own line, else at
 * `fallback`'s (a list item's key when the item has no position).
 */
export function configLabel(cfg: ConfigFile, key: ConfigPath, fallback?: ConfigPath): string {
  const at = cfg.positions[key] ?? (fallback === undefined ? undefined : cfg.positions[fallback])
  return configKeyLabel(key, cfg.path, at?.line)
}
