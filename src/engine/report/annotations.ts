// Plans GitHub annotations from findings: which level, which file and line of the app (Dockerfile,
// Kraftfile, config file), and which findings overflow GitHub's 10-per-level limit into the summary.
// Pure: the action hands the plan to GitHub's core toolkit, which does the escaping of the command syntax.
import type { Finding } from '../finding.js'
import { findingTitle } from './finding-titles.js'
import { configKeyLine, probeEntryLine } from './config-lines.js'
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
}

export interface AnnotationContext {
  dockerfile?: string
  kraftfile?: string
  configFile?: string
  /** The texts, to find the line a finding maps to; without them the file is named without a line. */
  configText?: string
  dockerfileText?: string
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
    annotations.push({ level, title: findingTitle(f), message: annotationMessage(f), ...target(f, ctx) })
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

function annotationMessage(f: Finding): string {
  const where =
    f.line !== null ? ` (${f.source === 'console' ? 'console log' : f.source} line ${f.line})` : ''
  const parts = [`Evidence${where}: ${stripAnsi(f.evidence).trim()}`, `Hint: ${stripAnsi(f.hint).trim()}`]
  if (f.allowed) parts.unshift('Accepted by the allow-list (a known limitation).')
  return truncateText(parts.join('\n'), MAX_MESSAGE)
}

function target(f: Finding, ctx: AnnotationContext): { file?: string; startLine?: number } {
  const family = f.id.split('.')[0]
  if (family === 'loader' && ctx.dockerfile) {
    const line = ctx.dockerfileText !== undefined ? dockerfileLineFor(ctx.dockerfileText, f) : null
    return withLine(ctx.dockerfile, line)
  }
  if ((family === 'probe' || f.source === 'probe') && ctx.configFile) {
    if (ctx.configText === undefined) return { file: ctx.configFile }
    const line = probeEntryLine(ctx.configText, f)
    // No `probes:` key: the probe came from an input or an option, not from this file.
    return line === null ? {} : withLine(ctx.configFile, line)
  }
  if (family === 'config' && ctx.configFile) {
    const key = typeof f.data?.key === 'string' ? f.data.key : (f.detail ?? '')
    const line = ctx.configText !== undefined && key ? configKeyLine(ctx.configText, key) : null
    return withLine(ctx.configFile, line)
  }
  if (f.id === 'memory.out-of-memory' && ctx.configFile && ctx.configText !== undefined) {
    const line = configKeyLine(ctx.configText, 'memory')
    return line === null ? {} : withLine(ctx.configFile, line)
  }
  if ((family === 'kraft' || family === 'entry') && ctx.kraftfile) return { file: ctx.kraftfile }
  return {}
}

function withLine(file: string, line: number | null): { file: string; startLine?: number } {
  return line === null ? { file } : { file, startLine: line }
}
