import { describe, expect, it } from '@jest/globals'
import { buildLinuxCmdline } from '../../../src/engine/vm/linux-cmdline.js'
import { buildQemuArgv, DEBUG_EXIT_DEVICE, type QemuArgvInput } from '../../../src/engine/vm/qemu-argv.js'
import { buildUnikraftCmdline } from '../../../src/engine/vm/unikraft-cmdline.js'
import type { Accel } from '../../../src/engine/vm/vm-types.js'
import { capturedRuns, commandOf, valueAfter } from './captured-runs.js'

/** The builder's input for a captured run: files, memory and forwards as the argv names them. */
function inputFor(name: string): QemuArgvInput {
  const argv = capturedRuns[name].qemu_argv
  const netdev = valueAfter(argv, '-netdev')
  const hostForwards = [...(netdev ?? '').matchAll(/hostfwd=tcp:127\.0\.0\.1:(\d+)-:(\d+)/g)].map(m => ({
    host: Number(m[1]),
    guest: Number(m[2])
  }))
  const cmd = commandOf(name)
  return {
    accel: (argv.includes('-enable-kvm') ? 'kvm' : valueAfter(argv, '-accel')) as Accel,
    memoryMiB: Number(valueAfter(argv, '-m')),
    console: 'nographic',
    kernel: valueAfter(argv, '-kernel') as string,
    initrd: valueAfter(argv, '-initrd'),
    append: buildUnikraftCmdline({ ...cmd, network: hostForwards.length > 0 }).cmdline,
    hostForwards,
    debugExit: argv.includes(DEBUG_EXIT_DEVICE),
    pvpanic: false,
    // A run this product captured itself: its own console, pvpanic, QMP socket and paused start.
    ...(argv.includes('-qmp')
      ? { console: 'stdio' as const, pvpanic: true, qmpSocket: 'out/qmp.sock', startPaused: true }
      : {})
  }
}

// The one capture that predates `-accel`: `-enable-kvm` is QEMU's older spelling of `-accel kvm`.
const modernAccel = (argv: readonly string[]): string[] =>
  argv.flatMap(a => (a === '-enable-kvm' ? ['-accel', 'kvm'] : [a]))

/**
 * How the product's argv is compared with a capture: the product reads the console from QEMU's
 * stdout (`-display none -serial stdio` where the captures used `-nographic`) and always adds
 * pvpanic, isa-debug-exit, its QMP socket and `-S`. Those flags are removed from both sides and
 * what remains (every other flag and value, in order) must be identical.
 */
function withoutProductFlags(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const [a, b] = [argv[i], argv[i + 1]]
    if (a === '-nographic' || a === '-S') continue
    if ((a === '-display' && b === 'none') || (a === '-serial' && b === 'stdio') || a === '-qmp') {
      i++
      continue
    }
    if (a === '-device' && (b === 'pvpanic' || b === DEBUG_EXIT_DEVICE)) {
      i++
      continue
    }
    out.push(a)
  }
  return modernAccel(out)
}

describe('buildQemuArgv against the captured runs', () => {
  it.each(Object.keys(capturedRuns))('%s: the exact argv with the capture options', name => {
    expect(buildQemuArgv(inputFor(name))).toEqual(modernAccel(capturedRuns[name].qemu_argv))
  })

  it.each(Object.keys(capturedRuns))('%s: the product argv matches outside its own flags', name => {
    const product = buildQemuArgv({
      ...inputFor(name),
      console: 'stdio',
      debugExit: true,
      pvpanic: true,
      qmpSocket: '/tmp/out/qmp.sock',
      startPaused: true
    })
    expect(withoutProductFlags(product)).toEqual(withoutProductFlags(capturedRuns[name].qemu_argv))
    expect(product).toEqual(expect.arrayContaining(['-display', 'none', '-serial', 'stdio', '-S']))
  })
})

describe('buildQemuArgv', () => {
  const base: QemuArgvInput = { accel: 'tcg', memoryMiB: 256, console: 'stdio', kernel: '/k' }

  it.each([
    ['kvm', { accel: 'kvm' }, ['-accel', 'kvm', '-cpu', 'max']],
    [
      'one forward',
      { hostForwards: [{ host: 40000, guest: 80 }] },
      ['-netdev', 'user,id=n0,hostfwd=tcp:127.0.0.1:40000-:80']
    ],
    [
      'two forwards on one netdev',
      {
        hostForwards: [
          { host: 40000, guest: 80 },
          { host: 40001, guest: 6379 }
        ]
      },
      ['-netdev', 'user,id=n0,hostfwd=tcp:127.0.0.1:40000-:80,hostfwd=tcp:127.0.0.1:40001-:6379']
    ],
    [
      'a network card without forwards',
      { network: true },
      ['-netdev', 'user,id=n0', '-device', 'virtio-net-pci,netdev=n0']
    ],
    ['qmp socket', { qmpSocket: '/o/qmp.sock' }, ['-qmp', 'unix:/o/qmp.sock,server=on,wait=off']],
    [
      'a comma in the socket path is doubled',
      { qmpSocket: '/o,x/q.sock' },
      ['-qmp', 'unix:/o,,x/q.sock,server=on,wait=off']
    ],
    [
      'linux baseline',
      { initrd: '/i.cpio', append: buildLinuxCmdline() },
      ['-append', 'console=ttyS0 panic=-1 quiet rdinit=/.ukc/init']
    ]
  ] as const)('%s', (_name, over, sub) => {
    const argv = buildQemuArgv({ ...base, ...over })
    const at = argv.indexOf(sub[0])
    expect(argv.slice(at, at + sub.length)).toEqual(sub)
  })

  it('no -netdev and no virtio-net without forwards; no -append for an empty command line', () => {
    const argv = buildQemuArgv({ ...base, append: '' })
    expect(argv).not.toContain('-netdev')
    expect(argv).not.toContain('-append')
    expect(argv.join(' ')).not.toContain('virtio-net')
  })

  it('a trace file is a second serial port (ttyS1) on a file chardev, right after the console; commas doubled', () => {
    const argv = buildQemuArgv({ ...base, traceFile: '/o,x/strace.log' })
    const at = argv.indexOf('-serial')
    expect(argv.slice(at, at + 6)).toEqual([
      '-serial',
      'stdio',
      '-chardev',
      'file,id=ukc-trace,path=/o,,x/strace.log',
      '-serial',
      'chardev:ukc-trace'
    ])
    expect(buildQemuArgv(base)).not.toContain('-chardev')
    expect(buildQemuArgv(base).filter(a => a === '-serial')).toEqual(['-serial'])
  })

  it('a trace file with -nographic is refused (its console would become the trace port)', () => {
    expect(() => buildQemuArgv({ ...base, console: 'nographic', traceFile: '/o/strace.log' })).toThrow(
      /traceFile needs console 'stdio'/
    )
  })
})
