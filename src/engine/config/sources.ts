// Which source gives each option its value: an explicit input (or CLI option) over the config file
// over the documented default. Decided here, once: the resolver reads values through pick(), and
// CheckOptions.origins.sources records the same decision for annotations.
import { badInput } from '../errors.js'
import type { ValueSource } from './check-options.js'
import { CONFIG_KEYS, configLabel, type ConfigFile, type ConfigKey } from './config-file.js'
import { inputDefault, type InputName, type RawInputs } from './inputs.js'
import { splitList } from './units.js'

/** The input that overrides a config key: its own name, `probe` for `probes`; none for file-only keys. */
export function inputOfKey(key: ConfigKey): InputName | null {
  switch (key) {
    case 'probes':
      return 'probe'
    case 'workdir':
    case 'build-args':
    case 'target':
    case 'files':
    case 'packages':
    case 'services':
      return null
    default:
      return key
  }
}

/** The config key an input overrides (none for app and config): inputOfKey read backwards. */
function keyOfInput(name: InputName): ConfigKey | null {
  return CONFIG_KEYS.find(k => inputOfKey(k) === name) ?? null
}

/** An input counts as given when it is not blank (the action passes an empty string for "not set"). */
export function given(raw: RawInputs, name: InputName): boolean {
  const v = raw[name]
  return v !== undefined && v.trim() !== ''
}

/** The one rule of precedence: input, else config file, else default. */
export function sourceOf(raw: RawInputs, cfg: ConfigFile | null, key: ConfigKey): ValueSource {
  const input = inputOfKey(key)
  if (input !== null && given(raw, input)) return 'input'
  if (cfg && cfg.values[key] != null) return 'config'
  return 'default'
}

export function sourcesOf(raw: RawInputs, cfg: ConfigFile | null): Record<ConfigKey, ValueSource> {
  return Object.fromEntries(CONFIG_KEYS.map(k => [k, sourceOf(raw, cfg, k)])) as Record<
    ConfigKey,
    ValueSource
  >
}

/** A value with where it came from, so errors can name the input or the config key and line. */
export interface Sourced {
  value: unknown
  label: string
}

/** The value of an input and its config key, from the source that wins; undefined when it is the default. */
export function pick(raw: RawInputs, cfg: ConfigFile | null, name: InputName): Sourced | undefined {
  const key = keyOfInput(name)
  const source = key === null ? (given(raw, name) ? 'input' : 'default') : sourceOf(raw, cfg, key)
  if (source === 'input') return { value: raw[name], label: name }
  if (source === 'config' && cfg && key !== null)
    return { value: cfg.values[key], label: configLabel(cfg, key) }
  return undefined
}

export function asString(s: Sourced): string {
  if (typeof s.value === 'string') return s.value
  if (typeof s.value === 'number' || typeof s.value === 'boolean') return String(s.value)
  throw badInput(s.label, 'a single value', s.value)
}

/** A list from a multi-line / comma string or a YAML list. */
export function asList(s: Sourced, splitCommas = true): string[] {
  if (Array.isArray(s.value)) return s.value.map(v => (typeof v === 'string' ? v : String(v)))
  const text = asString(s)
  return splitCommas
    ? splitList(text)
    : text
        .split('\n')
        .map(l => l.trim())
        .filter(Boolean)
}

/** The winning value as a string, else the documented default. */
export function stringOr(raw: RawInputs, cfg: ConfigFile | null, name: InputName): string | undefined {
  const s = pick(raw, cfg, name)
  return s ? asString(s) : inputDefault(name)
}

/** How messages name the input's value: the input, or the config key and its line. */
export function labelOf(raw: RawInputs, cfg: ConfigFile | null, name: InputName): string {
  return pick(raw, cfg, name)?.label ?? name
}
