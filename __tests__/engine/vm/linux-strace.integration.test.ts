// The Linux baseline traced with strace under real QEMU (TCG): the trace goes to its own serial port
// and file, the console keeps the app's output alone. The app is __fixtures__/traces/hello3.c built
// here (prints `hello`, returns 3). Two boots: one traced, one not.
import { access, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { nodeCommandRunner } from '../../../src/engine/command-runner.js'
import { InfrastructureError } from '../../../src/engine/errors.js'
import { createMemoryLogger } from '../../../src/engine/logger.js'
import { writeCpio } from '../../../src/engine/rootfs/cpio-writer.js'
import { RUN_FILES } from '../../../src/engine/run-files.js'
import { parseTrace } from '../../../src/engine/trace/syscall-trace.js'
import { ensureLinuxKernel, type LinuxKernel } from '../../../src/engine/vm/linux-kernel.js'
import { startVm } from '../../../src/engine/vm/start-vm.js'
import type { VmResult, VmSpec } from '../../../src/engine/vm/vm-types.js'
import {
  LINUX_CACHE_DIR,
  qemuProcessesMentioning,
  readNewc,
  removeDir,
  staticBusybox,
  tempDir
} from './vm-test-support.js'

const BOOT = 180_000
const HELLO_SOURCE = new URL('../../../__fixtures__/traces/hello3.c', import.meta.url).pathname

/** The console between the init's banner and its exit line: what the app printed (the serial's CR dropped). */
function appOutput(consoleText: string): string[] {
  const lines = consoleText.split(/\r?\n/)
  const from = lines.findIndex(l => l.startsWith('UNIKRAFT_COMPAT_INIT='))
  const to = lines.findIndex(l => l.startsWith('UNIKRAFT_COMPAT_EXIT='))
  expect(from).toBeGreaterThanOrEqual(0)
  expect(to).toBeGreaterThan(from)
  return lines.slice(from + 1, to)
}

/** The entries of the overlay the baseline appended to the app's archive. */
async function overlayNames(r: VmResult, appCpio: string): Promise<string[]> {
  const all = await readFile(join(r.consoleLog, '..', RUN_FILES.linuxInitrd))
  return readNewc(all, Math.ceil((await stat(appCpio)).size / 4) * 4).entries.map(e => e.name)
}

describe('the Linux baseline under strace', () => {
  let kernel: LinuxKernel
  let dir: string
  let appCpio: string

  beforeAll(async () => {
    kernel = await ensureLinuxKernel(LINUX_CACHE_DIR)
    dir = await tempDir('strace')
    const hello = join(dir, 'hello')
    const cc = await nodeCommandRunner.run(['gcc', '-static-pie', '-O2', '-o', hello, HELLO_SOURCE])
    expect(cc.stderr).toBe('')
    expect(cc.code).toBe(0)
    const bb = await staticBusybox()
    appCpio = join(dir, 'app.cpio')
    await writeCpio(
      [
        { path: 'bin', type: 'dir', mode: 0o755 },
        { path: 'bin/busybox', type: 'file', mode: 0o755, source: bb, size: (await stat(bb)).size },
        { path: 'bin/sh', type: 'symlink', mode: 0o777, linkTarget: 'busybox' },
        { path: 'hello', type: 'file', mode: 0o755, source: hello, size: (await stat(hello)).size }
      ],
      appCpio
    )
  }, 300_000)
  afterAll(async () => {
    expect(await qemuProcessesMentioning(dir)).toEqual([])
    await removeDir(dir)
  })

  function spec(outDir: string, cmd: string[], over: Partial<VmSpec> = {}): VmSpec {
    return {
      guest: 'linux',
      kernel: kernel.kernel,
      initrd: appCpio,
      linuxModulesDir: kernel.modulesDir ?? undefined,
      cmd,
      env: {},
      memoryMiB: 256,
      ports: [],
      accel: 'tcg',
      timeoutMs: 150_000,
      bootTimeoutMs: 120_000,
      outDir: join(dir, outDir),
      ...over
    }
  }

  it(
    'traced: the console holds the app output alone; strace.log holds the calls, complete, even with a child left running',
    async () => {
      // A shell leaves a child sleeping and becomes the program: the init must end that child (as the
      // power-off does untraced) and wait for strace, or the run would last until the deadline. The
      // shell execs the program only once the child sleeps, so no line of the child's splits one of
      // the program's (`<unfinished ...>`, which parseTrace does not join).
      const script =
        '/bin/busybox sleep 1000 & ' +
        'until /bin/busybox grep -q "^State:.S" /proc/$!/status; do /bin/busybox sleep 0.1; done; ' +
        'exec /hello'
      const vm = await startVm(
        spec('traced', ['/bin/sh', '-c', script], {
          env: { GREETING: 'x y' },
          trace: true
        }),
        { logger: createMemoryLogger() }
      )
      const r = await vm.done
      expect(r.reason).toBe('exited')
      expect(r.guestExit).toBe(3)
      expect(r.traceFile).toBe(join(dir, 'traced', RUN_FILES.strace))

      const consoleText = await readFile(r.consoleLog, 'utf8')
      expect(appOutput(consoleText)).toEqual(['hello'])
      expect(parseTrace(consoleText).calls).toEqual([])
      expect(consoleText).not.toMatch(/strace|\+\+\+|execve/)

      const text = await readFile(r.traceFile as string, 'utf8')
      // The port is raw: lines end as strace wrote them.
      expect(text).not.toContain('\r')
      const trace = parseTrace(text)
      expect(trace.unreadable).toBe(0)
      // The trace starts at the command's exec; its environment is the app's (strace -E), PATH included.
      expect(trace.calls[0]).toMatchObject({ name: 'execve', outcome: { kind: 'ok', value: '0' } })
      expect(trace.calls[0].args).toMatch(/^"\/bin\/sh", \["\/bin\/sh", "-c", .*\/\* 2 vars \*\/$/)
      const exec = trace.calls.find(c => c.name === 'execve' && c.args.startsWith('"/hello"'))
      expect(exec?.outcome).toEqual({ kind: 'ok', value: '0' })
      const hello = exec?.pid as number
      // The program is the command's own process (the shell exec'd it).
      expect(hello).toBe(trace.calls[0].pid)
      const mine = trace.calls.filter(c => c.pid === hello)
      expect(mine.find(c => c.name === 'write')).toMatchObject({
        args: '1, "hello\\n", 6',
        outcome: { kind: 'ok', value: '6' }
      })
      expect(mine[mine.length - 1]).toMatchObject({
        name: 'exit_group',
        args: '3',
        outcome: { kind: 'none' }
      })
      expect(text).toMatch(new RegExp(`^${hello} +\\+\\+\\+ exited with 3 \\+\\+\\+$`, 'm'))
      // The sleeping child was traced too, and ended by the init.
      expect(text).toMatch(/^\d+ +\+\+\+ killed by SIGKILL \+\+\+$/m)

      const names = await overlayNames(r, appCpio)
      expect(names).toEqual(
        expect.arrayContaining([
          '.ukc/trace',
          '.ukc/strace/strace',
          '.ukc/strace/ld.so',
          '.ukc/strace/lib/libc.so.6'
        ])
      )
    },
    BOOT
  )

  it('traced with no usable strace on the host: an InfrastructureError naming the fix, and QEMU never starts', async () => {
    const err = await startVm(spec('no-strace', ['/hello'], { trace: true }), {
      logger: createMemoryLogger(),
      strace: join(dir, 'no-such-strace')
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InfrastructureError)
    expect((err as InfrastructureError).hint).toMatch(/apt-get install strace$/)
    await expect(access(join(dir, 'no-strace', RUN_FILES.console))).rejects.toThrow(/ENOENT/)
  })

  it(
    'untraced: no strace in the initrd, no trace port, no strace.log',
    async () => {
      const vm = await startVm(spec('plain', ['/hello']), { logger: createMemoryLogger() })
      const r = await vm.done
      expect(r.reason).toBe('exited')
      expect(r.guestExit).toBe(3)
      expect(r.traceFile).toBeNull()
      expect(appOutput(await readFile(r.consoleLog, 'utf8'))).toEqual(['hello'])
      await expect(access(join(dir, 'plain', RUN_FILES.strace))).rejects.toThrow(/ENOENT/)
      expect(r.argv).not.toContain('-chardev')
      expect(r.argv.filter(a => a === '-serial')).toHaveLength(1)
      const names = await overlayNames(r, appCpio)
      expect(names).toContain('.ukc/init')
      expect(names.filter(n => n === '.ukc/trace' || n.startsWith('.ukc/strace'))).toEqual([])
    },
    BOOT
  )
})
