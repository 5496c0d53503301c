// startVm with real QEMU (TCG) and tiny multiboot guests that boot in milliseconds: how a run ends,
// the evidence it leaves, teardown, and bad input. The Linux baseline boots are in linux-baseline.test.ts.
import { randomBytes } from 'node:crypto'
import { access, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { ConfigurationError, InfrastructureError } from '../../../src/engine/errors.js'
import { createMemoryLogger } from '../../../src/engine/logger.js'
import { truncationMarker } from '../../../src/engine/vm/console-capture.js'
import { buildProbeKernel, type ProbeKernelOptions } from '../../../src/engine/vm/probe-kernel.js'
import { startVm } from '../../../src/engine/vm/start-vm.js'
import type { VmSpec } from '../../../src/engine/vm/vm-types.js'
import { qemuProcessesMentioning, removeDir, tempDir, writeAppCpio } from './vm-test-support.js'

const SLOW = 60_000

describe('startVm with tiny real guests', () => {
  let dir: string
  let outDir: string
  beforeEach(async () => {
    dir = await tempDir('vm')
    outDir = join(dir, 'out')
  })
  afterEach(async () => {
    // The promise of the runner: nothing of ours is left running after any test.
    expect(await qemuProcessesMentioning(dir)).toEqual([])
    await removeDir(dir)
  })

  async function kernel(opts: ProbeKernelOptions, name = 'kernel.bin'): Promise<string> {
    const path = join(dir, name)
    await writeFile(path, buildProbeKernel(opts))
    return path
  }

  function spec(over: Partial<VmSpec> & { kernel: string }): VmSpec {
    return {
      guest: 'unikraft',
      cmd: [],
      env: {},
      memoryMiB: 32,
      ports: [],
      accel: 'tcg',
      timeoutMs: 30_000,
      bootTimeoutMs: 20_000,
      outDir,
      ...over
    }
  }

  it(
    'a guest that halts: exited, isa-debug-exit hint "halt", console and timeline recorded, pid file removed',
    async () => {
      const logger = createMemoryLogger()
      const vm = await startVm(
        spec({
          kernel: await kernel({ message: 'Powered by\r\nHello world!\r\n', then: 'exit', exitValue: 41 }),
          cmd: ['arg 1', '']
        }),
        { logger }
      )
      const lines: string[] = []
      vm.onConsoleLine(l => lines.push(l.text))
      const r = await vm.done
      expect(r.reason).toBe('exited')
      expect(r.qemuExit).toBe(83)
      expect(r.debugExit).toBe('halt')
      expect(r.guestExit).toBeNull()
      expect(r.accel).toBe('tcg')
      expect(r.qemuVersion).toMatch(/^\d+\.\d+/)
      expect(lines).toEqual(['Powered by', 'Hello world!'])
      expect(await readFile(r.consoleLog, 'latin1')).toBe('Powered by\r\nHello world!\r\n')
      expect(vm.consoleText()).toBe('Powered by\r\nHello world!\r\n')
      expect(r.qmpEvents.map(e => e.event)).toContain('RESUME')
      const t = r.timeline
      expect(t.spawnMs).not.toBeNull()
      expect(t.firstOutputMs).not.toBeNull()
      // The banner line is stamped when its last byte arrived.
      expect(t.bannerMs as number).toBeGreaterThanOrEqual(t.firstOutputMs as number)
      expect(t.spawnMs as number).toBeLessThanOrEqual(t.firstOutputMs as number)
      expect(t.firstOutputMs as number).toBeLessThanOrEqual(t.exitMs as number)
      expect(vm.ended).toBe(true)
      // The native command line, with the empty argument warned about.
      expect(r.argv).toEqual(expect.arrayContaining(['-append', '"arg 1" ""']))
      expect(
        logger.lines.some(l => l.level === 'info' && /argument 1 of the command is empty/.test(l.message))
      ).toBe(true)
      await expect(access(join(outDir, 'qemu.pid'))).rejects.toThrow()
      await expect(access(join(outDir, 'qmp.sock'))).rejects.toThrow()
      expect(await stat(r.qemuStderrLog)).toBeTruthy()
    },
    SLOW
  )

  it(
    'keeps every byte a guest prints right before it exits (a crash dump is the last thing printed)',
    async () => {
      // 48 KiB of numbered lines, then an immediate crash exit. QEMU writes the serial port a byte
      // at a time to a socket that holds far fewer such writes: the guest (polling the UART like a
      // real driver) is held back, and every byte must still reach console.log, the last ones too.
      const lines = Array.from(
        { length: 1024 },
        (_, i) => `[ ${String(i).padStart(4, '0')} ] CRIT: ${'x'.repeat(34)}\r\n`
      )
      const message = lines.join('')
      const vm = await startVm(spec({ kernel: await kernel({ message, then: 'exit', exitValue: 42 }) }), {
        logger: createMemoryLogger()
      })
      const r = await vm.done
      expect(r.reason).toBe('crashed')
      expect(await readFile(r.consoleLog, 'latin1')).toBe(message)
    },
    SLOW
  )

  it(
    'a guest that crashes through isa-debug-exit (value 42): crashed, QEMU status 85',
    async () => {
      const vm = await startVm(
        spec({ kernel: await kernel({ message: 'boom\n', then: 'exit', exitValue: 42 }) }),
        {
          logger: createMemoryLogger()
        }
      )
      const r = await vm.done
      expect(r).toMatchObject({ reason: 'crashed', qemuExit: 85, debugExit: 'crash' })
    },
    SLOW
  )

  it(
    'a guest that reports a panic through pvpanic: panicked, and QEMU ends by itself',
    async () => {
      const vm = await startVm(spec({ kernel: await kernel({ message: 'oops\n', then: 'panic' }) }), {
        logger: createMemoryLogger()
      })
      const r = await vm.done
      expect(r.reason).toBe('panicked')
      expect(r.qmpEvents.map(e => e.event)).toEqual(expect.arrayContaining(['GUEST_PANICKED', 'SHUTDOWN']))
    },
    SLOW
  )

  it(
    'a guest that QEMU pauses (STOP, as on a KVM internal error): stopped at once, not at the deadline',
    async () => {
      // The pause comes from a second QMP monitor the test adds through a wrapper around the real
      // QEMU: the runner sees the same STOP event a KVM emulation failure produces.
      const extra = join(dir, 'extra.sock')
      const wrapper = join(dir, 'qemu-with-monitor')
      await writeFile(
        wrapper,
        `#!/bin/sh\nexec qemu-system-x86_64 "$@" -qmp unix:${extra},server=on,wait=off\n`,
        { mode: 0o755 }
      )
      const vm = await startVm(
        spec({
          kernel: await kernel({ message: 'up\n', then: 'spin' }),
          qemuBinary: wrapper,
          timeoutMs: 120_000
        }),
        { logger: createMemoryLogger() }
      )
      await new Promise<void>(r => vm.onConsoleLine(l => l.text === 'up' && r()))
      const monitor = connect(extra)
      const replies: string[] = []
      monitor.on('data', d => replies.push(d.toString()))
      // Once the runner sees STOP it takes QEMU down, and this socket with it (ECONNRESET): expected.
      monitor.on('error', () => {})
      const until = async (re: RegExp): Promise<void> => {
        while (!re.test(replies.join(''))) await new Promise(r => setTimeout(r, 20))
      }
      await until(/"QMP"/)
      monitor.write('{"execute":"qmp_capabilities"}\n')
      await until(/"return"/)
      monitor.write('{"execute":"stop"}\n')
      const r = await vm.done
      monitor.destroy()
      expect(r.reason).toBe('stopped')
      expect(r.qmpEvents.map(e => e.event)).toContain('STOP')
    },
    SLOW
  )

  it(
    'stop(): a running guest is stopped (QMP quit first) and the result says killed',
    async () => {
      const vm = await startVm(spec({ kernel: await kernel({ message: 'up\n', then: 'spin' }) }), {
        logger: createMemoryLogger()
      })
      await new Promise<void>(r => vm.onConsoleLine(l => l.text === 'up' && r()))
      vm.markReady()
      const r = await vm.stop()
      expect(r.reason).toBe('killed')
      expect(r.timeline.readyMs).not.toBeNull()
      expect(r.qmpEvents.some(e => e.event === 'SHUTDOWN')).toBe(true)
      expect(vm.ended).toBe(true)
      expect(await vm.stop()).toBe(r)
    },
    SLOW
  )

  it(
    'a guest that prints nothing ends at the boot deadline',
    async () => {
      const vm = await startVm(
        spec({ kernel: await kernel({ message: '', then: 'spin' }), bootTimeoutMs: 1500 }),
        {
          logger: createMemoryLogger()
        }
      )
      const r = await vm.done
      expect(r.reason).toBe('boot-timeout')
      expect(r.timeline.firstOutputMs).toBeNull()
      expect(await readFile(r.consoleLog, 'latin1')).toBe('')
    },
    SLOW
  )

  it(
    'a guest flooding the console: cut at the cap with a visible marker, stopped at the overall deadline',
    async () => {
      const vm = await startVm(
        spec({
          kernel: await kernel({ message: 'spam spam spam\r\n', then: 'repeat' }),
          consoleCap: 4096,
          timeoutMs: 3000
        }),
        { logger: createMemoryLogger() }
      )
      const r = await vm.done
      expect(r.reason).toBe('deadline')
      expect(r.consoleTruncated).toBe(true)
      const log = await readFile(r.consoleLog, 'latin1')
      expect(log.length).toBe(4096 + truncationMarker(4096).length)
      expect(log.endsWith(truncationMarker(4096))).toBe(true)
    },
    SLOW
  )

  it(
    'a kernel QEMU refuses: qemu-error at once, with QEMU’s own complaint in qemu-stderr.log',
    async () => {
      // Passes the file check (a valid multiboot header), but its load address lies past the header.
      const bad = Buffer.from(buildProbeKernel({ message: 'x', then: 'exit' }))
      bad.writeUInt32LE(0x100010, 16)
      await writeFile(join(dir, 'bad.bin'), bad)
      const vm = await startVm(spec({ kernel: join(dir, 'bad.bin') }), { logger: createMemoryLogger() })
      const r = await vm.done
      expect(r.reason).toBe('qemu-error')
      expect(r.qemuExit).toBe(1)
      expect(r.timeline.firstOutputMs).toBeNull()
      expect(await readFile(r.qemuStderrLog, 'utf8')).toMatch(/invalid load_addr address/)
    },
    SLOW
  )

  it(
    'a QEMU that exits before the runner has finished starting it still ends the run',
    async () => {
      // A QEMU that dies at once (as on a refused kernel, on a busy machine): it exits while startVm
      // is still writing the pid file. The run used to wait forever for a 'close' it had missed.
      const dying = join(dir, 'qemu-dies-at-once')
      await writeFile(
        dying,
        '#!/bin/sh\n[ "$1" = --version ] && exec qemu-system-x86_64 --version\necho "cannot start" >&2\nexit 1\n',
        { mode: 0o755 }
      )
      const vm = await startVm(
        spec({ kernel: await kernel({ message: 'x\n', then: 'exit' }), qemuBinary: dying }),
        {
          logger: createMemoryLogger()
        }
      )
      const r = await vm.done
      expect(r).toMatchObject({ reason: 'qemu-error', qemuExit: 1 })
      expect(await readFile(r.qemuStderrLog, 'utf8')).toContain('cannot start')
      expect(vm.ended).toBe(true)
    },
    SLOW
  )

  it(
    "the caller's abort signal stops the VM",
    async () => {
      const ac = new AbortController()
      const vm = await startVm(spec({ kernel: await kernel({ message: 'up\n', then: 'spin' }) }), {
        logger: createMemoryLogger(),
        signal: ac.signal
      })
      ac.abort()
      expect((await vm.done).reason).toBe('killed')
    },
    SLOW
  )

  it(
    'a forwarded port nobody listens on: QEMU accepts the host connection, the guest has not (guestAccepted false)',
    async () => {
      const vm = await startVm(
        spec({ kernel: await kernel({ message: 'up\n', then: 'spin' }), ports: [{ guest: 8080 }] }),
        {
          logger: createMemoryLogger()
        }
      )
      try {
        const host = vm.ports[8080]
        expect(host).toBeGreaterThan(0)
        const socket = connect({ host: vm.hostAddress, port: host })
        await new Promise<void>((ok, fail) => {
          socket.once('connect', ok)
          socket.once('error', fail)
        })
        expect(await vm.guestAccepted(8080)).toBe(false)
        socket.destroy()
      } finally {
        const r = await vm.stop()
        expect(r.ports).toEqual({ 8080: vm.ports[8080] })
        expect(r.argv.join(' ')).toContain(`hostfwd=tcp:127.0.0.1:${vm.ports[8080]}-:8080`)
      }
      expect(await vm.guestAccepted(8080)).toBe(false)
    },
    SLOW
  )

  describe('bad input: one clear error, nothing started', () => {
    const cases: [
      string,
      (k: string) => Promise<Partial<VmSpec>>,
      typeof ConfigurationError | typeof InfrastructureError,
      RegExp
    ][] = [
      [
        'a missing kernel',
        async () => ({ kernel: join(dir, 'nope') }),
        ConfigurationError,
        /Input 'kernel' .*: no such file/
      ],
      [
        'a directory as kernel',
        async () => ({ kernel: dir }),
        ConfigurationError,
        /Input 'kernel' .*not a regular file/
      ],
      [
        'an empty kernel',
        async () => {
          await writeFile(join(dir, 'empty'), '')
          return { kernel: join(dir, 'empty') }
        },
        ConfigurationError,
        /Input 'kernel' .*: the file is empty/
      ],
      [
        'random bytes as the kernel',
        async () => {
          await writeFile(join(dir, 'garbage.bin'), randomBytes(64 * 1024))
          return { kernel: join(dir, 'garbage.bin') }
        },
        ConfigurationError,
        /Input 'kernel' .*: no multiboot header and not an ELF file or a bzImage/
      ],
      [
        'an initrd that is not a cpio archive',
        async () => {
          await writeFile(join(dir, 'rootfs.tar'), Buffer.alloc(1024))
          return { initrd: join(dir, 'rootfs.tar'), cmd: ['/hello'] }
        },
        ConfigurationError,
        /Input 'initrd' must be a cpio archive \(newc, magic 070701\)/
      ],
      [
        'a gzip initrd for Unikraft',
        async () => {
          await writeAppCpio(join(dir, 'app.cpio'))
          await writeFile(join(dir, 'app.cpio.gz'), gzipSync(await readFile(join(dir, 'app.cpio'))))
          return { initrd: join(dir, 'app.cpio.gz'), cmd: ['/bin/sh'] }
        },
        ConfigurationError,
        /uncompressed cpio archive \(newc\) for Unikraft/
      ],
      ['port 0', async () => ({ ports: [{ guest: 0 }] }), ConfigurationError, /Input 'ports'/],
      ['port 70000', async () => ({ ports: [{ guest: 70000 }] }), ConfigurationError, /Input 'ports'/],
      [
        'a port twice',
        async () => ({ ports: [{ guest: 80 }, { guest: 80 }] }),
        ConfigurationError,
        /guest port 80 twice/
      ],
      [
        '4 MiB of memory',
        async () => ({ memoryMiB: 4 }),
        ConfigurationError,
        /Input 'memory' must be a whole number of MiB, at least 8/
      ],
      [
        'QEMU not installed',
        async () => ({ qemuBinary: join(dir, 'no-such-qemu-system-x86_64') }),
        InfrastructureError,
        /QEMU is not installed or cannot run/
      ]
    ]

    it.each(cases)('%s', async (_name, make, kind, message) => {
      const good = await kernel({ message: 'x', then: 'exit' })
      await mkdir(dir, { recursive: true })
      const err = await startVm(spec({ kernel: good, ...(await make(good)) }), {
        logger: createMemoryLogger()
      }).catch(e => e)
      expect(err).toBeInstanceOf(kind)
      expect(err.message).toMatch(message)
      if (err instanceof InfrastructureError) expect(err.hint).toMatch(/apt-get install -y qemu-system-x86/)
      await expect(access(join(outDir, 'qemu.pid'))).rejects.toThrow()
    })
  })
})
