import { describe, expect, it } from '@jest/globals'
import { guestAcceptedIn, parseUsernet } from '../../../src/engine/vm/usernet.js'
import {
  debugExitHint,
  decideEndReason,
  isBannerLine,
  isCrashLine,
  parseGuestExitLine,
  type EndEvidence
} from '../../../src/engine/vm/vm-end.js'

// Captured from QEMU 7.2 here: a host connection to a forwarded port nobody listens on in the guest.
const SYN_SENT =
  'Hub -1 (n0):\r\n  Protocol[State]    FD  Source Address  Port   Dest. Address  Port RecvQ SendQ\r\n' +
  '  TCP[SYN_SENT]       9       127.0.0.1 18555       10.0.2.15  8080     0     0\r\n' +
  '  TCP[HOST_FORWARD]   8       127.0.0.1 18555       10.0.2.15  8080     0     0\r\n'

describe('info usernet', () => {
  it('parses the rows', () => {
    expect(parseUsernet(SYN_SENT)).toEqual([
      {
        protocol: 'TCP',
        state: 'SYN_SENT',
        fd: 9,
        srcAddress: '127.0.0.1',
        srcPort: 18555,
        destAddress: '10.0.2.15',
        destPort: 8080
      },
      {
        protocol: 'TCP',
        state: 'HOST_FORWARD',
        fd: 8,
        srcAddress: '127.0.0.1',
        srcPort: 18555,
        destAddress: '10.0.2.15',
        destPort: 8080
      }
    ])
  })

  it.each([
    ['SYN_SENT only: the guest has not accepted', SYN_SENT, 8080, false],
    ['ESTABLISHED to that port', SYN_SENT.replace('SYN_SENT]  ', 'ESTABLISHED]'), 8080, true],
    ['ESTABLISHED, but to another guest port', SYN_SENT.replace('SYN_SENT]  ', 'ESTABLISHED]'), 80, false],
    [
      'after the guest closed (CLOSE_WAIT) it had accepted',
      SYN_SENT.replace('SYN_SENT]  ', 'CLOSE_WAIT] '),
      8080,
      true
    ],
    [
      "the guest's own outgoing connection to that port does not count",
      '  TCP[ESTABLISHED]  10       10.0.2.15 40000        10.0.2.2  8080     0     0\r\n',
      8080,
      false
    ],
    ['nothing at all', 'Hub -1 (n0):\r\n', 8080, false]
  ])('%s', (_name, text, port, accepted) => {
    expect(guestAcceptedIn(text, port)).toBe(accepted)
  })
})

describe('status line, banner, crash lines', () => {
  it.each([
    ['UNIKRAFT_COMPAT_EXIT=0', 0],
    ['UNIKRAFT_COMPAT_EXIT=7', 7],
    ['UNIKRAFT_COMPAT_EXIT=255\r', 255],
    ['echo UNIKRAFT_COMPAT_EXIT=7', null],
    ['UNIKRAFT_COMPAT_EXIT=', null],
    ['UNIKRAFT_COMPAT_EXIT=1234', null]
  ])('%j -> %p', (line, n) => {
    expect(parseGuestExitLine(line)).toBe(n)
  })

  it.each([
    ['Powered by', 'unikraft', true],
    ['                Calypso 0.17.0~484ff209', 'unikraft', true],
    ['Booting from ROM..Powered by', 'unikraft', true],
    ['Powered by Unikraft Telesto (0.16.3~e453b74a)', 'unikraft', true],
    ['[    0.100000] Info: [libukboot] <boot.c @  300> Unikraft Calypso (0.17.0~484ff209)', 'unikraft', true],
    ['Hello world!', 'unikraft', false],
    ['UNIKRAFT_COMPAT_INIT=linux 6.1.0-56-cloud-amd64', 'linux', true],
    ['Powered by', 'linux', false]
  ] as const)('banner %j (%s): %p', (line, guest, is) => {
    expect(isBannerLine(line, guest)).toBe(is)
  })

  it.each([
    ['[    0.115498] CRIT: [libkvmplat] <traps.c @  113> Crashing', true],
    ['\x1b[31m[    0.1] CRIT: [libkvmplat] <traps.c @  113> Crashing\x1b[0m', true],
    ['[    2.1] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000000', true],
    ['Crashing is fun', false]
  ])('crash line %j: %p', (line, is) => {
    expect(isCrashLine(line)).toBe(is)
  })

  it.each([
    [83, 'halt'],
    [85, 'crash'],
    [0, null],
    [1, null],
    [null, null]
  ])('isa-debug-exit %p -> %p', (code, hint) => {
    expect(debugExitHint(code)).toBe(hint)
  })
})

describe('decideEndReason', () => {
  const base: EndEvidence = {
    stopCause: null,
    events: [],
    shutdownReasons: [],
    qemuExit: 0,
    qemuSignal: null,
    sawOutput: true,
    sawCrashLine: false
  }
  it.each<[string, Partial<EndEvidence>, string]>([
    ['guest powered off', { events: ['SHUTDOWN'], shutdownReasons: ['guest-shutdown'] }, 'exited'],
    ['Unikraft halt via isa-debug-exit', { qemuExit: 83 }, 'exited'],
    ['Unikraft crash via isa-debug-exit', { qemuExit: 85 }, 'crashed'],
    [
      'panic line, then reboot (-no-reboot)',
      { sawCrashLine: true, shutdownReasons: ['guest-reset'] },
      'crashed'
    ],
    [
      'pvpanic event',
      { events: ['GUEST_PANICKED', 'SHUTDOWN'], shutdownReasons: ['guest-panic'] },
      'panicked'
    ],
    ['paused (STOP) and stopped by us', { stopCause: 'stopped', events: ['STOP'] }, 'stopped'],
    [
      'panicked with the pause action',
      { stopCause: 'stopped', events: ['GUEST_PANICKED', 'STOP'] },
      'panicked'
    ],
    ['deadline', { stopCause: 'deadline', qemuExit: null, qemuSignal: 'SIGKILL' }, 'deadline'],
    ['boot timeout', { stopCause: 'boot-timeout', sawOutput: false }, 'boot-timeout'],
    ['stopped by the caller', { stopCause: 'killed', shutdownReasons: ['host-qmp-quit'] }, 'killed'],
    ['QEMU refused the kernel', { qemuExit: 1, sawOutput: false }, 'qemu-error'],
    ['QEMU aborted', { qemuExit: null, qemuSignal: 'SIGABRT', sawOutput: false }, 'qemu-error'],
    ['killed by someone else', { qemuExit: null, qemuSignal: 'SIGKILL' }, 'qemu-error']
  ])('%s -> %s', (_name, over, reason) => {
    expect(decideEndReason({ ...base, ...over })).toBe(reason)
  })
})
