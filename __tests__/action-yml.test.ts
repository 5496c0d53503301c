import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { INPUTS, OUTPUTS, type InputName, type OutputName } from '../src/engine/config/inputs.js'

/** action.yml as this test reads it: its inputs and outputs keyed by the names of the code's table. */
interface ActionYml {
  inputs: Record<InputName, { description: string; required?: boolean; default?: string }>
  outputs: Record<OutputName, { description: string }>
  runs: unknown
}

const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as ActionYml

describe('action.yml', () => {
  it('lists exactly the inputs of the code, in the same order, with the same descriptions', () => {
    expect(Object.keys(action.inputs)).toEqual(INPUTS.map(i => i.name))
    for (const i of INPUTS) {
      expect(action.inputs[i.name].description).toBe(
        i.description + (i.default ? ` Default: \`${i.default}\`.` : '')
      )
    }
  })
  it('declares no input defaults, so the config file can set what inputs leave empty', () => {
    for (const i of INPUTS) expect(action.inputs[i.name].default).toBeUndefined()
  })
  it('lists exactly the outputs of the code', () => {
    expect(Object.keys(action.outputs)).toEqual(OUTPUTS.map(o => o.name))
  })
  it('runs the bundled main and post steps on node24, the post step always', () => {
    expect(action.runs).toEqual({
      using: 'node24',
      main: 'dist/main.js',
      post: 'dist/post.js',
      'post-if': 'always()'
    })
  })
})
