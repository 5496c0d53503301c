// Reads unikraft-compat.yml: the same keys as the action's inputs (probes structured), checked
// against the accepted keys, with each key's line kept so errors and annotations can point at it.
import { readFile } from 'node:fs/promises'
import { isMap, isScalar, LineCounter, parseDocument, type Pair } from 'yaml'
import { ConfigurationError } from '../errors.js'
import { INPUTS } from './inputs.js'

/** Keys the config file accepts beyond the inputs (or in place of them). */
const EXTRA_KEYS = ['probes', 'workdir', 'build-args', 'target', 'files', 'packages', 'services'] as const
/** Inputs that make no sense inside the config file itself. */
const NOT_IN_FILE = new Set(['app', 'config', 'probe'])

export const CONFIG_KEYS: readonly string[] = [
  ...INPUTS.map(i => i.name).filter(n => !NOT_IN_FILE.has(n)),
  ...EXTRA_KEYS
]

export interface ConfigFile {
  path: string
  text: string
  values: Record<string, unknown>
  /** 1-based line of each top-level key, and of each item of list keys as `key[i]`. */
  lines: Record<string, number>
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
  const values: Record<string, unknown> = {}
  const lines: Record<string, number> = {}
  if (doc.contents === null) return { path, text, values, lines }
  if (!isMap(doc.contents)) {
    throw new ConfigurationError(
      'config',
      `Config file ${path} must be a mapping of keys (${CONFIG_KEYS.join(', ')})`
    )
  }
  for (const pair of doc.contents.items as Pair[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
    const line = isScalar(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : 0
    if (!CONFIG_KEYS.includes(key)) {
      throw new ConfigurationError(
        key,
        `Config file ${path}:${line} has an unknown key '${key}'; accepted keys: ${CONFIG_KEYS.join(', ')}`
      )
    }
    lines[key] = line
    const node = pair.value as { items?: { range?: [number, number, number] }[] } | null
    if (node && Array.isArray(node.items)) {
      node.items.forEach((item, i) => {
        if (item?.range) lines[`${key}[${i}]`] = lineCounter.linePos(item.range[0]).line
      })
    }
    values[key] = (pair.value as { toJSON?: () => unknown } | null)?.toJSON
      ? (pair.value as { toJSON: () => unknown }).toJSON()
      : (pair.value ?? null)
  }
  return { path, text, values, lines }
}
