import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { systemClock } from '../../../src/engine/clock.js'
import { nodeCommandRunner } from '../../../src/engine/command-runner.js'
import { startKraftVm, type KraftVmSpec } from '../../../src/engine/kraft/kraft-runner.js'
import { guestAcceptedFrom, hmpCommand, parseUsernet } from '../../../src/engine/kraft/qemu-monitor.js'
import { createMemoryLogger } from '../../../src/engine/logger.js'
import { which } from '../../../src/engine/setup/which.js'
import { truncationMarker } from '../../../src/engine/vm/console-capture.js'
import { isBannerLine } from '../../../src/engine/vm/vm-end.js'
import type { ConsoleLine } from '../../../src/engine/vm/vm-types.js'
import { writeFakeKraft, type FakeKraftCall } from './fake-kraft.js'

// Captured from QEMU 7.2 here (`info usernet` over the HMP monitor socket, one host connection
// forwarded to a guest that does not listen), including the monitor's echo of the command.
const USERNET_SYN_SENT =
  'info usernet\r\nHub -1 (n0):\r\n  Protocol[State]    FD  Source Address  Port   Dest. Address  Port RecvQ SendQ\r\n' +
  '  TCP[SYN_SENT]      12       127.0.0.1 18082       10.0.2.15    80     0     0\r\n' +
  '  TCP[HOST_FORWARD]  11       127.0.0.1 18082       10.0.2.15    80     0     0\r\n'

describe('info usernet', () => {
  it('parses the rows', () => {
    expect(parseUsernet(USERNET_SYN_SENT)).toEqual([
      {
        protocol: 'TCP',
        state: 'SYN_SENT',
        srcAddress: '127.0.0.1',
        srcPort: 18082,
        destAddress: '10.0.2.15',
        destPort: 80
      },
      {
        protocol: 'TCP',
        state: 'HOST_FORWARD',
        srcAddress: '127.0.0.1',
        srcPort: 18082,
        destAddress: '10.0.2.15',
        destPort: 80
      }
    ])
  })

  it.each([
    [USERNET_SYN_SENT, 80, false],
    [USERNET_SYN_SENT.replace('SYN_SENT', 'ESTABLISHED'), 80, true],
    [USERNET_SYN_SENT.replace('SYN_SENT', 'ESTABLISHED'), 6379, false],
    ['', 80, false]
  ])('accepted? (%#)', (text, port, accepted) => {
    expect(guestAcceptedFrom(parseUsernet(text), port)).toBe(accepted)
  })
})

const haveQemu = which('qemu-system-x86_64') !== null
const maybe = haveQemu ? describe : describe.skip

maybe('startKraftVm with a kraft that starts a real QEMU', () => {
  let work: string
  let kraft: string
  let callLog: string
  const savedLog = process.env.FAKE_KRAFT_LOG
  const savedConsole = process.env.FAKE_KRAFT_CONSOLE
  const calls = async (): Promise<FakeKraftCall[]> =>
    (await readFile(callLog, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map(l => JSON.parse(l) as FakeKraftCall)
  const spec = (over: Partial<KraftVmSpec> = {}): KraftVmSpec => ({
    kraftPath: kraft,
    target: join(work, 'kernel'),
    cmd: ['/usr/bin/redis-server', '--port', '6379'],
    env: { GREETING: 'hi' },
    memoryMiB: 64,
    ports: [{ guest: 6379 }],
    accel: 'tcg',
    timeoutMs: 60_000,
    outDir: join(work, 'out'),
    runtimeDir: join(work, 'rt'),
    ...over
  })
  const deps = () => ({ runner: nodeCommandRunner, logger: createMemoryLogger(), clock: systemClock })

  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'ukc-kr-test-'))
    await mkdir(join(work, 'bin'))
    kraft = await writeFakeKraft(join(work, 'bin'))
    callLog = join(work, 'calls.jsonl')
    process.env.FAKE_KRAFT_LOG = callLog
  })
  afterEach(async () => {
    if (savedLog === undefined) delete process.env.FAKE_KRAFT_LOG
    else process.env.FAKE_KRAFT_LOG = savedLog
    if (savedConsole === undefined) delete process.env.FAKE_KRAFT_CONSOLE
    else process.env.FAKE_KRAFT_CONSOLE = savedConsole
    await rm(work, { recursive: true, force: true })
  })

  function waitForLine(
    vm: { onConsoleLine(cb: (l: ConsoleLine) => void): () => void },
    re: RegExp
  ): Promise<ConsoleLine> {
    return new Promise(resolve => {
      const off = vm.onConsoleLine(l => {
        if (re.test(l.text)) {
          queueMicrotask(() => off())
          resolve(l)
        }
      })
    })
  }

  it('streams the console, answers guestAccepted from QEMU, and keeps the logs after kraft rm', async () => {
    const vm = await startKraftVm(spec(), deps())
    try {
      expect(vm.ended).toBe(false)
      const hostPort = vm.ports[6379]
      expect(hostPort).toBeGreaterThan(0)
      const line = await waitForLine(vm, /SeaBIOS/)
      expect(line.n).toBeGreaterThan(0)
      expect(vm.consoleText()).toContain('SeaBIOS')
      expect(vm.qemuArgv).toEqual(
        expect.arrayContaining(['-cpu', 'qemu64,+pdpe1gb,+rdrand,+rdseed,-vmx,-svm'])
      )

      // QEMU accepts on the host side at once; the guest (no OS here) never does.
      expect(await vm.guestAccepted(6379)).toBe(false)
      const sock: Socket = connect(hostPort, '127.0.0.1')
      await new Promise<void>((resolve, reject) => sock.once('connect', resolve).once('error', reject))
      expect(await vm.guestAccepted(6379)).toBe(false)
      // ...and that answer came from QEMU itself, which sees the connection waiting for the guest.
      const rows = parseUsernet(await hmpCommand(join(vm.stateDir!, 'qemu_mon.sock'), 'info usernet'))
      expect(rows).toContainEqual(expect.objectContaining({ state: 'SYN_SENT', destPort: 6379 }))
      sock.destroy()
      vm.markReady()
    } finally {
      const result = await vm.stop()
      expect(result.reason).toBe('killed')
      expect(result.accel).toBe('tcg')
      expect(result.timeline.readyMs).not.toBeNull()
      expect(result.timeline.firstOutputMs).not.toBeNull()
      // SeaBIOS is no Unikraft banner.
      expect(result.timeline.bannerMs).toBeNull()
      expect(await readFile(result.consoleLog, 'utf8')).toContain('SeaBIOS')
      expect(await readFile(result.qemuStderrLog, 'utf8')).toContain('-device sga is deprecated')
      expect(vm.ended).toBe(true)
    }
    // kraft rm removed the machine and its state directory; our copies stay.
    expect(await readdir(join(work, 'rt'))).toEqual(['fake-machines.json'])
    const c = await calls()
    const run = c[0]
    expect(run.argv.slice(0, 5)).toEqual(['run', '--no-prompt', '--log-type', 'basic', '-d'])
    expect(run.argv).toEqual(
      expect.arrayContaining(['-W', '-e', 'GREETING=hi', '--', '/usr/bin/redis-server'])
    )
    expect(run.env).toEqual({
      KRAFTKIT_NO_CHECK_UPDATES: 'true',
      KRAFTKIT_NO_WARN_SUDO: 'true',
      KRAFTKIT_NO_PROMPT: 'true',
      KRAFTKIT_RUNTIME_DIR: join(work, 'rt')
    })
    expect(c.map(x => x.argv[0])).toEqual(['run', 'ps', 'stop', 'ps', 'rm'])
  }, 60_000)

  // A line of the guest, then the firmware's output (the fake writes it to machine.log before QEMU).
  it.each([
    [
      'the Info-level version line',
      'Info: [libkvmplat] <bootinfo.c @ 56> Unikraft Calypso (0.17.0~484ff209)'
    ],
    ['a coloured version line of the art', '\x1b[1m                   Calypso 0.17.0~484ff209\x1b[0m']
  ])(
    'times the banner as startVm does (isBannerLine): %s',
    async (_name, banner) => {
      expect(isBannerLine(banner, 'unikraft')).toBe(true)
      process.env.FAKE_KRAFT_CONSOLE = `Booting\r\n${banner}\r\n`
      const vm = await startKraftVm(spec({ ports: [] }), deps())
      const line = await waitForLine(vm, /Calypso/)
      await waitForLine(vm, /SeaBIOS/)
      const result = await vm.stop()
      expect(line.text).toBe(banner)
      expect(result.timeline.bannerMs).toBe(line.atMs)
    },
    60_000
  )

  it('cuts the console at the cap between two characters, marks the cut, and still streams lines', async () => {
    // 1023 bytes, then a 2-byte character across the 1024-byte cap.
    const kept = 'a'.repeat(1023)
    process.env.FAKE_KRAFT_CONSOLE = `${kept}ü\r\n`
    const vm = await startKraftVm(spec({ ports: [], consoleCap: 1024, timeoutMs: 30_000 }), deps())
    // Lines past the cap are still delivered (a status line at the end matters), only not kept.
    const late = await Promise.race([waitForLine(vm, /SeaBIOS/), vm.done.then(() => null)])
    const result = await vm.stop()
    expect(late).not.toBeNull()
    expect(result.consoleTruncated).toBe(true)
    const file = await readFile(result.consoleLog)
    expect(file.equals(Buffer.from(kept + truncationMarker(1024)))).toBe(true)
    expect(vm.consoleText()).toBe(kept + truncationMarker(1024))
  }, 60_000)

  it('notices a VM that ends by itself, then copies its logs before kraft rm', async () => {
    const vm = await startKraftVm(spec({ ports: [] }), deps())
    await waitForLine(vm, /SeaBIOS/)
    const [id] = (await readdir(join(work, 'rt'))).filter(e => e !== 'fake-machines.json')
    const pid = Number(await readFile(join(work, 'rt', id, 'machine.pid'), 'utf8'))
    process.kill(pid, 'SIGTERM')
    const result = await vm.done
    expect(result.reason).toBe('exited')
    expect(await readFile(result.consoleLog, 'utf8')).toContain('SeaBIOS')
    expect(existsSync(join(work, 'rt', id))).toBe(false)
    expect((await calls()).map(x => x.argv[0])).toEqual(['run', 'ps', 'ps', 'rm'])
  }, 60_000)

  it('stops the VM at the deadline', async () => {
    const vm = await startKraftVm(spec({ timeoutMs: 1500, ports: [] }), deps())
    const result = await vm.done
    expect(result.reason).toBe('deadline')
    expect(vm.ended).toBe(true)
    expect(await readdir(join(work, 'rt'))).toEqual(['fake-machines.json'])
  }, 60_000)

  it('a kraft that fails to start the VM ends the handle at once as qemu-error', async () => {
    const vm = await startKraftVm(spec({ kraftPath: '/bin/false', runtimeDir: undefined }), deps())
    const result = await vm.done
    expect(result.reason).toBe('qemu-error')
    expect(result.argv[0]).toBe('/bin/false')
    expect(vm.ended).toBe(true)
    expect(await vm.guestAccepted(6379)).toBe(false)
  }, 30_000)
})
