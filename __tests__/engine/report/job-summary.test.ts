import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { planAnnotations } from '../../../src/engine/report/annotations.js'
import { JOB_SUMMARY_LIMIT, limitMarkdown, renderJobSummary } from '../../../src/engine/report/job-summary.js'
import type { CheckResult } from '../../../src/engine/report/result.js'
import {
  failingMissingLib,
  failingRngHello,
  HOSTILE,
  infrastructureError,
  missingLibFinding,
  passingRedis
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
