// The one reader of the action's inputs: every input of the table, as the raw strings the engine
// resolves (the CLI hands the engine the same shape).
import * as core from '@actions/core'
import { INPUTS, type RawInputs } from '../engine/config/inputs.js'

export function readActionInputs(): RawInputs {
  const raw: RawInputs = {}
  for (const input of INPUTS) {
    const value = core.getInput(input.name, { trimWhitespace: !input.multiline })
    if (value.trim() !== '') raw[input.name] = value
  }
  return raw
}
