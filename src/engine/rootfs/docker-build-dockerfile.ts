// Reads a Dockerfile just enough to point at its lines: parser directives (`# syntax=`), stages,
// and each instruction with the lines it spans, so a failing BuildKit step maps back to a line.
// Not a full Dockerfile parser: Docker's own frontend does the real parsing during the build.

export interface DockerfileInstruction {
  /** Upper-cased keyword: RUN, COPY, FROM, ... */
  keyword: string
  /** Arguments with continuation lines joined (comment lines inside a continuation dropped). */
  args: string
  /** 1-based first and last line. */
  line: number
  endLine: number
  /** Index of the stage (FROM) it belongs to; -1 before the first FROM (global ARGs). */
  stage: number
}

export interface DockerfileStage {
  index: number
  /** The `AS name`, lower-cased (Docker compares stage names case-insensitively), or null. */
  name: string | null
  /** The image the stage starts from, as written. */
  base: string
  line: number
}

export interface DockerfileDirective {
  name: string
  value: string
  line: number
}

export interface ParsedDockerfile {
  directives: DockerfileDirective[]
  instructions: DockerfileInstruction[]
  stages: DockerfileStage[]
}

export function parseDockerfileText(text: string): ParsedDockerfile {
  const lines = text.split(/\r?\n/)
  const directives: DockerfileDirective[] = []
  // Directives are `# key=value` comments at the very top; anything else ends them.
  let first = 0
  for (; first < lines.length; first++) {
    const m = /^#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$/.exec(lines[first])
    if (!m) break
    directives.push({ name: m[1].toLowerCase(), value: m[2], line: first + 1 })
  }
  const escape = directives.find(d => d.name === 'escape')?.value === '`' ? '`' : '\\'

  const instructions: DockerfileInstruction[] = []
  const stages: DockerfileStage[] = []
  let current: { line: number; endLine: number; text: string } | null = null
  for (let i = first; i < lines.length; i++) {
    const trimmed = lines[i].trim()
    // Comment and empty lines are skipped, also inside a continuation (Docker does the same).
    if (trimmed.startsWith('#') || trimmed === '') continue
    const continues = trimmed.endsWith(escape)
    const part = continues ? trimmed.slice(0, -1) : trimmed
    if (current === null) current = { line: i + 1, endLine: i + 1, text: part }
    else {
      current.text += ` ${part}`
      current.endLine = i + 1
    }
    if (continues && i < lines.length - 1) continue
    const m = /^(\S+)\s*([\s\S]*?)\s*$/.exec(current.text)
    if (m) {
      const keyword = m[1].toUpperCase()
      if (keyword === 'FROM') stages.push(stageOf(m[2], stages.length, current.line))
      instructions.push({
        keyword,
        args: m[2],
        line: current.line,
        endLine: current.endLine,
        stage: stages.length - 1
      })
    }
    current = null
  }
  return { directives, instructions, stages }
}

function stageOf(args: string, index: number, line: number): DockerfileStage {
  const words = args.split(/\s+/).filter(w => !w.startsWith('--'))
  const as = words.findIndex(w => w.toLowerCase() === 'as')
  return {
    index,
    name: as >= 0 && words[as + 1] ? words[as + 1].toLowerCase() : null,
    base: words[0] ?? '',
    line
  }
}

/** The stage BuildKit calls `name` (a step's `[build 3/4]`), by `AS` name or its `stage-N` form. */
export function findStage(parsed: ParsedDockerfile, name: string): DockerfileStage | undefined {
  const lower = name.toLowerCase()
  const byName = parsed.stages.find(s => s.name === lower)
  if (byName) return byName
  const m = /^stage-(\d+)$/.exec(lower)
  return m ? parsed.stages[Number(m[1])] : undefined
}

/**
 * The instruction a BuildKit step name describes, e.g. `RUN make -C src` or
 * `FROM docker.io/library/debian:bookworm-slim`, searched in `stage` when known. Whitespace is
 * compared collapsed: BuildKit joins continuation lines keeping their indentation.
 */
export function findInstruction(
  parsed: ParsedDockerfile,
  stepText: string,
  stage?: DockerfileStage
): DockerfileInstruction | undefined {
  const candidates = parsed.instructions.filter(ins => stage === undefined || ins.stage === stage.index)
  const step = collapse(stepText)
  const keyword = step.split(' ')[0].toUpperCase()
  const rest = step.slice(keyword.length).trim()
  if (keyword === 'FROM') {
    const wanted = imageKey(rest.split(' ')[0])
    return candidates.find(ins => ins.keyword === 'FROM' && imageKey(ins.args.split(/\s+/)[0]) === wanted)
  }
  const same = candidates.filter(ins => ins.keyword === keyword && collapse(ins.args) === rest)
  if (same.length > 0) return same[same.length === 1 ? 0 : same.length - 1]
  // BuildKit may shorten or expand a step's text; a unique prefix match is still a safe pointer.
  const prefix = rest.slice(0, 40)
  const loose = candidates.filter(ins => ins.keyword === keyword && collapse(ins.args).startsWith(prefix))
  return loose.length === 1 ? loose[0] : undefined
}

/** The FROM line that names `image` (as BuildKit prints it: `docker.io/library/debian:bookworm-slim`). */
export function findFromLine(parsed: ParsedDockerfile, image: string): DockerfileStage | undefined {
  const wanted = imageKey(image)
  return parsed.stages.find(s => imageKey(s.base) === wanted)
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim()
}

/** `debian:bookworm-slim`, `docker.io/library/debian:bookworm-slim` and `library/debian:bookworm-slim` alike. */
function imageKey(ref: string): string {
  let r = ref.trim().toLowerCase()
  r = r
    .replace(/^docker\.io\//, '')
    .replace(/^index\.docker\.io\//, '')
    .replace(/^library\//, '')
  if (!/[:@]/.test(r.split('/').pop() ?? '')) r += ':latest'
  return r
}
