// Test helpers: the workflow files as data, and their `run:` scripts executed the way the runner
// executes them (script written to a file, `bash --noprofile --norc -eo pipefail FILE` or `node FILE`,
// inputs only in the environment, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as files).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'

export const ROOT = new URL('../..', import.meta.url).pathname
export const WORKFLOWS_DIR = join(ROOT, '.github/workflows')

export interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  shell?: string
  if?: string
  env?: Record<string, string>
  with?: Record<string, string | number | boolean>
  'continue-on-error'?: boolean | string
}

export interface Job {
  name?: string
  needs?: string | string[]
  if?: string
  uses?: string
  with?: Record<string, string | number | boolean>
  permissions?: Record<string, string> | string
  outputs?: Record<string, string>
  strategy?: { 'fail-fast'?: boolean; matrix?: unknown }
  steps?: Step[]
}

export interface WorkflowInput {
  description?: string
  required?: boolean
  type?: string
  default?: string | boolean
}

export interface Workflow {
  name?: string
  on: Record<string, unknown> & {
    workflow_call?: { inputs?: Record<string, WorkflowInput>; outputs?: Record<string, { value: string }> }
    workflow_dispatch?: { inputs?: Record<string, WorkflowInput> }
  }
  permissions?: Record<string, string>
  jobs: Record<string, Job>
}

export function workflowFiles(): string[] {
  return readdirSync(WORKFLOWS_DIR)
    .filter(f => /\.ya?ml$/.test(f))
    .sort()
}

export function loadWorkflow(file: string): Workflow {
  return parseWorkflow(readFileSync(join(WORKFLOWS_DIR, file), 'utf8'))
}

export function parseWorkflow(text: string): Workflow {
  return parse(text) as Workflow
}

export function stepById(wf: Workflow, job: string, id: string): Step {
  const step = wf.jobs[job]?.steps?.find(s => s.id === id)
  if (!step) throw new Error(`no step '${id}' in job '${job}'`)
  return step
}

/** Every `${{ ... }}` inside a `run:` script, with where it is: inputs must reach scripts through env. */
export function expressionsInRunScripts(wf: Workflow): { job: string; step: string; expression: string }[] {
  const found: { job: string; step: string; expression: string }[] = []
  for (const [jobId, job] of Object.entries(wf.jobs)) {
    for (const [i, step] of (job.steps ?? []).entries()) {
      if (typeof step.run !== 'string') continue
      for (const m of step.run.matchAll(/\$\{\{[\s\S]*?\}\}/g)) {
        found.push({ job: jobId, step: step.id ?? step.name ?? `#${i + 1}`, expression: m[0] })
      }
    }
  }
  return found
}

export interface ScriptRun {
  status: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
}

/** Runs a step's script as the runner does; `env` replaces the step's `${{ }}`-valued env entirely. */
export function runStep(step: Step, env: Record<string, string>, cwd: string): ScriptRun {
  if (typeof step.run !== 'string') throw new Error(`step ${step.id ?? step.name} has no run script`)
  const dir = mkdtempSync(join(tmpdir(), 'ukc-step-'))
  const script = join(dir, 'script')
  writeFileSync(script, step.run)
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const argv =
    step.shell === 'node {0}'
      ? [process.execPath, script]
      : step.shell === undefined || step.shell === 'bash'
        ? ['bash', '--noprofile', '--norc', '-eo', 'pipefail', script]
        : null
  if (!argv) throw new Error(`unsupported shell ${step.shell}`)
  try {
    const r = spawnSync(argv[0], argv.slice(1), {
      cwd,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? dir,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        ...env
      }
    })
    return {
      status: r.status,
      stdout: r.stdout,
      stderr: r.stderr,
      outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** GITHUB_OUTPUT's format: `name=value` lines and `name<<DELIMITER` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line === '') continue
    const eq = line.indexOf('=')
    const heredoc = line.indexOf('<<')
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      out[line.slice(0, eq)] = line.slice(eq + 1)
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc)
      const delimiter = line.slice(heredoc + 2)
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
      out[name] = value.join('\n')
    } else {
      throw new Error(`not a GITHUB_OUTPUT line: ${line}`)
    }
  }
  return out
}
