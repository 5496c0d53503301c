import { describe, expect, it } from '@jest/globals'
import { alignTraces, pickDivergence, type Divergence } from '../../../src/engine/trace/align.js'
import { parseTrace } from '../../../src/engine/trace/syscall-trace.js'

const linux = (lines: string[]) => parseTrace(lines.map(l => `42    ${l}`).join('\n'))
const unikraft = (lines: string[]) => parseTrace(lines.join('\n'))

describe('alignTraces: the divergences that are not start-up noise', () => {
  it("leaves out glibc's probes (online CPUs in /sys, nscd's socket) and reports the app's", () => {
    const l = linux([
      'openat(AT_FDCWD, "/sys/devices/system/cpu/online", O_RDONLY|O_CLOEXEC) = 3',
      'socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0) = 3',
      'connect(3, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)',
      'openat(AT_FDCWD, "/etc/app.conf", O_RDONLY) = 4'
    ])
    const u = unikraft([
      'openat(AT_FDCWD, "/sys/devices/system/cpu/online", O_RDONLY|O_CLOEXEC) = No such file or directory (-2)',
      'socket(0x1, 0x80801, ...) = Address family not supported by protocol (-97)',
      'openat(AT_FDCWD, "/etc/app.conf", O_RDONLY) = No such file or directory (-2)'
    ])
    const a = alignTraces(l, u, { unikraftStopped: true, appFailed: true })
    expect(a.divergences.map(d => d.args)).toEqual(['AT_FDCWD, "/etc/app.conf", O_RDONLY'])
  })

  it('the same call on two different paths is the walk pairing two opens, not a difference', () => {
    const l = linux(['openat(AT_FDCWD, "/a", O_RDONLY) = 3', 'openat(AT_FDCWD, "/b", O_RDONLY) = 4'])
    const u = unikraft([
      'openat(AT_FDCWD, "/x", O_RDONLY) = No such file or directory (-2)',
      'openat(AT_FDCWD, "/b", O_RDONLY) = 0x4'
    ])
    expect(alignTraces(l, u, { unikraftStopped: false }).divergences).toEqual([])
  })

  it("prefers strace's decoded arguments and counts how often Unikraft repeated the failing call", () => {
    const l = linux(['setsockopt(6, SOL_TCP, TCP_CORK, [1], 4) = 0', 'write(6, "x", 1) = 1'])
    const u = unikraft([
      'setsockopt(0x6, 0x6, ...) = Protocol not available (-92)',
      'write(0x6, ...) = 0x1',
      'setsockopt(0x7, 0x6, ...) = Protocol not available (-92)',
      'setsockopt(0x8, 0x6, ...) = Protocol not available (-92)'
    ])
    const [d] = alignTraces(l, u, { unikraftStopped: false }).divergences
    expect(d).toMatchObject({ syscall: 'setsockopt', args: '6, SOL_TCP, TCP_CORK, [1], 4', repeats: 3 })
  })
})

describe('pickDivergence: the one that matters', () => {
  const d = (syscall: string, repeats: number): Divergence =>
    ({ syscall, repeats, kind: 'same-call' }) as unknown as Divergence
  const found = [d('socketpair', 1), d('sendfile', 1601), d('close', 2)]
  it.each<[string, { appFailed: boolean; unikraftStopped: boolean }, string | null]>([
    ['an app that passed: the first', { appFailed: false, unikraftStopped: false }, 'socketpair'],
    [
      'failed and ran on (a request failing each time): the most repeated',
      { appFailed: true, unikraftStopped: false },
      'sendfile'
    ],
    [
      'failed and stopped on its own: the last before the stop',
      { appFailed: true, unikraftStopped: true },
      'close'
    ]
  ])('%s', (_n, o, want) => {
    expect(pickDivergence(found, o)?.syscall ?? null).toBe(want)
  })
  it('none found: null; a tie: the earliest', () => {
    expect(pickDivergence([], { appFailed: true, unikraftStopped: false })).toBeNull()
    expect(pickDivergence([d('a', 2), d('b', 2)], { appFailed: true, unikraftStopped: false })?.syscall).toBe(
      'a'
    )
  })
})
