// Input names are checked by the compiler: INPUTS is a literal table, and InputName, RawInputs and the
// readers take their names from it. The `@ts-expect-error` lines pin that: were a misspelt name
// accepted, the directive would be unused and `tsc --noEmit` (npm run typecheck) would fail.
import { describe, expect, it } from '@jest/globals'
import {
  INPUTS,
  inputDefault,
  isInputName,
  type InputName,
  type OutputName,
  type RawInputs
} from '../../../src/engine/config/inputs.js'
import type { ConfigKey, ConfigPath } from '../../../src/engine/config/config-file.js'
import { inputOfKey } from '../../../src/engine/config/sources.js'

describe('input names', () => {
  it('are a closed set the compiler knows', () => {
    const names: InputName[] = ['memory', 'fail-on', 'trace', 'unikraft-version']
    // @ts-expect-error: a misspelt input name
    const misspelt: InputName = 'memroy'
    // @ts-expect-error: an input that does not exist, as a raw input
    const raw: RawInputs = { app: '.', tracing: 'always' }
    // @ts-expect-error: the default of an input that does not exist
    inputDefault('baseline-mode')
    // @ts-expect-error: a config key that is not one (probe is the input; the key is probes)
    const key: ConfigKey = 'probe'
    // @ts-expect-error: an item of a key that does not exist
    const item: ConfigPath = 'probe[1]'
    // @ts-expect-error: an output that does not exist
    const output: OutputName = 'result'
    expect([misspelt, raw, key, item, output]).toHaveLength(5)
    expect(names.every(isInputName)).toBe(true)
  })

  it('narrow a name read at run time', () => {
    expect(isInputName('trace')).toBe(true)
    expect(isInputName('tracing')).toBe(false)
    expect(INPUTS.filter(i => !isInputName(i.name))).toEqual([])
  })

  it('document trace like baseline: auto by default', () => {
    expect(inputDefault('trace')).toBe('auto')
    expect(inputDefault('baseline')).toBe('auto')
    expect(inputDefault('config')).toBeUndefined()
  })

  it('map each config key to the input that overrides it', () => {
    expect(inputOfKey('probes')).toBe('probe')
    expect(inputOfKey('memory')).toBe('memory')
    expect(inputOfKey('trace')).toBe('trace')
    expect(inputOfKey('workdir')).toBeNull()
  })
})
