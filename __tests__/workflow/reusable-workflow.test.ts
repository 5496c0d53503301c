import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadWorkflow, ROOT, type Step } from './workflow-files.js'

const wf = loadWorkflow('unikraft-compat.yml')
const jobs = wf.jobs
const docs = readFileSync(join(ROOT, 'docs/workflow.md'), 'utf8')

const ACTION_PATH = '.unikraft-compat-action'

describe('unikraft-compat.yml (reusable workflow)', () => {
  it('is called with workflow_call and nothing else', () => {
    expect(Object.keys(wf.on)).toEqual(['workflow_call'])
  })

  it('takes exactly the documented inputs, with their types and defaults', () => {
    const inputs = wf.on.workflow_call?.inputs ?? {}
    expect(Object.keys(inputs).sort()).toEqual(
      [
        'apps',
        'unikraft-versions',
        'kraftkit-version',
        'guest',
        'timeout',
        'accel',
        'baseline',
        'trace',
        'allow',
        'fail-on',
        'comment-on-pr',
        'artifact-prefix'
      ].sort()
    )
    expect(inputs.apps).toMatchObject({ required: true, type: 'string' })
    expect(inputs['unikraft-versions']).toMatchObject({ type: 'string', default: 'latest' })
    expect(inputs['comment-on-pr']).toMatchObject({ type: 'boolean', default: false })
    expect(inputs['artifact-prefix']).toMatchObject({ type: 'string', default: 'unikraft-compat' })
    for (const name of [
      'kraftkit-version',
      'guest',
      'timeout',
      'accel',
      'baseline',
      'trace',
      'allow',
      'fail-on'
    ]) {
      // Empty means "the action's own default": the action treats an empty input as not given.
      expect(inputs[name]).toMatchObject({ required: false, type: 'string', default: '' })
    }
    for (const name of Object.keys(inputs)) expect(docs).toContain(`\`${name}\``)
  })

  it('exposes the matrix JSON of the aggregate job as its output', () => {
    expect(wf.on.workflow_call?.outputs?.matrix.value).toBe('${{ jobs.aggregate.outputs.matrix }}')
    expect(jobs.aggregate.outputs?.matrix).toBe('${{ steps.matrix.outputs.matrix }}')
  })

  it('runs one cell per app × version, none cancelling the others', () => {
    expect(jobs.check.needs).toBe('setup')
    expect(jobs.check.strategy?.['fail-fast']).toBe(false)
    expect(jobs.check.strategy?.matrix).toBe('${{ fromJSON(needs.setup.outputs.cells) }}')
    expect(jobs.setup.outputs?.cells).toBe('${{ steps.cells.outputs.cells }}')
  })

  it('aggregates even when cells fail, after every cell', () => {
    expect(jobs.aggregate.if).toMatch(/^\$\{\{ always\(\) && needs\.setup\.result == 'success' \}\}$/)
    expect(jobs.aggregate.needs).toEqual(expect.arrayContaining(['setup', 'check']))
  })

  it('starts read-only and widens per job only as far as each job needs', () => {
    expect(wf.permissions).toEqual({ contents: 'read' })
    expect(jobs.setup.permissions).toEqual({})
    expect(jobs.check.permissions).toEqual({ contents: 'read' })
    expect(jobs.aggregate.permissions).toEqual({ contents: 'read' })
    expect(jobs.comment.permissions).toEqual({ 'pull-requests': 'write' })
    expect(Object.keys(jobs).sort()).toEqual(['aggregate', 'check', 'comment', 'setup'])
  })

  it('comments only when asked, on a pull request, once the matrix exists', () => {
    expect(jobs.comment.if).toBe(
      "${{ always() && inputs.comment-on-pr && needs.aggregate.result == 'success' && github.event.pull_request.number }}"
    )
    expect(jobs.comment.needs).toEqual(expect.arrayContaining(['aggregate']))
  })

  it('runs the action checked out at the commit of this workflow, the way docs/workflow.md says', () => {
    // The commit comes from the job context (job.workflow_repository / job.workflow_sha)...
    const source = jobs.setup.steps?.find(s => s.id === 'source')
    expect(source?.env?.JOB_CONTEXT).toBe('${{ toJSON(job) }}')
    expect(jobs.setup.outputs?.['action-repository']).toBe('${{ steps.source.outputs.repository }}')
    expect(jobs.setup.outputs?.['action-sha']).toBe('${{ steps.source.outputs.sha }}')

    // ...is checked out into a sub-path after the caller's repository, and run from there.
    const steps = jobs.check.steps ?? []
    const checkoutIdx = steps.findIndex(s => s.with?.path === ACTION_PATH)
    const actionIdx = steps.findIndex(s => s.uses === `./${ACTION_PATH}`)
    expect(checkoutIdx).toBeGreaterThan(0)
    expect(actionIdx).toBeGreaterThan(checkoutIdx)
    expect(steps[0].uses).toMatch(/^actions\/checkout@/)
    expect(steps[0].with?.path).toBeUndefined()
    expect(steps[checkoutIdx].with).toMatchObject({
      repository: '${{ needs.setup.outputs.action-repository }}',
      ref: '${{ needs.setup.outputs.action-sha }}'
    })
    // The aggregation runs the engine from the same checkout.
    const agg = jobs.aggregate.steps ?? []
    expect(agg.find(s => s.with?.path === ACTION_PATH)?.with).toMatchObject({
      repository: '${{ needs.setup.outputs.action-repository }}',
      ref: '${{ needs.setup.outputs.action-sha }}'
    })

    // Never the caller's copy (./) and never a hard-coded ref of this repository.
    const allSteps: Step[] = Object.values(jobs).flatMap(j => j.steps ?? [])
    const uses = allSteps.map(s => s.uses).filter((u): u is string => typeof u === 'string')
    expect(uses.filter(u => u.startsWith('./'))).toEqual([`./${ACTION_PATH}`])
    expect(uses.filter(u => /unikraft-compat/.test(u) && !u.startsWith('./'))).toEqual([])

    expect(docs).toContain('job.workflow_sha')
    expect(docs).toContain('job.workflow_repository')
    expect(docs).toContain(ACTION_PATH)
  })

  it('passes every input on to the action and gives each cell unique artifact names', () => {
    const action = (jobs.check.steps ?? []).find(s => s.id === 'check')
    expect(action?.with).toEqual({
      app: '${{ matrix.app }}',
      'unikraft-version': '${{ matrix.version }}',
      'kraftkit-version': '${{ inputs.kraftkit-version }}',
      guest: '${{ inputs.guest }}',
      timeout: '${{ inputs.timeout }}',
      accel: '${{ inputs.accel }}',
      baseline: '${{ inputs.baseline }}',
      trace: '${{ inputs.trace }}',
      allow: '${{ inputs.allow }}',
      'fail-on': '${{ inputs.fail-on }}',
      'artifact-name': '${{ needs.setup.outputs.prefix }}-logs-${{ matrix.slug }}'
    })
    const upload = (jobs.check.steps ?? []).find(s => s.uses?.startsWith('actions/upload-artifact@'))
    expect(upload?.if).toBe("${{ always() && steps.check.outputs.result-file != '' }}")
    expect(upload?.with).toMatchObject({
      name: '${{ needs.setup.outputs.prefix }}-result-${{ matrix.slug }}',
      path: '${{ steps.check.outputs.result-file }}'
    })
    const download = (jobs.aggregate.steps ?? []).find(s => s.uses?.startsWith('actions/download-artifact@'))
    expect(download?.with?.pattern).toBe('${{ needs.setup.outputs.prefix }}-result-*')
  })

  it('reads the action inputs against action.yml: every input it passes exists there', () => {
    const actionYml = readFileSync(join(ROOT, 'action.yml'), 'utf8')
    const action = (jobs.check.steps ?? []).find(s => s.id === 'check')
    for (const name of Object.keys(action?.with ?? {}))
      expect(actionYml).toMatch(new RegExp(`^  ${name}:$`, 'm'))
    expect(actionYml).toMatch(/^ {2}result-file:$/m)
  })
})
