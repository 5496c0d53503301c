// The "done when", on real traces of both sides (__fixtures__/traces/README.md): nginx with
// `sendfile on` and with `tcp_nopush on`, plain htop, and the working redis and hello.
import { describe, expect, it } from '@jest/globals'
import type { Verdict } from '../../../src/engine/report/result.js'
import { alignTraces } from '../../../src/engine/trace/align.js'
import { parseTraceFile } from '../../../src/engine/trace/trace-file.js'
import { traceFindings } from '../../../src/engine/trace/trace-findings.js'

const dir = (name: string): string =>
  new URL(`../../../__fixtures__/traces/${name}/`, import.meta.url).pathname
const files = { unikraft: 'unikraft-trace/console.log', linux: 'baseline/strace.log' }

async function analyse(name: string, appVerdict: Verdict, unikraftStopped: boolean) {
  const uk = await parseTraceFile(`${dir(name)}unikraft-0.16.3-trace.log`)
  const linux = await parseTraceFile(`${dir(name)}linux-strace.txt`)
  const alignment = alignTraces(linux, uk, { unikraftStopped, appFailed: appVerdict === 'fail' })
  return { alignment, findings: traceFindings({ alignment, appVerdict, files }) }
}

describe('the system call that matters, on real traces', () => {
  it('nginx, sendfile on: sendfile, a byte count on Linux and ENOSYS on Unikraft, both lines as evidence', async () => {
    const { alignment, findings } = await analyse('nginx-sendfile', 'fail', false)
    const d = alignment.divergence!
    expect(d.syscall).toBe('sendfile')
    expect(d.linux).toMatch(/^\d+$/)
    expect(d.unikraft).toBe('ENOSYS (-38)')
    // The start-up differences before it (glibc's /sys probe, nscd's socket) are not the answer.
    expect(alignment.divergences.map(x => x.syscall)).not.toContain('openat')
    const f = findings.find(x => x.id === 'syscall.divergence')!
    expect(f.severity).toBe('error')
    expect(f.evidence).toMatch(
      /^Linux \(baseline\/strace\.log line \d+: sendfile\(.*\) = \d+\); Unikraft \(unikraft-trace\/console\.log line \d+: sendfile\(.*Function not implemented \(-38\)\)$/
    )
    expect(f.hint).toContain('`sendfile off;`')
    expect(f.data).toMatchObject({ syscall: 'sendfile', unikraft: 'ENOSYS (-38)' })
  })

  it('nginx, tcp_nopush on: setsockopt(TCP_CORK), ENOPROTOOPT on Unikraft', async () => {
    const { alignment, findings } = await analyse('nginx-tcp-nopush', 'fail', false)
    const d = alignment.divergence!
    expect(d.syscall).toBe('setsockopt')
    expect(d.args).toContain('TCP_CORK')
    expect(d.linux).toBe('0')
    expect(d.unikraft).toBe('ENOPROTOOPT (-92)')
    const f = findings.find(x => x.id === 'syscall.divergence')!
    expect(f.evidence).toMatch(
      /strace\.log line \d+: setsockopt\(.*TCP_CORK.*unikraft-trace\/console\.log line \d+: setsockopt\(/
    )
    expect(f.hint).toContain('`tcp_nopush off;`')
  })

  it('plain htop: the /proc it cannot read, with fs.procfs-missing and both lines', async () => {
    // Debian 12's htop 3.2 checks access("/proc") and says "could not read procfs" (older htops
    // opened /proc/stat and said "Cannot open /proc/stat"): the trace names what this one did.
    const { alignment, findings } = await analyse('htop', 'fail', true)
    const d = alignment.divergence!
    expect(d.args).toMatch(/^"\/proc"/)
    expect(d.unikraft).toBe('ENOENT (-2)')
    const proc = findings.find(x => x.id === 'fs.procfs-missing')!
    expect(proc.detail).toBe('/proc')
    expect(proc.severity).toBe('error')
    expect(proc.evidence).toContain('baseline/strace.log line')
    expect(proc.evidence).toContain('unikraft-trace/console.log line')
  })

  it.each(['redis', 'hello-c'])('%s works: no divergence finding above note', async name => {
    const { findings } = await analyse(name, 'pass', false)
    for (const f of findings.filter(x => x.id === 'syscall.divergence' || x.id.startsWith('fs.')))
      expect(f.severity).toBe('note')
  })

  it('the same traces on an app that failed, stopped where Linux went on: the last difference before the stop', async () => {
    const { alignment } = await analyse('sendfile-demo', 'fail', true)
    expect(alignment.divergence).toMatchObject({ syscall: 'sendfile', linux: '27', unikraft: 'ENOSYS (-38)' })
  })
})
