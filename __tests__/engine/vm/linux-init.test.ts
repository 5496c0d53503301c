import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { nodeCommandRunner } from '../../../src/engine/command-runner.js'
import { ConfigurationError } from '../../../src/engine/errors.js'
import { buildLinuxCmdline } from '../../../src/engine/vm/linux-cmdline.js'
import {
  DEFAULT_GUEST_PATH,
  INIT_SCRIPT,
  linuxInitDataFiles,
  nulRecords,
  straceCommand
} from '../../../src/engine/vm/linux-init.js'
import { removeDir, staticBusybox, tempDir } from './vm-test-support.js'

describe('buildLinuxCmdline', () => {
  it.each([
    [{}, 'console=ttyS0 panic=-1 quiet rdinit=/.ukc/init'],
    [{ verbose: true }, 'console=ttyS0 panic=-1 rdinit=/.ukc/init'],
    [{ initPath: '/init', extra: ['loglevel=7'] }, 'console=ttyS0 panic=-1 quiet rdinit=/init loglevel=7']
  ])('%j', (input, cmdline) => {
    expect(buildLinuxCmdline(input)).toBe(cmdline)
  })
})

describe('the baseline init data files', () => {
  let dir: string
  beforeEach(async () => {
    dir = await tempDir('init')
  })
  afterEach(() => removeDir(dir))

  it('NUL-terminates every record', () => {
    expect(nulRecords(['a b', '', 'x'])).toEqual(Buffer.from('a b\0\0x\0'))
  })

  it('the init runs under the private busybox and ends with the status line and a power-off', () => {
    expect(INIT_SCRIPT.startsWith('#!/.ukc/busybox sh\n')).toBe(true)
    expect(INIT_SCRIPT.trimEnd().split('\n').slice(-2)).toEqual([
      'echo "UNIKRAFT_COMPAT_EXIT=$rc"',
      '$B poweroff -f'
    ])
  })

  it("busybox's read -d '' (the loop the init uses) reads every argument back exactly", async () => {
    const cmd = ['/bin/prog', 'a b', `q"u'o`, '', 'two\nlines\n', '$(reboot)', '*', '-n']
    const files = linuxInitDataFiles({ cmd, env: { FOO: 'x y', EMPTY: '' }, cwd: '/srv' })
    for (const f of files) await writeFile(join(dir, f.name), f.data)
    // The same loops as the init, run by the host's static busybox; the output is JSON per record.
    const script =
      `set -f; n=0\n` +
      `while IFS= read -r -d '' a; do n=$((n+1)); printf '%s\\0' "$a"; done < ${dir}/argv\n` +
      `printf '|'\n` +
      `while IFS= read -r -d '' a; do printf '%s\\0' "$a"; done < ${dir}/env\n` +
      `printf '|'; IFS= read -r -d '' c < ${dir}/cwd; printf '%s' "$c"\n` +
      `printf '|'; IFS= read -r -d '' p < ${dir}/path; printf '%s' "$p"\n`
    const r = await nodeCommandRunner.run([await staticBusybox(), 'sh', '-c', script])
    expect(r.code).toBe(0)
    const [argv, env, cwd, path] = r.stdout.split('|')
    expect(argv.split('\0').slice(0, -1)).toEqual(cmd)
    expect(env.split('\0').slice(0, -1)).toEqual([`PATH=${DEFAULT_GUEST_PATH}`, 'FOO=x y', 'EMPTY='])
    expect(cwd).toBe('/srv')
    expect(path).toBe(DEFAULT_GUEST_PATH)
  })

  it('a traced run has one more data file: the strace command prefix (the script is the same)', () => {
    const plain = linuxInitDataFiles({ cmd: ['/hello'], env: {} })
    const traced = linuxInitDataFiles({ cmd: ['/hello'], env: {}, trace: true })
    expect(plain.map(f => f.name)).toEqual(['argv', 'env', 'cwd', 'path'])
    expect(traced.slice(0, 4)).toEqual(plain)
    expect(traced[4]).toEqual({
      name: 'trace',
      data: Buffer.from(
        [
          '/.ukc/strace/ld.so',
          '--library-path',
          '/.ukc/strace/lib',
          '/.ukc/strace/strace',
          '-D',
          '-f',
          '-q',
          '-s',
          '256',
          '-o',
          '/dev/ttyS1'
        ].join('\0') + '\0'
      )
    })
    expect(linuxInitDataFiles({ cmd: ['/hello'], env: {}, trace: { loader: false } })[4].data).toEqual(
      nulRecords(['/.ukc/strace/strace', '-D', '-f', '-q', '-s', '256', '-o', '/dev/ttyS1'])
    )
    expect(straceCommand({ loader: false })).toEqual(straceCommand().slice(3))
  })

  it('a PATH from the app environment is the one searched', () => {
    const files = linuxInitDataFiles({ cmd: ['redis-server'], env: { PATH: '/opt/bin' } })
    expect(files.find(f => f.name === 'path')?.data).toEqual(Buffer.from('/opt/bin\0'))
  })

  it.each<[string, { cmd: string[]; env?: Record<string, string>; cwd?: string }, RegExp]>([
    ['an empty command', { cmd: [] }, /Input 'cmd' must name the program/],
    ['a NUL byte in an argument', { cmd: ['/a', 'b\0c'] }, /argument 1 contains a NUL/],
    ["a program name with '='", { cmd: ['A=B'] }, /must not contain '='/],
    ["an env name with '='", { cmd: ['/a'], env: { 'A=B': 'c' } }, /Input 'env'/],
    ['a relative working directory', { cmd: ['/a'], cwd: 'srv' }, /Input 'workdir' must be an absolute path/]
  ])('rejects %s', (_name, input, message) => {
    expect(() => linuxInitDataFiles({ env: {}, ...input })).toThrow(ConfigurationError)
    expect(() => linuxInitDataFiles({ env: {}, ...input })).toThrow(message)
  })
})
