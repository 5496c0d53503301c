// The Linux baseline under real QEMU (TCG): Debian's cloud kernel, the generated init, a tiny app
// root filesystem (static busybox). Each boot takes seconds, so the kernel and the app archive are
// prepared once and each behaviour gets one boot.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createMemoryLogger } from '../../../src/engine/logger.js'
import { ensureLinuxKernel, type LinuxKernel } from '../../../src/engine/vm/linux-kernel.js'
import { startVm } from '../../../src/engine/vm/start-vm.js'
import type { VmHandle, VmSpec } from '../../../src/engine/vm/vm-types.js'
import {
  LINUX_CACHE_DIR,
  qemuProcessesMentioning,
  removeDir,
  tempDir,
  writeAppCpio
} from './vm-test-support.js'

const BOOT = 180_000

describe('Linux baseline guests', () => {
  let shared: string
  let kernel: LinuxKernel
  let appCpio: string
  let appCpioGz: string
  let dir: string

  beforeAll(async () => {
    kernel = await ensureLinuxKernel(LINUX_CACHE_DIR)
    shared = await tempDir('linux-app')
    appCpio = join(shared, 'app.cpio')
    await writeAppCpio(appCpio, { 'srv/hello.txt': 'hello-from-guest\n' })
    appCpioGz = join(shared, 'app.cpio.gz')
    await writeFile(appCpioGz, gzipSync(await readFile(appCpio)))
  }, 300_000)
  afterAll(() => removeDir(shared))

  beforeEach(async () => {
    dir = await tempDir('linux')
  })
  afterEach(async () => {
    expect(await qemuProcessesMentioning(dir)).toEqual([])
    await removeDir(dir)
  })

  function spec(cmd: string[], over: Partial<VmSpec> = {}): VmSpec {
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
      outDir: join(dir, 'out'),
      ...over
    }
  }

  it(
    'runs the command with its arguments, environment and working directory, reports its exit status, and reaches the host at 10.0.2.2',
    async () => {
      // A host service the guest fetches from (QEMU's user networking maps 10.0.2.2 to the host).
      const server = createServer((_req, res) => res.end('pong-from-host\n'))
      await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
      const hostPort = (server.address() as AddressInfo).port
      try {
        const script =
          'printf "[%s]\\n" "$@"; echo "FOO=$FOO"; pwd; cat hello.txt; ' +
          `/bin/busybox wget -q -O - http://10.0.2.2:${hostPort}/; exit 7`
        const vm = await startVm(
          spec(['sh', '-c', script, 'sh', 'a b', `q"u'o`, '', '$(reboot)'], {
            env: { FOO: 'bar  baz' },
            cwd: '/srv',
            network: true
          }),
          { logger: createMemoryLogger() }
        )
        const r = await vm.done
        const lines = (await readFile(r.consoleLog, 'utf8')).split(/\r?\n/)
        expect(r.reason).toBe('exited')
        expect(r.guestExit).toBe(7)
        expect(r.qemuExit).toBe(0)
        expect(r.networkProblem).toBeNull()
        expect(lines).toEqual(
          expect.arrayContaining([
            '[a b]',
            `[q"u'o]`,
            '[]',
            '[$(reboot)]',
            'FOO=bar  baz',
            '/srv',
            'hello-from-guest',
            'pong-from-host',
            'UNIKRAFT_COMPAT_EXIT=7'
          ])
        )
        expect(r.timeline.bannerMs).not.toBeNull()
        expect(r.qmpEvents.find(e => e.event === 'SHUTDOWN')?.data).toMatchObject({
          reason: 'guest-shutdown'
        })
      } finally {
        server.close()
      }
    },
    BOOT
  )

  it(
    'a kernel panic ends QEMU at once and is reported as panicked (pvpanic); a gzip app archive works too',
    async () => {
      const vm = await startVm(
        spec(['/bin/sh', '-c', 'echo about-to-panic; echo c > /proc/sysrq-trigger'], { initrd: appCpioGz }),
        {
          logger: createMemoryLogger()
        }
      )
      const r = await vm.done
      expect(r.reason).toBe('panicked')
      expect(r.qmpEvents.map(e => e.event)).toContain('GUEST_PANICKED')
      expect(r.guestExit).toBeNull()
      const log = await readFile(r.consoleLog, 'utf8')
      // Printed by the app's /bin/sh, which only the gzip part of the initrd holds.
      expect(log).toContain('about-to-panic')
      expect(log).toMatch(/Kernel panic - not syncing/)
    },
    BOOT
  )

  it(
    'a guest that hangs is stopped at the overall deadline',
    async () => {
      const timeoutMs = 30_000
      const vm = await startVm(spec(['/bin/sh', '-c', 'echo sleeping; sleep 1000'], { timeoutMs }), {
        logger: createMemoryLogger()
      })
      const r = await vm.done
      expect(r.reason).toBe('deadline')
      expect(r.guestExit).toBeNull()
      expect(r.timeline.exitMs as number).toBeGreaterThanOrEqual(timeoutMs)
      expect(await readFile(r.consoleLog, 'utf8')).toContain('sleeping')
    },
    BOOT
  )

  describe('forwarded ports', () => {
    function open(port: number): Promise<Socket> {
      return new Promise((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port })
        s.once('connect', () => resolve(s))
        s.once('error', reject)
      })
    }

    async function acceptedConnection(vm: VmHandle, port: number, guestPort: number): Promise<Socket> {
      for (;;) {
        if (vm.ended) throw new Error('the guest ended before it accepted a connection')
        const s = await open(port)
        for (let i = 0; i < 20; i++) {
          if (await vm.guestAccepted(guestPort)) return s
          await new Promise(r => setTimeout(r, 100))
        }
        s.destroy()
      }
    }

    it(
      'the guest’s port is reachable on the reported host port; guestAccepted is false before it listens and true after',
      async () => {
        const vm = await startVm(
          spec(['/bin/busybox', 'httpd', '-f', '-v', '-p', '8080', '-h', '/srv'], {
            ports: [{ guest: 8080 }]
          }),
          {
            logger: createMemoryLogger()
          }
        )
        try {
          const host = vm.ports[8080]
          // Long before the guest has booted: QEMU accepts the connection, the guest has not.
          const early = await open(host)
          expect(await vm.guestAccepted(8080)).toBe(false)
          early.destroy()

          await new Promise<void>(r =>
            vm.onConsoleLine(l => l.text.startsWith('UNIKRAFT_COMPAT_INIT=') && r())
          )
          const s = await acceptedConnection(vm, host, 8080)
          expect(await vm.guestAccepted(8080)).toBe(true)
          const body = await new Promise<string>((resolve, reject) => {
            let got = ''
            s.setEncoding('utf8')
            s.on('data', (d: string) => (got += d))
            s.on('end', () => resolve(got))
            s.on('error', reject)
            s.write('GET /hello.txt HTTP/1.0\r\n\r\n')
          })
          expect(body).toMatch(/^HTTP\/1\.[01] 200/)
          expect(body).toContain('hello-from-guest')
        } finally {
          const r = await vm.stop()
          expect(r.reason).toBe('killed')
          expect(r.ports).toEqual({ 8080: vm.ports[8080] })
        }
      },
      BOOT
    )
  })

  it(
    'a kernel without virtio-net: a run that needs the network says why it has none (networkProblem)',
    async () => {
      const noModules = join(dir, 'no-modules')
      await mkdir(join(noModules, 'kernel'), { recursive: true })
      const vm = await startVm(
        spec(['/bin/busybox', 'true'], { linuxModulesDir: noModules, ports: [{ guest: 8080 }] }),
        { logger: createMemoryLogger() }
      )
      const r = await vm.done
      expect(r.networkProblem).toBe(
        `the kernel has no virtio_pci or virtio_net (neither a module in ${noModules} nor built in)`
      )
      expect(r.guestExit).toBe(0)
    },
    BOOT
  )
})
