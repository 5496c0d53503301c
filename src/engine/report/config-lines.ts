// Finds lines in unikraft-compat.yml for annotations: a top-level key, and the `probes:` entry a
// probe finding is about. A line scan, not a YAML parse: it only has to point, never to interpret.
import type { Finding } from '../finding.js'

/** 1-based line of `key:` (the shallowest one), or null. */
export function configKeyLine(text: string, key: string): number | null {
  const quoted = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const re = new RegExp(`^(\\s*)["']?${quoted}["']?\\s*:`)
  let best: { line: number; indent: number } | null = null
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const m = re.exec(lines[i])
    if (m && (best === null || m[1].length < best.indent)) best = { line: i + 1, indent: m[1].length }
  }
  return best?.line ?? null
}

/**
 * The line of the `probes:` list item the finding is about (by `data.index`, else by the probe's
 * target text), else the `probes:` line itself; null when the file has no `probes:` key.
 */
export function probeEntryLine(text: string, f: Finding): number | null {
  const lines = text.split(/\r?\n/)
  const keyLine = configKeyLine(text, 'probes')
  if (keyLine === null) return null
  const keyIndent = indentOf(lines[keyLine - 1])
  const items: { line: number; text: string }[] = []
  let itemIndent = -1
  for (let i = keyLine; i < lines.length; i++) {
    const line = lines[i]
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const indent = indentOf(line)
    const isItem = trimmed === '-' || trimmed.startsWith('- ')
    if (indent < keyIndent || (indent === keyIndent && !isItem)) break
    if (isItem && (itemIndent === -1 || indent === itemIndent)) {
      itemIndent = indent
      items.push({ line: i + 1, text: line })
    } else if (items.length > 0) items[items.length - 1].text += `\n${line}`
  }
  const index = f.data?.index
  if (typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < items.length) {
    return items[index].line
  }
  for (const wanted of probeTexts(f)) {
    const hit = items.find(item => item.text.includes(wanted))
    if (hit) return hit.line
  }
  return keyLine
}

function probeTexts(f: Finding): string[] {
  const out: string[] = []
  for (const key of ['target', 'probe']) {
    const v = f.data?.[key]
    if (typeof v === 'string' && v) out.push(v)
  }
  if (f.detail) out.push(f.detail)
  return out
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length
}
