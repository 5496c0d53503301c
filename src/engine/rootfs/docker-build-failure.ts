// Reads a failed `docker build --progress=plain` output: whose fault it is (the Dockerfile's, or the
// machine's: daemon down, client without BuildKit outputs, registry unreachable, disk full), which
// Dockerfile line failed, and the few lines of Docker's output that say why.
// Handles both the plain progress of Debian's Docker 20.10 (no `Dockerfile:N` excerpt: the line is
// found from the failing step's text) and of current buildx (`Dockerfile:N` followed by `>>>` lines).
import { findFromLine, findInstruction, findStage, type ParsedDockerfile } from './docker-build-dockerfile.js'

export type BuildFailureKind =
  /** The Dockerfile or the context: the user's to fix. */
  | 'dockerfile'
  /** `--target` names no stage. */
  | 'target'
  /** The Docker engine does not answer. */
  | 'daemon'
  /** The docker client cannot do BuildKit outputs (legacy builder, missing buildx). */
  | 'client'
  /** A `# syntax=` frontend image could not be fetched. */
  | 'frontend'
  /** A base image could not be fetched: the registry is unreachable. */
  | 'registry'
  /** The machine ran out of disk. */
  | 'disk'

export interface BuildFailure {
  kind: BuildFailureKind
  /** 1-based Dockerfile line, when Docker's output names or implies one. */
  line: number | null
  /** The instruction on that line as written (continuations joined), e.g. `RUN make`. */
  instruction: string | null
  /** Docker's last error lines, progress noise removed, at most MAX_LINES. */
  lines: string[]
}

const MAX_LINES = 12
const MAX_LINE_CHARS = 400

const DAEMON =
  /cannot connect to the docker daemon|is the docker daemon running|failed to dial grpc|error during connect|permission denied while trying to connect to the docker daemon/i
const CLIENT =
  /buildx component is missing|unknown flag: --output|unknown shorthand flag: 'o'|"--output" requires|the --output option requires buildkit/i
const NETWORK =
  /dial tcp|no such host|i\/o timeout|tls handshake timeout|connection refused|network is unreachable|server misbehaving|temporary failure in name resolution/i
const DISK = /no space left on device/i
/** The engine went away mid-build (stopped, restarted, its socket cut): gRPC's words for it. */
const LOST = /error reading from server: EOF|rpc error: code = Unavailable|transport is closing/i

/**
 * The connection to the engine broke while no step had failed: the client's last word is then a bare
 * `unexpected EOF` (docker.io 20.10 with BuildKit) or a gRPC "unavailable".
 */
function lostDaemon(all: string[], failing: Step | undefined): boolean {
  if (failing) return false
  const last =
    [...all]
      .reverse()
      .find(l => l.trim() !== '')
      ?.trim() ?? ''
  return last === 'unexpected EOF' || all.some(l => LOST.test(l))
}

interface Step {
  header: string
  output: string[]
  error: string | null
}

export function analyzeBuildFailure(output: string, parsed: ParsedDockerfile | null): BuildFailure {
  const all = output.split(/\r?\n/)
  const steps = readSteps(all)
  const failing = [...steps.values()].reverse().find(s => s.error !== null)
  const lines = evidenceLines(all, failing)
  const text = output

  const result = (kind: BuildFailureKind, line: number | null = null): BuildFailure => {
    const ins = line !== null ? parsed?.instructions.find(i => i.line === line) : undefined
    return { kind, line, instruction: ins ? `${ins.keyword} ${ins.args}`.trim() : null, lines }
  }

  if (DAEMON.test(text) || lostDaemon(all, failing)) return result('daemon')
  if (CLIENT.test(text)) return result('client')
  if (DISK.test(text)) return result('disk')

  const syntax = parsed?.directives.find(d => d.name === 'syntax')
  const failingHeader = failing?.header ?? ''
  if (
    syntax &&
    (/resolve image config for/.test(failingHeader) || /frontend gateway/.test(text)) &&
    NETWORK.test(text)
  ) {
    return result('frontend', syntax.line)
  }
  const metadata = /^\[internal\] load metadata for (\S+)/.exec(failingHeader)
  const fromLine = metadata && parsed ? (findFromLine(parsed, metadata[1])?.line ?? null) : null
  if (metadata && NETWORK.test(failing?.error ?? '')) return result('registry', fromLine)

  if (/target stage \S+ could not be found/.test(text)) return result('target')

  return result('dockerfile', fromLine ?? lineFromOutput(all, failing, parsed))
}

/** Groups `#N ...` progress lines by step number. */
function readSteps(all: readonly string[]): Map<number, Step> {
  const steps = new Map<number, Step>()
  for (const raw of all) {
    const m = /^#(\d+) (.*)$/.exec(raw)
    if (!m) continue
    const n = Number(m[1])
    const rest = m[2]
    let step = steps.get(n)
    if (!step) {
      step = { header: rest, output: [], error: null }
      steps.set(n, step)
      continue
    }
    const err = /^ERROR: (.*)$/.exec(rest)
    if (err) step.error = err[1]
    const out = /^\d+(?:\.\d+)? (.*)$/.exec(rest)
    if (out) step.output.push(out[1])
  }
  return steps
}

function lineFromOutput(
  all: readonly string[],
  failing: Step | undefined,
  parsed: ParsedDockerfile | null
): number | null {
  // buildx: `Dockerfile:7` then a rule of dashes, then the excerpt with `>>>` on the failing lines.
  for (let i = all.length - 2; i >= 0; i--) {
    const m = /^\S*?:(\d+)$/.exec(all[i].trim())
    if (m && /^-{5,}$/.test(all[i + 1].trim())) return Number(m[1])
  }
  const parseError = /dockerfile parse error (?:on )?line (\d+)/i.exec(all.join('\n'))
  if (parseError) return Number(parseError[1])
  if (!failing || !parsed) return null
  // Docker 20.10: the step header `[build 4/4] RUN make` names the stage and the instruction.
  const m = /^\[(?:(\S+) )?\d+\/\d+\] (.*)$/.exec(failing.header)
  if (!m) return null
  const stage =
    m[1] !== undefined ? findStage(parsed, m[1]) : parsed.stages.length === 1 ? parsed.stages[0] : undefined
  return findInstruction(parsed, m[2], stage)?.line ?? null
}

/** The failing step's last output lines and its error, then Docker's closing message. */
function evidenceLines(all: readonly string[], failing: Step | undefined): string[] {
  const closing = all.map(l => l.trim()).filter(l => l !== '' && !isProgressNoise(l))
  const out: string[] = []
  if (failing) {
    out.push(...failing.output.slice(-(MAX_LINES - 2)))
    if (failing.error) out.push(`ERROR: ${failing.error}`)
    // Docker's closing message, unless it only repeats the step's error.
    const last = closing[closing.length - 1]
    if (last && !out.some(l => l.includes(last) || last.includes(l.replace(/^ERROR: /, '')))) out.push(last)
  } else {
    out.push(...closing.slice(-MAX_LINES))
  }
  return out.slice(-MAX_LINES).map(l => (l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS)}...` : l))
}

function isProgressNoise(line: string): boolean {
  return /^#\d+ /.test(line) || /^-+$/.test(line) || /^> \[.*\]/.test(line) || /^\d+ \|/.test(line)
}
