// Failures Unikraft users reported (heap limits, root mount, ukvmem faults, the 0.20 crash screen,
// KraftKit's `machine fatally exited`, thread stacks and the buddy allocator, dlsym), each on the
// line as the sources quote it (__fixtures__/diagnose/reported-signatures.json), and the lines that
// are noise on a good boot, on the real good-boot logs.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { diagnose } from '../../../src/engine/diagnose/diagnose.js'
import type { Finding } from '../../../src/engine/finding.js'
import { parseKernelLine } from '../../../src/engine/diagnose/kernel-line.js'
import { MORE_LOGS, expectWellFormed, expectations, readLog } from './diagnose-support.js'

interface Expected {
  id: string
  detail?: string | null
  severity?: Finding['severity']
  line?: number
  data?: Record<string, string | number>
}

interface Case {
  name: string
  source: string
  quoted: boolean
  booted: boolean
  log: string[]
  expect: Expected[]
  aboveNote: string[]
}

interface LogCase {
  file: string
  source: string
  expect: Expected[]
  aboveNote: string[]
}

const fixture = JSON.parse(readFileSync(join(MORE_LOGS, 'reported-signatures.json'), 'utf8')) as {
  signatures: Case[]
  logs: LogCase[]
}

const BANNER = 'Powered by Unikraft Calypso (0.17.0~484ff209)'

function check(findings: Finding[], expected: Expected[], aboveNote: string[], offset: number): void {
  for (const e of expected) {
    const f = findings.find(x => x.id === e.id && (e.detail === undefined || x.detail === e.detail))
    expect({ id: e.id, found: f !== undefined, detail: f?.detail }).toEqual({
      id: e.id,
      found: true,
      detail: e.detail === undefined ? f?.detail : e.detail
    })
    if (e.severity) expect(f?.severity).toBe(e.severity)
    if (e.line !== undefined) expect(f?.line).toBe(e.line + offset)
    if (e.data) expect(f?.data).toMatchObject(e.data)
  }
  const loud = findings.filter(f => f.severity !== 'note').map(f => f.id)
  expect([...loud].sort()).toEqual([...aboveNote].sort())
}

describe('signatures Unikraft users reported', () => {
  it.each(fixture.signatures.map(c => [c.name, c] as const))('%s', (_name, c) => {
    for (const eol of ['\r\n', '\n']) {
      const lines = c.booted ? [BANNER, ...c.log] : c.log
      const log = `${lines.join(eol)}${eol}`
      const findings = diagnose({ console: log })
      expectWellFormed(findings, lines.length + 1)
      check(findings, c.expect, c.aboveNote, c.booted ? 1 : 0)
    }
  })

  const facts = new URL('../../../../shared/docs/domain-facts.md', import.meta.url).pathname
  const quoted = fixture.signatures.filter(c => c.quoted)
  it.each(quoted.map(c => [c.name, c] as const))(
    '%s: the lines are verbatim from domain-facts.md',
    (_name, c) => {
      if (!existsSync(facts)) return // the shared notes live beside the repository, not in it
      const doc = readFileSync(facts, 'utf8').replace(/\s+/g, ' ')
      for (const line of c.log) expect(doc).toContain(`\`${line.replace(/\s+/g, ' ')}\``)
    }
  )
})

describe('crash logs: one crash is one finding, named by its reason', () => {
  it.each(fixture.logs.map(l => [l.file, l] as const))('%s', (file, l) => {
    const bytes = readFileSync(join(MORE_LOGS, file))
    const findings = diagnose({ console: bytes })
    expectWellFormed(findings, bytes.toString('utf8').split('\n').length)
    check(findings, l.expect, l.aboveNote, 0)
    expect(findings.filter(f => f.id === 'kernel.error')).toEqual([])
  })

  it('the crash screen and RIP are the same crash whatever the QMP events say', () => {
    const bytes = readFileSync(join(MORE_LOGS, 'crash-screen-0.20-catalog258.log'))
    const findings = diagnose({ console: bytes, qmpEvents: [{ event: 'GUEST_PANICKED' }], qemuExit: 0 })
    expect(findings.filter(f => f.id.startsWith('crash.')).map(f => f.detail)).toEqual(['RIP 0x100d84322a'])
  })
})

describe('noise on a good boot', () => {
  const good = Object.keys(expectations).filter(
    n => expectations[n].verdict_hint === 'clean' || expectations[n].exit_status === 0
  )
  // The lines good boots print at ERR level (unikraft#1505, #1553), as the issues show them.
  const NOISE = [
    '[    0.000000] ERR:  [libukallocbbuddy] <bbuddy.c @  489> 1000: Failed to add memory region 7ae000-7af000: Not enough space after applying page alignments',
    'ERR:  [libukallocbbuddy] <bbuddy.c @  489> 11000: Failed to add memory region 322000-323000: Not enough space after applying page alignments'
  ]

  it('there are real good-boot logs to test on', () => {
    expect(good.length).toBeGreaterThanOrEqual(4)
  })

  it.each(good)('%s gives no finding above note, with or without the noise', name => {
    const log = readLog(name).toString('latin1')
    expect(diagnose({ console: log }).filter(f => f.severity !== 'note')).toEqual([])
    // Where #1553 shows it: glued to the firmware's last line, before the banner.
    const at = log.indexOf('Booting from ROM..')
    const noisy =
      at >= 0
        ? `${log.slice(0, at + 'Booting from ROM..'.length)}${NOISE[0]}\r\n${NOISE[1]}\r\n${log.slice(at + 'Booting from ROM..'.length)}`
        : `${NOISE.join('\r\n')}\r\n${log}`
    const findings = diagnose({ console: Buffer.from(noisy, 'latin1') })
    expect(findings.filter(f => f.severity !== 'note')).toEqual([])
    expect(findings.filter(f => f.id === 'memory.region-skipped')).toHaveLength(1)
    const banner = diagnose({ console: log }).find(f => f.id === 'boot.banner')
    if (banner) expect(findings.find(f => f.id === 'boot.banner')?.data).toEqual(banner.data)
  })
})

describe('the ukdebug prefix of older and caller-printing builds', () => {
  it.each([
    [
      '[    1.911369] Warn: {r:0x1256f9,f:0x11eb0} [libukallocbbuddy] <bbuddy.c @  351> 12000: Cannot handle palloc request of order 19: Out of memory',
      'Warn',
      'libukallocbbuddy',
      '12000: Cannot handle palloc request of order 19: Out of memory'
    ],
    [
      '[   69.438952] CRIT: [libvfscore] rootfs.c @ 85   : Failed to mount /: 0',
      'CRIT',
      'libvfscore',
      'Failed to mount /: 0'
    ],
    [
      'CRIT: Unikraft Crash - Kiviuq (0.20.0~667ac92)',
      'CRIT',
      null,
      'Unikraft Crash - Kiviuq (0.20.0~667ac92)'
    ]
  ])('%s', (text, level, lib, msg) => {
    expect(parseKernelLine(text)).toEqual({ level, lib, msg })
  })
})

describe('hostile input for the new rules', () => {
  it.each([
    'Failed to mount ',
    'Failed to mount a (b) at /: ',
    'Unikraft Crash - ',
    'Unikraft crash - A (',
    'Error in dlsym(',
    'dlsym(RTLD_NEXT, "',
    'undefined symbol: ',
    'palloc request of order ',
    'Failed to add memory region ',
    'Cannot handle multiple user space heaps',
    'Failed to allocate thread stack',
    'CRIT: {r:',
    'ERR:  [lib] x.c @ 1 : ',
    'machine fatally exited'
  ])('100k repetitions of %j on one line finish with sane output', partial => {
    const log = partial.repeat(Math.ceil(100_000 / partial.length))
    expectWellFormed(diagnose({ console: log }), 1)
  })
})
