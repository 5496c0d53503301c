import { describe, expect, it } from '@jest/globals'
import { buildUnikraftCmdline, quoteUnikraftArg } from '../../../src/engine/vm/unikraft-cmdline.js'
import { ukAppArgs, ukArgParse } from './ukargparse-model.js'
import { capturedRuns, commandOf, valueAfter } from './captured-runs.js'

const appendOf = (name: string): string | undefined => valueAfter(capturedRuns[name].qemu_argv, '-append')

describe('quoteUnikraftArg', () => {
  it.each([
    ['plain', 'arg1', 'arg1'],
    ['a space', 'arg 2', '"arg 2"'],
    ['a tab', 'a\tb', '"a\tb"'],
    ['a single quote', "it's", `"it's"`],
    ['double quotes', 'say "hi"', `"say "'"'"hi"'"'`],
    ['both quote kinds', `a"b'c`, `"a"'"'"b'c"`],
    ['only double quotes', '""', `'""'`],
    ['empty (Unikraft drops it)', '', '""'],
    ['equals and dots', '--conf=/etc/x.conf', '--conf=/etc/x.conf']
  ])('%s', (_name, arg, quoted) => {
    expect(quoteUnikraftArg(arg)).toBe(quoted)
  })

  it.each([
    ['arg 2'],
    [`q"u'o te`],
    ['  leading'],
    ['a\nb'],
    ["''"],
    ['x"'],
    ["'"],
    ['tab\there'],
    ['ünïcødé ok']
  ])('ukargparse reads %j back as one argument', arg => {
    expect(ukArgParse(quoteUnikraftArg(arg))).toEqual([arg])
  })
})

describe('buildUnikraftCmdline', () => {
  // The command each captured run was started with, and the -append it must produce exactly.
  it.each(Object.keys(capturedRuns).filter(n => appendOf(n) !== undefined))(
    '%s: the captured -append',
    name => {
      expect(buildUnikraftCmdline(commandOf(name)).cmdline).toBe(appendOf(name))
    }
  )

  it.each([
    ['no network, no env', {}],
    ['network', { network: true }],
    ['env', { env: { A: '1' } }]
  ])(
    'ELF loader (%s): a library parameter always stands before --, so 0.16.x removes it and the program sees exactly its argv',
    (_name, extra) => {
      // 0.16.x removes `--` only after a library parameter; alone, the loader would run a program named `--`.
      const cmd = ['/hello', '--', 'a b', '']
      const { cmdline } = buildUnikraftCmdline({ mode: 'elfloader', cmd, ...extra })
      const words = ukArgParse(cmdline)
      const sep = words.indexOf('--')
      expect(sep).toBeGreaterThan(0)
      expect(words[0]).not.toBe('--')
      expect(words[0]).toMatch(/^(netdev\.ip|vfs\.fstab)=/)
      // The empty argument is dropped by Unikraft (a warning finding says so); the rest arrives.
      expect(ukAppArgs(cmdline)).toEqual(['/hello', '--', 'a b'])
    }
  )

  it('native image without arguments: no command line at all (helloworld-tcg has no -append)', () => {
    expect(buildUnikraftCmdline({ mode: 'native', cmd: [] }).cmdline).toBe('')
    expect(appendOf('helloworld-tcg')).toBeUndefined()
  })

  it('puts the network address first, then the fstab, then env.vars, then -- and the program', () => {
    const { cmdline } = buildUnikraftCmdline({
      mode: 'elfloader',
      network: true,
      cmd: ['/bin/app'],
      env: { A: '1', B: 'two words' }
    })
    expect(cmdline).toBe(
      'netdev.ip=10.0.2.15/24:10.0.2.2:10.0.2.3 vfs.fstab=[ "initrd0:/:extract::ramfs=1:" ] ' +
        'env.vars=[ "A=1" "B=two words" ] -- /bin/app'
    )
  })

  it('env values with quotes stay one element each', () => {
    const { cmdline } = buildUnikraftCmdline({ mode: 'native', cmd: [], env: { Q: `say "hi"`, S: "it's" } })
    const words = ukArgParse(cmdline)
    expect(words).toEqual(['env.vars=[', 'Q=say "hi"', "S=it's", ']', '--'])
  })

  it('arguments with spaces and quotes survive the round trip through ukargparse', () => {
    const cmd = ['/bin/app', 'arg 2', `q"u'o`, 'tab\there', '--flag=a b']
    expect(ukAppArgs(buildUnikraftCmdline({ mode: 'elfloader', cmd }).cmdline)).toEqual(cmd)
  })

  it('warns about an empty argument, which Unikraft drops', () => {
    const built = buildUnikraftCmdline({ mode: 'elfloader', cmd: ['/usr/bin/redis-server', '--logfile', ''] })
    expect(built.warnings).toHaveLength(1)
    expect(built.warnings[0]).toMatch(/argument 2 .*empty.*drops/)
    expect(ukAppArgs(built.cmdline)).toEqual(['/usr/bin/redis-server', '--logfile'])
  })

  it('no warning without empty arguments', () => {
    expect(buildUnikraftCmdline({ mode: 'elfloader', cmd: ['/a', 'b'] }).warnings).toEqual([])
  })

  it('a native argument that is itself -- gets a separator in front, so the app still sees it', () => {
    const { cmdline } = buildUnikraftCmdline({ mode: 'native', cmd: ['--', 'x'] })
    expect(cmdline).toBe('-- -- x')
    expect(ukAppArgs(cmdline)).toEqual(['--', 'x'])
  })
})
