import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { planAnnotations } from '../../../src/engine/report/annotations.js'
import {
  JOB_SUMMARY_LIMIT,
  limitMarkdown,
  renderJobSummary,
  SYSCALL_TABLE_ROWS
} from '../../../src/engine/report/job-summary.js'
import type { CheckResult } from '../../../src/engine/report/result.js'
import {
  failingMissingLib,
  failingRngHello,
  HOSTILE,
  infrastructureError,
  missingLibFinding,
  passingRedis,
  tracedSyscallGap,
  tracedSyscallGapWithFindings
} from './results.js'

const log = (name: string): Promise<string> => readFile(new URL(`./logs/${name}`, import.meta.url), 'utf8')

/** The markdown outside fenced code blocks: where escaping matters. */
function outsideFences(md: string): string {
  const out: string[] = []
  let fence: string | null = null
  for (const line of md.split('\n')) {
    const m = /^(`{3,})/.exec(line)
    if (m && fence === null) fence = m[1]
    else if (fence !== null && line.trim() === fence) fence = null
    else if (fence === null) out.push(line)
  }
  expect(fence).toBeNull()
  return out.join('\n')
}

/** Fenced blocks with their contents, to check nothing broke out of them. */
function fences(md: string): { info: string; body: string }[] {
  const blocks: { info: string; body: string }[] = []
  const re = /^(`{3,})(.*)\n([\s\S]*?)\n\1$/gm
  for (const m of md.matchAll(re)) blocks.push({ info: m[2], body: m[3] })
  return blocks
}

const ALLOWED_TAGS = /<(?!\/?(?:details|summary|code)>)/

describe('job summary', () => {
  it('shows the verdict, the probes table, versions and the timeline of a passing run', async () => {
    const md = renderJobSummary(passingRedis(), { consoleLog: await log('redis-ping-run1.log') })
    expect(md.startsWith('## ✅ pass: redis on Unikraft 0.16.3 \\(Telesto\\)\n')).toBe(true)
    expect(md).toContain('| Probe | Result | Attempts | Duration | Seen at | Evidence |')
    expect(md).toContain(
      '| <code>redis:6379</code> | ✅ passed | 31 | 842 ms | 842 ms | sent PING · got \\+PONG |'
    )
    expect(md).toContain('| QEMU | 7.2.11 |')
    expect(md).toContain('| KraftKit | 0.11.6 |')
    expect(md).toContain('| Unikraft (from the banner) | 0.16.3 Telesto \\(e453b74a\\) |')
    expect(md).toContain(
      '| Accelerator | TCG: KVM probe: QEMU exited with "failed to set MSR 0x10a"; using TCG |'
    )
    expect(md).toContain('| Ports (guest → host) | 6379 → 40123 |')
    // An allowed limitation is shown as such, the banner as a note.
    expect(md).toContain('#### ☑️ allowed: process.fork-unsupported: the app tried to fork')
    expect(md).toContain('- boot.banner: Unikraft booted \\(0.16.3 Telesto e453b74a\\), line 12')
  })

  it('draws the setup, build and guest phases as a mermaid gantt on a millisecond axis', () => {
    const gantt = fences(renderJobSummary(passingRedis())).find(f => f.info === 'mermaid')
    expect(gantt?.body.split('\n')).toEqual([
      'gantt',
      '  title Check timeline (since the check started)',
      '  dateFormat x',
      '  axisFormat %S.%L s',
      '  todayMarker off',
      '  section Host',
      '  setup 2.1 s :p0, 0, 2140',
      '  root filesystem 5.3 s :p1, 2140, 7450',
      '  section Guest',
      '  boot to first output 118 ms :p2, 7460, 7578',
      '  to Unikraft banner 284 ms :p3, 7578, 7862',
      '  probing until ready 440 ms :p4, 7862, 8302',
      '  running until exit 448 ms :p5, 8302, 8750'
    ])
  })

  it('puts the last 50 console lines, ANSI and CR stripped, in a collapsed block', async () => {
    const one = await log('redis-ping-run1.log')
    const raw = one + one // 86 lines: more than the 50 shown
    const md = renderJobSummary(passingRedis(), { consoleLog: raw })
    const details =
      /<details><summary>Console, lines (\d+) to (\d+) of (\d+)<\/summary>\n\n(`{3,})text\n([\s\S]*?)\n\4\n\n<\/details>/.exec(
        md
      )
    expect(details).not.toBeNull()
    const lines = details![5].split('\n')
    expect(details!.slice(1, 4)).toEqual(['37', '86', '86'])
    expect(lines).toHaveLength(50)
    expect(lines[lines.length - 1]).toBe('1:M 28 Nov 2026 07:56:27.433 * Ready to accept connections')
    expect(details![5]).not.toMatch(/[\x1b\r]/)
  })

  it('shows the error, its hint, and no probes table when the check could not run', () => {
    const md = renderJobSummary(infrastructureError())
    expect(md.startsWith('## ⚠️ error: nginx on Unikraft latest\n')).toBe(true)
    expect(md).toContain('### The check could not be carried out (infrastructure error)')
    expect(md).toContain(
      'Docker is not running: Cannot connect to the Docker daemon at unix:///var/run/docker.sock.'
    )
    expect(md).toContain('**Hint:** Start dockerd, or give a directory, tarball or binary: root filesystem.')
    expect(md).not.toContain('### Probes')
  })

  it('shows findings with evidence and hints, and the baseline differential', () => {
    const md = renderJobSummary(failingRngHello())
    expect(md).toContain('#### ❌ error: boot.rng-unavailable: no hardware random number generator')
    expect(md).toContain(
      '```text\n[    0.101368] ERR:  [libukrandom] <random.c @   65> Could not initialize the HWRNG (-95)\n```'
    )
    expect(md).toContain(
      '**Hint:** Unikraft 0.17\\+ needs RDSEED: use QEMU &gt;= 8.1.3 with -cpu max, or KVM.'
    )
    expect(md).toContain('### Linux baseline (same root filesystem and command)')
    expect(md).toContain(
      'Verdict on Linux: **✅ pass**. Unikraft compatibility gap: the Linux baseline passed'
    )
    expect(md).toContain('| Unikraft (from the banner) | unknown \\(no banner\\) |')
  })

  it('lists the findings that overflowed the annotations', () => {
    const findings = Array.from({ length: 13 }, (_, i) => ({ ...missingLibFinding(), detail: `lib${i}.so` }))
    const result: CheckResult = { ...failingMissingLib(), findings }
    const { overflow } = planAnnotations(findings)
    const md = renderJobSummary(result, { overflow })
    expect(md).toContain('these 3 are only here')
    expect(md).toContain('- loader.missing-library: a shared library is missing \\(lib12.so\\), line 11')
  })

  it('keeps hostile text inert: no raw HTML, no broken table, no fence escape', () => {
    const hostile = failingRngHello()
    hostile.app.name = HOSTILE
    hostile.summary = HOSTILE
    hostile.probes[0].target = HOSTILE
    hostile.probes[0].evidence = { sent: HOSTILE, received: HOSTILE, note: HOSTILE }
    hostile.findings[0] = { ...hostile.findings[0], evidence: HOSTILE, hint: HOSTILE, detail: HOSTILE }
    hostile.error = { kind: 'bug', message: HOSTILE, hint: HOSTILE }
    hostile.artifacts = [HOSTILE]
    const md = renderJobSummary(hostile, {
      consoleLog: `${HOSTILE}\n\`\`\`\`\`\`\`\`\n</details>\n${HOSTILE}`
    })
    const prose = outsideFences(md)
    expect(prose).not.toMatch(ALLOWED_TAGS)
    expect(prose).not.toContain('\x1b')
    // Every `$`, backtick and pipe outside code is escaped (no math, no code span, no extra column).
    expect(prose).not.toMatch(/(?<!\\)\$/)
    expect(prose).not.toMatch(/(?<!\\)`/)
    const probeRow = prose.split('\n').find(l => l.startsWith('| <code>'))!
    expect(probeRow.match(/(?<!\\)\|/g)).toHaveLength(7)
    // The console block holds the hostile lines verbatim, fenced longer than any backtick run inside.
    const consoleBlock = fences(md).find(f => f.body.includes('</details>'))
    expect(consoleBlock?.body).toContain('<script>alert(1)</script>')
    expect(md.trimEnd()).toMatch(/<\/details>\n\nArtifacts: <code>[^\n<]*<\/code>$/)
  })

  it('stays under 1 MiB with a huge log and huge evidence, and says it was cut', () => {
    const big = failingRngHello()
    big.findings = Array.from({ length: 400 }, (_, i) => ({
      ...missingLibFinding(),
      detail: `lib${i}`,
      evidence: 'x'.repeat(10_000)
    }))
    const md = renderJobSummary(big, { consoleLog: 'é'.repeat(5_000_000) })
    expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(JOB_SUMMARY_LIMIT)
    expect(md).toContain('summary truncated')
    outsideFences(md) // every fence is closed
  })

  it.each([
    ['inside a fence', '```text\n' + 'a\n'.repeat(500), '\n```\n'],
    ['inside a details block', '<details><summary>x</summary>\n\n' + 'b\n'.repeat(500), '\n\n</details>']
  ])('closes what the cut left open %s', (_name, text, closing) => {
    const cut = limitMarkdown(text, 400)
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(400)
    expect(cut).toContain(closing)
  })

  it('leaves a summary within the limit untouched', () => {
    expect(limitMarkdown('short\n', 100)).toBe('short\n')
  })
})

describe('job summary: system calls', () => {
  const section = (md: string): string => {
    const start = md.indexOf('### System calls: Unikraft compared with Linux')
    expect(start).toBeGreaterThan(-1)
    const end = md.indexOf('\n### ', start + 1)
    return md.slice(start, end < 0 ? undefined : end)
  }

  it('shows the divergence right after the verdict, with both trace lines and the table of calls', () => {
    const md = renderJobSummary(tracedSyscallGapWithFindings())
    const headings = md.split('\n').filter(l => /^#{2,4} /.test(l))
    expect(headings.slice(0, 4)).toEqual([
      '## ❌ fail: hello-c on Unikraft 0.17.0',
      '### System calls: Unikraft compared with Linux',
      '#### ❌ error: syscall.divergence: the system call where Unikraft differs from Linux \\(openat\\)',
      '### Probes'
    ])
    expect(section(md)).toBe(
      [
        '### System calls: Unikraft compared with Linux',
        '',
        '#### ❌ error: syscall.divergence: the system call where Unikraft differs from Linux \\(openat\\)',
        '',
        '**First divergence:** <code>openat\\(AT\\_FDCWD, "/etc/hello.conf", O\\_RDONLY\\)</code> returned 3 on Linux and ENOSYS \\(-38\\) on Unikraft \\(call 2 on Linux, call 3 on Unikraft\\).',
        '',
        '```text',
        'Linux:    baseline/strace.log line 14: openat(AT_FDCWD, "/etc/hello.conf", O_RDONLY) = 3',
        'Unikraft: unikraft-trace/console.log line 22: openat(AT_FDCWD, "/etc/hello.conf", O_RDONLY) = Function not implemented (-38)',
        '```',
        '',
        `**Hint:** ${md.split('**Hint:** ')[1].split('\n')[0]}`,
        '',
        '| System call | Calls on Linux | Calls on Unikraft | Status on Unikraft |',
        '|---|--:|--:|---|',
        '| <code>openat</code> | 2 | 2 | ❌ ENOSYS ×2 \\(first divergence\\) |',
        '| <code>rseq</code> | — | 1 | ENOSYS ×1 \\(tolerated\\) |',
        '| <code>brk</code> | 1 | 1 | ok |',
        '| <code>exit\\_group</code> | 1 | 1 | ok |',
        '',
        'Traced: Linux 4 calls \\(cut short: counts are a lower bound; 1 unreadable line\\) · Unikraft 5 calls.',
        '',
        '**Notes:**',
        '',
        '- linux trace truncated at 64 MiB',
        ''
      ].join('\n')
    )
    expect(md).toContain(
      '**Hint:** The first system call where Unikraft differs from Linux: openat returned 3'
    )
    // The divergence is not repeated among the findings; the other trace finding is there.
    expect(md.match(/syscall\.divergence/g)).toHaveLength(2) // the heading and the summary
    expect(md).toContain('#### ❌ error: syscall.unsupported: system calls returned ENOSYS \\(openat\\)')
  })

  it('builds the trace lines from the divergence when no finding names it', () => {
    const md = renderJobSummary(tracedSyscallGap())
    const block = fences(md).find(f => f.body.startsWith('Linux:'))
    expect(block?.body).toBe(
      [
        'Linux:    openat(AT_FDCWD, "/etc/hello.conf", O_RDONLY) = 3 (call 2)',
        'Unikraft: openat(AT_FDCWD, "/etc/hello.conf", O_RDONLY) = ENOSYS (-38) (call 3)'
      ].join('\n')
    )
    expect(md).not.toContain('#### ❌ error: syscall.divergence')
  })

  it('says "not traced" for a side that ran untraced, with the note saying why', () => {
    const r = tracedSyscallGap()
    r.syscalls = {
      ...r.syscalls!,
      traced: { unikraft: true, linux: false },
      notes: ['the Linux side was not traced: strace is not installed'],
      sides: { ...r.syscalls!.sides, linux: null },
      divergence: null
    }
    const s = section(renderJobSummary(r))
    expect(s).toContain('No comparison with Linux: the Linux side was not traced.')
    expect(s).toContain('| <code>openat</code> | not traced | 2 | ❌ ENOSYS ×2 |')
    expect(s).toContain('| <code>brk</code> | not traced | 1 | ok |')
    expect(s).toContain('Traced: Linux not traced · Unikraft 5 calls.')
    expect(s).toContain('- the Linux side was not traced: strace is not installed')
    expect(s).not.toContain('First divergence')
  })

  it('puts problems first and says how many calls the bounded table left out', () => {
    const r = tracedSyscallGap()
    const many = Array.from({ length: 60 }, (_, i) => ({
      syscall: `call${i}`,
      count: 1,
      failed: i === 45 ? 1 : 0,
      errnos: i === 45 ? ['EINVAL'] : []
    }))
    r.syscalls!.sides.unikraft!.calls.push(...many)
    const s = section(renderJobSummary(r))
    const rows = s.split('\n').filter(l => l.startsWith('| <code>'))
    expect(rows).toHaveLength(SYSCALL_TABLE_ROWS)
    expect(rows[0]).toContain('<code>openat</code>')
    // EINVAL is an errno Linux never returned for call45: a problem, shown before the ok calls.
    expect(rows[1]).toBe('| <code>call45</code> | — | 1 | ⚠️ EINVAL ×1 |')
    expect(s).toContain(
      `… ${64 - SYSCALL_TABLE_ROWS} more system calls not shown \\(none with a problem\\); result.json lists every one.`
    )
  })

  it('keeps hostile trace text inert: no raw HTML, no extra table column, no fence escape, long args cut', () => {
    const r = tracedSyscallGapWithFindings()
    const s = r.syscalls!
    const evil = '`a|b`<img src=x onerror=alert(1)>'
    s.sides.unikraft!.calls[1].syscall = evil
    s.sides.linux!.calls[0].syscall = `${HOSTILE}\nnewline`
    s.unsupported[0].syscall = evil
    s.divergence = { ...s.divergence!, args: `${HOSTILE} ${'A'.repeat(100_000)}`, linux: HOSTILE }
    s.notes = [HOSTILE, `${'n'.repeat(10_000)}`]
    r.findings[0] = {
      ...r.findings[0],
      evidence: `Linux (${HOSTILE}\n\`\`\`\`\`\`); Unikraft (${'u'.repeat(100_000)})`,
      hint: HOSTILE
    }
    const md = renderJobSummary(r)
    const prose = outsideFences(md)
    expect(prose).not.toMatch(ALLOWED_TAGS)
    expect(prose).not.toContain('\x1b')
    expect(prose).not.toMatch(/(?<!\\)\$/)
    expect(prose).not.toMatch(/(?<!\\)`/)
    const rows = section(md)
      .split('\n')
      .filter(l => l.startsWith('| '))
    expect(rows.length).toBeGreaterThan(4)
    for (const row of rows) expect(row.match(/(?<!\\)\|/g)).toHaveLength(5)
    // The long arguments, trace line and note are cut; the section stays small.
    const sentence = prose.split('\n').find(l => l.startsWith('**First divergence:**'))!
    expect(sentence.length).toBeLessThan(2000)
    expect(sentence).toContain('…')
    const block = fences(md).find(f => f.body.startsWith('Linux:'))!
    expect(block.body.split('\n')).toHaveLength(2)
    expect(block.body).toContain('<script>alert(1)</script>')
    expect(block.body.length).toBeLessThan(3000)
    expect(Buffer.byteLength(section(md))).toBeLessThan(20_000)
  })

  it('stays under 1 MiB whatever the traces hold', () => {
    const r = tracedSyscallGapWithFindings()
    r.syscalls!.notes = Array.from({ length: 5000 }, () => 'x'.repeat(5000))
    r.syscalls!.sides.unikraft!.calls = Array.from({ length: 5000 }, (_, i) => ({
      syscall: `s${i}${'y'.repeat(500)}`,
      count: 1,
      failed: 1,
      errnos: Array.from({ length: 50 }, (_e, j) => `E${j}${'z'.repeat(50)}`)
    }))
    const md = renderJobSummary(r)
    expect(Buffer.byteLength(md, 'utf8')).toBeLessThan(100_000)
    outsideFences(md)
  })
})
