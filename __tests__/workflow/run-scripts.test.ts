import { describe, expect, it } from '@jest/globals'
import { expressionsInRunScripts, loadWorkflow, parseWorkflow, workflowFiles } from './workflow-files.js'

describe('run: scripts take their values from env only', () => {
  it.each(workflowFiles())('%s has no ${{ }} expression inside any run: script', file => {
    expect(expressionsInRunScripts(loadWorkflow(file))).toEqual([])
  })

  it('flags inputs, matrix values and any other expression written into a script (the check can fail)', () => {
    const bad = parseWorkflow(`
on: workflow_call
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - id: one
        run: echo "\${{ inputs.apps }}"
      - name: two
        shell: node {0}
        run: |
          const v = '\${{ matrix.version }}'
          console.log(\`\${v}\`)
      - env:
          OK: \${{ inputs.apps }}
        run: |
          echo "$OK" \${{
            github.event.pull_request.title }}
`)
    expect(expressionsInRunScripts(bad)).toEqual([
      { job: 'a', step: 'one', expression: '${{ inputs.apps }}' },
      { job: 'a', step: 'two', expression: '${{ matrix.version }}' },
      { job: 'a', step: '#3', expression: '${{\n  github.event.pull_request.title }}' }
    ])
  })
})
