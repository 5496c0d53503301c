// Command probes run real programs (no shell unless the argv starts one).
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseProbe } from '../../../src/engine/probe/parse-probe.js'
import { runProbes } from '../../../src/engine/probe/run-probes.js'
import { VmDouble } from './vm-double.js'

const dir = mkdtempSync(join(tmpdir(), 'probe-command-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const runOne = async (probe: string | object, ports: Record<number, number> = {}, deadlineMs = 10_000) => {
  const vm = new VmDouble(ports)
  vm.print('up')
  const [r] = await runProbes([parseProbe(probe, 'probe[1]')], vm, { deadlineMs })
  return { r, vm }
}

describe('command probe', () => {
  it('passes on exit 0 with HOST and PORT_<guest port> in its environment, output kept', async () => {
    const { r } = await runOne(`command:sh -c 'echo "$HOST $PORT_80 $PORT_6379"'`, { 80: 8080, 6379: 16379 })
    expect(r.passed).toBe(true)
    expect(r.output).toEqual({ stdout: '127.0.0.1 8080 16379\n', stderr: '', exitCode: 0, signal: null })
    expect(r.evidence.received).toBe('exit 0; last output: 127.0.0.1 8080 16379')
  })

  it('runs no shell: words reach the program as written', async () => {
    const { r } = await runOne('command:echo $HOST "*" ~')
    expect(r.output?.stdout).toBe('$HOST * ~\n')
  })

  it('fails on a non-zero exit with the status and the last output line', async () => {
    const { r } = await runOne(`command:sh -c 'echo checking; echo "connection refused" >&2; exit 3'`)
    expect(r).toMatchObject({
      passed: false,
      attempts: 1,
      evidence: { received: 'exit 3; last output: connection refused', note: 'exited with status 3' },
      output: { stdout: 'checking\n', stderr: 'connection refused\n', exitCode: 3 }
    })
  })

  it('runs once by default (a test, not a poll)', async () => {
    const counter = join(dir, 'once')
    writeFileSync(counter, '')
    const { r } = await runOne({ kind: 'command', argv: ['sh', '-c', `echo x >> '${counter}'; exit 1`] })
    expect(r.attempts).toBe(1)
    expect(readFileSync(counter, 'utf8')).toBe('x\n')
  })

  it('with retry, runs until it passes', async () => {
    const counter = join(dir, 'retry')
    writeFileSync(counter, '0')
    const script = `n=$(cat '${counter}'); echo $((n+1)) > '${counter}'; [ "$n" -ge 2 ]`
    const { r, vm } = await runOne({ kind: 'command', argv: ['sh', '-c', script], retry: true })
    expect(r.passed).toBe(true)
    expect(r.attempts).toBe(3)
    expect(vm.readyMarks).toHaveLength(1)
  })

  it('kills a command that outlives its timeout', async () => {
    const { r } = await runOne({ kind: 'command', command: 'sleep 5', timeout: '200ms' })
    expect(r.passed).toBe(false)
    expect(r.evidence.note).toBe('killed after 200 ms')
  })
})
