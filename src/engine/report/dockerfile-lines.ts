// Finds the Dockerfile line a loader finding belongs to: the COPY/ADD of the final stage that mentions
// the file the finding is about (or the program that needs it), else the final stage's FROM line.
import { basename } from 'node:path'
import type { Finding } from '../finding.js'

export interface DockerInstruction {
  /** 1-based line where the instruction starts. */
  line: number
  keyword: string
  /** The arguments with continuations joined. */
  args: string
}

/** Logical instructions: comments and blank lines skipped, `\` (or the `# escape=` char) continuations joined. */
export function parseDockerfile(text: string): DockerInstruction[] {
  const lines = text.split(/\r?\n/)
  const escape = /^#\s*escape\s*=\s*`\s*$/im.test(lines.slice(0, 5).join('\n')) ? '`' : '\\'
  const out: DockerInstruction[] = []
  let current: { line: number; text: string } | null = null
  lines.forEach((raw, i) => {
    const trimmed = raw.trim()
    if (trimmed.startsWith('#') || (trimmed === '' && current === null)) return
    const continues = trimmed.endsWith(escape)
    const part = continues ? trimmed.slice(0, -1) : trimmed
    if (current === null) current = { line: i + 1, text: part }
    else current.text += ` ${part}`
    if (!continues) {
      const m = /^(\S+)\s*([\s\S]*)$/.exec(current.text)
      if (m) out.push({ line: current.line, keyword: m[1].toUpperCase(), args: m[2] })
      current = null
    }
  })
  return out
}

/** The line to annotate for a loader finding, or null when the Dockerfile has no instruction at all. */
export function dockerfileLineFor(text: string, f: Finding): number | null {
  const instructions = parseDockerfile(text)
  let start = 0
  instructions.forEach((ins, i) => {
    if (ins.keyword === 'FROM') start = i
  })
  const finalStage = instructions.slice(start)
  if (finalStage.length === 0) return null
  const copies = finalStage.filter(ins => ins.keyword === 'COPY' || ins.keyword === 'ADD')
  for (const name of candidateNames(f)) {
    const hit = copies.find(ins => mentions(ins.args, name))
    if (hit) return hit.line
  }
  return finalStage[0].line
}

/** File names the finding is about, most specific first: its detail, its data, then the evidence. */
function candidateNames(f: Finding): string[] {
  const raw: string[] = []
  if (f.detail) raw.push(f.detail)
  for (const v of Object.values(f.data ?? {})) {
    if (typeof v === 'string') raw.push(v)
    else if (Array.isArray(v)) raw.push(...v)
  }
  // The program named at the start of a glibc or loader message: `redis-server: error while ...`.
  const program = /^\s*([^\s:]+):/.exec(f.evidence)
  if (program) raw.push(program[1])
  raw.push(...(f.evidence.match(/\/[^\s:'"]+/g) ?? []))
  const names = raw.map(s => basename(s.trim())).filter(n => n.length >= 3 && /[A-Za-z]/.test(n))
  return [...new Set(names)]
}

function mentions(args: string, name: string): boolean {
  const quoted = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(^|[\\s/"'\\[,=])${quoted}($|[\\s/"'\\],])`).test(args)
}
