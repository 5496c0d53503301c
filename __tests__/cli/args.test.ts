import { describe, expect, it } from '@jest/globals'
import { parse, RUN_OPTIONS, runInputs, UsageError } from '../../src/cli/args.js'
import { COMMAND_HELP } from '../../src/cli/help.js'
import { INPUTS, isInputName } from '../../src/engine/config/inputs.js'

describe('run options', () => {
  it('are the inputs, so --trace reaches the engine as the input trace', () => {
    const parsed = parse(
      'run',
      ['app', '--trace', 'always', '--probe', 'tcp:80', '--probe', 'exit:0'],
      RUN_OPTIONS,
      1
    )
    expect(runInputs(parsed)).toEqual({ app: 'app', trace: 'always', probe: 'tcp:80\nexit:0' })
  })

  it('refuses an option no input has, naming it', () => {
    expect(() => parse('run', ['--tracing', 'always'], RUN_OPTIONS, 1)).toThrow(UsageError)
    expect(() => parse('run', ['--tracing', 'always'], RUN_OPTIONS, 1)).toThrow("Unknown option '--tracing'")
  })

  it('are all in the help, and the help uses no option the run command lacks', () => {
    const help = COMMAND_HELP.run
    for (const i of INPUTS) expect(help).toContain(`--${i.name} ${i.metavar}`)
    expect(help).toContain('--trace WHEN')
    const used = [...help.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map(m => m[1])
    const unknown = used.filter(name => !isInputName(name) && !(name in RUN_OPTIONS))
    expect(unknown).toEqual([])
  })
})
