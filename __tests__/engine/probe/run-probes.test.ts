// Readiness behaviour through the VmHandle interface: console and exit probes, early VM end,
// ordering, time-to-ready and stopping the VM.
import { describe, expect, it } from '@jest/globals'
import { parseProbes } from '../../../src/engine/probe/parse-probe.js'
import { runProbes } from '../../../src/engine/probe/run-probes.js'
import { freePort } from './servers.js'
import { VmDouble } from './vm-double.js'

const later = (ms: number, fn: () => void): Promise<void> =>
  new Promise(r =>
    setTimeout(() => {
      fn()
      r()
    }, ms)
  )

describe('console probe', () => {
  it('matches lines printed before it started, ANSI stripped, and stops the VM by default', async () => {
    const vm = new VmDouble()
    vm.print('\x1b[0mPowered by', '\x1b[1;32mHello, world!\x1b[0m\r', 'more output')
    const [r] = await runProbes(parseProbes(['console:^Hello, world!$']), vm, { deadlineMs: 2000 })
    expect(r).toMatchObject({
      kind: 'console',
      target: 'console:/^Hello, world!$/',
      passed: true,
      evidence: { received: 'line 2: Hello, world!' }
    })
    expect(r.readyAtMs).toBe(r.evidence.atMs)
    expect(vm.stopCalls).toBe(1)
    expect(vm.readyMarks).toHaveLength(1)
  })

  it('waits for a line printed later, and leaves the VM running with stop=no', async () => {
    const vm = new VmDouble()
    vm.print('booting')
    const printing = later(100, () => vm.print('htop 3.2.2'))
    const [r] = await runProbes(parseProbes(['console:/^HTOP \\d/i stop=no']), vm, { deadlineMs: 5000 })
    await printing
    expect(r.passed).toBe(true)
    expect(r.evidence.received).toBe('line 2: htop 3.2.2')
    expect(vm.stopCalls).toBe(0)
    expect(vm.ended).toBe(false)
  })

  it('fails at once when the VM ends without the line, showing the last lines', async () => {
    const vm = new VmDouble()
    vm.print('Powered by', 'hello: error while loading shared libraries: libfoo.so.1')
    const ending = later(100, () => vm.end('exited'))
    const [r] = await runProbes(parseProbes(['console:Hello']), vm, { deadlineMs: 30_000 })
    await ending
    expect(r.passed).toBe(false)
    expect(r.evidence.note).toMatch(/^no console line matched before the VM ended \(exited at \d+ ms\)$/)
    expect(r.evidence.received).toBe('Powered by\\nhello: error while loading shared libraries: libfoo.so.1')
    // Ended by the VM, not by the 30 s deadline.
    expect(r.durationMs).toBeLessThan(20_000)
  })

  it('reads the whole log once more when the VM ends, for lines that came with the exit', async () => {
    const vm = new VmDouble()
    vm.print('booting')
    const ending = later(50, () => {
      vm.printUnstreamed('bye now')
      vm.end('exited')
    })
    const [r] = await runProbes(parseProbes(['console:bye']), vm, { deadlineMs: 5000 })
    await ending
    expect(r.passed).toBe(true)
    expect(r.evidence.received).toBe('line 2: bye now')
  })

  it('fails at the deadline with what the console showed', async () => {
    const vm = new VmDouble()
    vm.print('still booting')
    const [r] = await runProbes(parseProbes(['console:never']), vm, { deadlineMs: 300 })
    expect(r.passed).toBe(false)
    expect(r.evidence.note).toMatch(/^no console line matched within \d+ ms \(deadline\)$/)
    expect(r.evidence.received).toBe('still booting')
  })
})

describe('exit probe', () => {
  it.each<[string, number, boolean, string | undefined]>([
    ['exit:0', 0, true, undefined],
    ['exit:3', 3, true, undefined],
    ['exit:0', 3, false, 'expected exit status 0, got 3']
  ])('%s with the guest reporting %i passes: %s', async (probe, status, passed, note) => {
    const vm = new VmDouble()
    vm.print('program output')
    const ending = later(50, () => vm.end('exited', { guestExit: status }))
    const [r] = await runProbes(parseProbes([probe]), vm, { deadlineMs: 5000 })
    await ending
    expect(r.passed).toBe(passed)
    expect(r.evidence.received).toBe(`the guest reported exit status ${status}`)
    expect(r.evidence.note).toBe(note)
  })

  it("reads Unikraft's 'main returned N' without waiting for the VM to end", async () => {
    const vm = new VmDouble()
    vm.print('[    0.101000] Info: [libukboot] <boot.c @  427> Calling main(2, ...)', 'hi')
    const printing = later(50, () =>
      vm.print('\x1b[32m[    0.102000] Info: [libukboot] <boot.c @  429> main returned 0\x1b[0m')
    )
    const [r] = await runProbes(parseProbes(['exit:0']), vm, { deadlineMs: 5000 })
    await printing
    expect(r.passed).toBe(true)
    expect(r.evidence.received).toBe('line 3: main returned 0')
    expect(vm.ended).toBe(false)
  })

  it('maps a negative main return the way exit() truncates it', async () => {
    const vm = new VmDouble()
    vm.print('main returned -1')
    const [r] = await runProbes(parseProbes(['exit:255']), vm, { deadlineMs: 1000 })
    expect(r.passed).toBe(true)
  })

  it("says 'exit status unknown' rather than guessing when nothing reported it", async () => {
    const vm = new VmDouble()
    vm.print('Unikraft halted')
    const ending = later(50, () => vm.end('exited', { qemuExit: 83, debugExit: 'halt' }))
    const [r] = await runProbes(parseProbes(['exit:0']), vm, { deadlineMs: 5000 })
    await ending
    expect(r.passed).toBe(false)
    expect(r.evidence.received).toBe('exit status unknown')
    expect(r.evidence.note).toMatch(
      /^exit status unknown: the VM ended \(exited at \d+ ms\) without reporting one/
    )
  })

  it.each([
    ['exit_group(3) = ?', 3],
    ['exit3: about to return 3exit_group(3) = ?', 3],
    ['\x1b[0mexit_group(0)                           = ?\r', 0],
    ['exit_group(-1) = ?', 255]
  ])(
    "reads a reporting kernel's %j at once, app output before it on the line or not",
    async (line, status) => {
      const vm = new VmDouble()
      vm.print('write(fd:1, "exit3: about to return 3"..., 25) = 25')
      const printing = later(50, () => vm.print(line))
      const [r] = await runProbes(parseProbes([`exit:${status}`]), vm, {
        deadlineMs: 5000,
        guestReportsExit: false
      })
      await printing
      expect(r.passed).toBe(true)
      expect(r.evidence.received).toMatch(/^line 2: exit_group\(-?\d+\) = \?$/)
      expect(r.durationMs).toBeLessThan(4000)
    }
  )

  it('on Unikraft (no guest status), an exit never reported is inconclusive, not a failure', async () => {
    const vm = new VmDouble()
    vm.print('hello')
    const [r] = await runProbes(parseProbes(['exit:0']), vm, { deadlineMs: 300, guestReportsExit: false })
    expect(r).toMatchObject({
      passed: false,
      inconclusive: true,
      evidence: { received: 'exit status unknown' }
    })
    expect(r.evidence.note).toMatch(
      /^exit status unknown: no exit was reported within \d+ ms \(deadline\); this kernel prints no 'exit_group\(N\) = \?' line/
    )
    const ended = new VmDouble()
    const ending = later(20, () => ended.end('exited', { qemuExit: 83, debugExit: 'halt' }))
    const [h] = await runProbes(parseProbes(['exit:0']), ended, { deadlineMs: 5000, guestReportsExit: false })
    await ending
    expect(h.inconclusive).toBe(true)
    // Where the guest reports every exit (the Linux baseline's init), the same silence is a failure.
    const linux = new VmDouble()
    const [l] = await runProbes(parseProbes(['exit:0']), linux, { deadlineMs: 300 })
    expect(l.passed).toBe(false)
    expect(l.inconclusive).toBeUndefined()
    expect(l.evidence.note).toMatch(
      /^exit status unknown: the program had not exited after \d+ ms \(deadline\)$/
    )
  })

  it('a reported status that differs still fails on Unikraft', async () => {
    const vm = new VmDouble()
    vm.print('exit_group(3) = ?')
    const [r] = await runProbes(parseProbes(['exit:0']), vm, { deadlineMs: 5000, guestReportsExit: false })
    expect(r).toMatchObject({ passed: false, evidence: { note: 'expected exit status 0, got 3' } })
    expect(r.inconclusive).toBeUndefined()
  })

  it('after a console probe with stop, gives the program a grace period, stops the VM, then decides', async () => {
    const vm = new VmDouble()
    vm.print('Hello, world!')
    const results = await runProbes(parseProbes(['console:Hello', 'exit:0']), vm, { deadlineMs: 30_000 })
    expect(results.map(r => r.passed)).toEqual([true, false])
    expect(results[1].evidence.note).toMatch(/^exit status unknown: the VM ended \(killed at \d+ ms\)/)
    expect(vm.stopCalls).toBe(1)
    expect(results[1].durationMs).toBeLessThan(20_000)
  })
})

describe('runProbes', () => {
  it('stops waiting when the VM crashes, long before the deadline', async () => {
    const vm = new VmDouble({ 6379: await freePort() })
    vm.print('Powered by Unikraft')
    const crashing = later(200, () => vm.end('crashed'))
    const [r] = await runProbes(parseProbes(['redis']), vm, { deadlineMs: 30_000 })
    await crashing
    expect(r.passed).toBe(false)
    expect(r.evidence.note).toMatch(
      /^the VM ended \(crashed at \d+ ms\) before redis:6379 passed; last attempt: connect failed/
    )
    expect(r.durationMs).toBeLessThan(20_000)
  })

  it('backs off while the guest has printed nothing', async () => {
    const vm = new VmDouble({ 6379: await freePort() })
    const [r] = await runProbes(parseProbes(['redis']), vm, { deadlineMs: 1000 })
    // 50, 100, 200, 400 ms apart: at most 5 attempts in a second (25 ms polling would make 40).
    expect(r.attempts).toBeLessThanOrEqual(6)
  })

  it('runs probes in order, reports later ones as not run after a failure', async () => {
    const vm = new VmDouble()
    vm.print('first')
    const ending = later(50, () => vm.end('crashed'))
    const results = await runProbes(parseProbes(['console:first', 'console:second', 'exit:0']), vm, {
      deadlineMs: 5000
    })
    await ending
    expect(results.map(r => [r.input, r.passed, r.attempts])).toEqual([
      ['probe[1]', true, 1],
      ['probe[2]', false, 1],
      ['probe[3]', false, 0]
    ])
    expect(results[2].evidence.note).toBe('not run: probe[2] (console:/second/) failed first')
    expect(vm.readyMarks).toEqual([])
  })

  it('marks ready once, when the last readiness probe passes (exit checks come after)', async () => {
    const vm = new VmDouble()
    vm.print('a')
    const printing = later(100, () => vm.print('b', 'main returned 0'))
    const results = await runProbes(parseProbes(['console:a stop=no', 'console:/b/ stop=no', 'exit:0']), vm, {
      deadlineMs: 5000
    })
    await printing
    expect(results.every(r => r.passed)).toBe(true)
    expect(vm.readyMarks).toHaveLength(1)
    expect(vm.readyMarks[0]).toBeGreaterThanOrEqual(results[1].readyAtMs!)
  })
})
