// Runs the bundled action (dist/main.js, then dist/post.js) as child processes the way the GitHub
// runner does: INPUT_* variables, the GITHUB_OUTPUT/GITHUB_STEP_SUMMARY/GITHUB_STATE files, and the
// state main saved handed to post as STATE_* variables. Also reads back what the steps wrote.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { ResultsServiceFake } from '../../__fixtures__/github-results-service.js'

export const REPO = path.resolve(new URL('../..', import.meta.url).pathname)
export const MAIN_JS = path.join(REPO, 'dist', 'main.js')
export const POST_JS = path.join(REPO, 'dist', 'post.js')

/** One job's runner directories: the files the steps write, the workspace, temp and tool cache. */
export interface RunnerDirs {
  root: string
  /** TMPDIR for the steps: the engine's scratch directories land here and go with the rest. */
  tmp: string
  runnerTemp: string
  toolCache: string
  output: string
  summary: string
  state: string
}

export interface StepRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/**
 * Fresh runner directories for one job. The tool cache gets the Linux baseline kernel the CLI
 * keeps in ~/.cache/unikraft-compat/linux (a symlink, so a machine that has not fetched it yet
 * fetches it once, into the shared place), so each test does not download 100 MB again.
 */
export async function makeRunnerDirs(prefix: string): Promise<RunnerDirs> {
  const root = await mkdtemp(path.join(os.tmpdir(), `ukc-action-${prefix}-`))
  const dirs: RunnerDirs = {
    root,
    tmp: path.join(root, 'tmp'),
    runnerTemp: path.join(root, 'temp'),
    toolCache: path.join(root, 'tool-cache'),
    output: path.join(root, 'github_output'),
    summary: path.join(root, 'step_summary'),
    state: path.join(root, 'github_state')
  }
  await mkdir(dirs.runnerTemp, { recursive: true })
  await mkdir(dirs.tmp, { recursive: true })
  await mkdir(path.join(dirs.toolCache, 'unikraft-compat'), { recursive: true })
  const sharedLinux = path.join(
    process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
    'unikraft-compat',
    'linux'
  )
  await mkdir(sharedLinux, { recursive: true })
  await symlink(sharedLinux, path.join(dirs.toolCache, 'unikraft-compat', 'linux'))
  // The runner creates these files empty before each step.
  for (const f of [dirs.output, dirs.summary, dirs.state]) await writeFile(f, '')
  return dirs
}

export async function removeRunnerDirs(dirs: RunnerDirs): Promise<void> {
  await rm(dirs.root, { recursive: true, force: true })
}

/** The inputs as the runner passes them: INPUT_<NAME>, uppercased, spaces to `_`, hyphens kept. */
export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  return env
}

/** The process environment without anything a runner step would not inherit from the job. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue
    if (/^(INPUT_|STATE_|GITHUB_|ACTIONS_|RUNNER_)/.test(k)) continue
    // Jest's ESM flag is for the test process, not the action.
    if (k === 'NODE_OPTIONS') continue
    env[k] = v
  }
  return env
}

export interface StepEnvOptions {
  dirs: RunnerDirs
  workspace: string
  fake: ResultsServiceFake
  inputs?: Record<string, string>
  /** STATE_* variables (post only). */
  state?: Record<string, string>
}

export function stepEnv(o: StepEnvOptions): Record<string, string> {
  const state: Record<string, string> = {}
  for (const [k, v] of Object.entries(o.state ?? {})) state[`STATE_${k}`] = v
  return {
    ...baseEnv(),
    ...o.fake.env({ runnerTemp: o.dirs.runnerTemp, workspace: o.workspace }),
    GITHUB_ACTIONS: 'true',
    TMPDIR: o.dirs.tmp,
    GITHUB_WORKSPACE: o.workspace,
    RUNNER_TEMP: o.dirs.runnerTemp,
    RUNNER_TOOL_CACHE: o.dirs.toolCache,
    GITHUB_OUTPUT: o.dirs.output,
    GITHUB_STEP_SUMMARY: o.dirs.summary,
    GITHUB_STATE: o.dirs.state,
    ...inputEnv(o.inputs ?? {}),
    ...state
  }
}

/** Starts `node <script>` with the step's environment; `done` resolves when it exits. */
export function startStep(
  script: string,
  env: Record<string, string>,
  cwd: string
): { child: ChildProcess; done: Promise<StepRun> } {
  const child = spawn(process.execPath, [script], {
    cwd,
    env,
    shell: false,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const done = new Promise<StepRun>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
  return { child, done }
}

export async function runStep(script: string, env: Record<string, string>, cwd: string): Promise<StepRun> {
  return startStep(script, env, cwd).done
}

/**
 * Parses a GITHUB_OUTPUT / GITHUB_STATE file: `name<<DELIM\nvalue\nDELIM\n` records (what
 * @actions/core writes), plus plain `name=value` lines (the older form).
 */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line === '') continue
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delim] = heredoc
      const value: string[] = []
      i++
      while (i < lines.length && lines[i] !== delim) value.push(lines[i++])
      if (i >= lines.length) throw new Error(`command file: no closing ${delim} for ${name}`)
      out[name] = value.join('\n')
    } else {
      const eq = line.indexOf('=')
      if (eq <= 0) throw new Error(`command file: cannot parse line ${JSON.stringify(line)}`)
      out[line.slice(0, eq)] = line.slice(eq + 1)
    }
  }
  return out
}

export async function readCommandFile(file: string): Promise<Record<string, string>> {
  return parseCommandFile(await readFile(file, 'utf8'))
}

/** `::error file=...,line=...::message` workflow command lines on stdout. */
export interface Annotation {
  level: string
  props: Record<string, string>
  message: string
}

const unescapeData = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
const unescapeProp = (s: string): string => unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',')

export function annotations(stdout: string, level?: string): Annotation[] {
  const found: Annotation[] = []
  for (const line of stdout.split('\n')) {
    const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line)
    if (!m) continue
    const props: Record<string, string> = {}
    for (const part of (m[2] ?? '').split(',').filter(Boolean)) {
      const eq = part.indexOf('=')
      props[part.slice(0, eq)] = unescapeProp(part.slice(eq + 1))
    }
    if (!level || m[1] === level) found.push({ level: m[1], props, message: unescapeData(m[3]) })
  }
  return found
}

/** QEMU processes whose command line mentions `marker` (a run's RUNNER_TEMP), found through /proc. */
export async function qemuProcesses(marker: string): Promise<number[]> {
  const pids: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const exe = await readlink(`/proc/${entry}/exe`).catch(() => '')
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0')
      const isQemu = /qemu-system/.test(exe) || /qemu-system/.test(cmdline[0] ?? '')
      if (isQemu && cmdline.some(a => a.includes(marker))) pids.push(Number(entry))
    } catch {
      // the process ended while we looked
    }
  }
  return pids
}

/** Polls until `check` returns a value (not undefined), or throws after `ms`. */
export async function waitFor<T>(what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await check()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise(r => setTimeout(r, 200))
  }
}

export const bundleExists = (): boolean => existsSync(MAIN_JS) && existsSync(POST_JS)
