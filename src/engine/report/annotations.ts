// Plans GitHub annotations from findings: which level, which file and line of the app (Dockerfile,
// Kraftfile, config file), and which findings overflow GitHub's 10-per-level limit into the summary.
// A config file line comes from the resolver (where the YAML parser found the key), and only when
// the config file's value is the one that won: an overriding input is named in the message instead.
// Pure: the action hands the plan to GitHub's core toolkit, which does the escaping of the command syntax.
import type { CheckOptions } from '../config/check-options.js'
import { CONFIG_KEYS, type ConfigKey, type ConfigPath } from '../config/config-file.js'
import { inputOfKey } from '../config/sources.js'
import type { Finding } from '../finding.js'
import { findingTitle } from './finding-titles.js'
import { dockerfileLineFor } from './dockerfile-lines.js'
import { stripAnsi, truncateText } from './text-escape.js'

export type AnnotationLevel = 'error' | 'warning' | 'notice'

export interface PlannedAnnotation {
  level: AnnotationLevel
  title: string
  message: string
  /** Path as the caller gave it (relative to the workspace for GitHub to link it). */
  file?: string
  startLine?: number
  startColumn?: number
}

export interface AnnotationContext {
  dockerfile?: string
  kraftfile?: string
  configFile?: string
  /** The Dockerfile's text, to find the line a finding maps to; without it the file is named without a line. */
  dockerfileText?: string
  /**
   * The resolved options: which source won each option, where the config file holds each key, and
   * the probes. Without them the config file is named without a line.
   */
  options?: Pick<CheckOptions, 'origins' | 'probes'>
}

/** Where an annotation points, and what its message adds about where the value came from. */
interface Placement {
  file?: string
  startLine?: number
  startColumn?: number
  /** `Set by input 'memory', which overrides ...`: the value that won did not come from the file. */
  via?: string
}

/** Findings about one option, beyond the config and probe families (whose key the finding names). */
const FINDING_KEYS: Readonly<Record<string, ConfigKey>> = {
  'memory.out-of-memory': 'memory',
  'config.empty-argument': 'cmd'
}

/** GitHub shows at most 10 errors and 10 warnings per step (and notices alike). */
export const MAX_ANNOTATIONS_PER_LEVEL = 10
const MAX_MESSAGE = 4000

export function planAnnotations(
  findings: readonly Finding[],
  ctx: AnnotationContext = {}
): { annotations: PlannedAnnotation[]; overflow: Finding[] } {
  const annotations: PlannedAnnotation[] = []
  const overflow: Finding[] = []
  const used: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 }
  for (const f of findings) {
    const level = annotationLevel(f)
    if (!level) continue
    if (used[level] >= MAX_ANNOTATIONS_PER_LEVEL) {
      overflow.push(f)
      continue
    }
    used[level]++
    const { via, ...at } = placement(f, ctx)
    annotations.push({ level, title: findingTitle(f), message: annotationMessage(f, via), ...at })
  }
  return { annotations, overflow }
}

/** Errors and warnings as such; an allowed error as a notice; plain notes (the banner) not at all. */
export function annotationLevel(f: Finding): AnnotationLevel | null {
  if (f.allowed) return 'notice'
  if (f.severity === 'error') return 'error'
  if (f.severity === 'warning') return 'warning'
  return null
}

function annotationMessage(f: Finding, via: string | undefined): string {
  const where =
    f.line !== null ? ` (${f.source === 'console' ? 'console log' : f.source} line ${f.line})` : ''
  const parts = [`Evidence${where}: ${stripAnsi(f.evidence).trim()}`, `Hint: ${stripAnsi(f.hint).trim()}`]
  if (f.allowed) parts.unshift('Accepted by the allow-list (a known limitation).')
  if (via) parts.push(via)
  return truncateText(parts.join('\n'), MAX_MESSAGE)
}

function placement(f: Finding, ctx: AnnotationContext): Placement {
  const family = f.id.split('.')[0]
  if (family === 'loader' && ctx.dockerfile) {
    const line = ctx.dockerfileText !== undefined ? dockerfileLineFor(ctx.dockerfileText, f) : null
    return line === null ? { file: ctx.dockerfile } : { file: ctx.dockerfile, startLine: line }
  }
  if (family === 'probe' || f.source === 'probe') {
    return configPlacement({ key: 'probes', item: probeItem(f, ctx) }, ctx, true)
  }
  const fixedKey = FINDING_KEYS[f.id]
  if (fixedKey) return configPlacement({ key: fixedKey, item: null }, ctx, false)
  if (family === 'config') {
    const path = configPathOf(typeof f.data?.key === 'string' ? f.data.key : (f.detail ?? ''))
    // A finding about something the file has no key for (the config file itself): the file.
    if (path === null) return ctx.configFile ? { file: ctx.configFile } : {}
    return configPlacement(path, ctx, true)
  }
  if ((family === 'kraft' || family === 'entry') && ctx.kraftfile) return { file: ctx.kraftfile }
  return {}
}

/**
 * The config file's line of `key` (or of its list item) when the file's value won; nothing when
 * the default won; when an input overrode the file's key, no file and the input named instead.
 */
function configPlacement(
  path: { key: ConfigKey; item: ConfigPath | null },
  ctx: AnnotationContext,
  fileWithoutOrigins: boolean
): Placement {
  const file = ctx.configFile
  if (!file) return {}
  const origins = ctx.options?.origins
  if (!origins) return fileWithoutOrigins ? { file } : {}
  const { sources, configPositions } = origins
  const keyAt = configPositions[path.key]
  if (sources[path.key] === 'config') {
    const at = (path.item !== null ? configPositions[path.item] : undefined) ?? keyAt
    return at ? { file, startLine: at.line, startColumn: at.column } : { file }
  }
  const input = inputOfKey(path.key)
  if (sources[path.key] === 'input' && input !== null && keyAt) {
    return {
      via: `Set by input '${input}', which overrides config key '${path.key}' (${file}:${keyAt.line}).`
    }
  }
  return {}
}

/** The `probes[i]` entry a probe finding is about: by `data.index`, else by the probe's target. */
function probeItem(f: Finding, ctx: AnnotationContext): ConfigPath | null {
  const probes = ctx.options?.probes ?? []
  const index = f.data?.index
  if (typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < probes.length) {
    return `probes[${index}]`
  }
  const wanted = [f.data?.target, f.data?.probe, f.detail].filter((v): v is string => typeof v === 'string')
  const i = probes.findIndex(p => wanted.includes(p.target))
  return i < 0 ? null : `probes[${i}]`
}

/**
 * The config key a finding names: `memory`, `probes[1]`, a label `config key 'probes[1]' (file:7)`,
 * or an input (`probe[2]` is the input of `probes`, counted from 1); null when it names no key.
 */
function configPathOf(name: string): { key: ConfigKey; item: ConfigPath | null } | null {
  const text = /^config key '([^']+)'/.exec(name)?.[1] ?? name.trim()
  const m = /^([a-z][a-z-]*)(?:\[(\d+)\])?$/.exec(text)
  if (!m) return null
  if (m[1] === 'probe') return { key: 'probes', item: null }
  const key = CONFIG_KEYS.find(k => k === m[1])
  if (key === undefined) return null
  return { key, item: m[2] === undefined ? null : `${key}[${Number(m[2])}]` }
}
