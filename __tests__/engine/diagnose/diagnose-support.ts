// Shared by the diagnosis tests: the real logs and their expectations, a seeded PRNG, and checks
// that hold for every finding.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@jest/globals'
import { FINDINGS } from '../../../src/engine/diagnose/catalog.js'
import { ConsoleDiagnoser } from '../../../src/engine/diagnose/diagnose.js'
import type { Finding } from '../../../src/engine/finding.js'
import type { RunContext } from '../../../src/engine/diagnose/run-rules.js'

export const UNIKRAFT_LOGS = new URL('../../../__fixtures__/unikraft-logs/', import.meta.url).pathname
export const MORE_LOGS = new URL('../../../__fixtures__/diagnose/', import.meta.url).pathname

export interface Expectation {
  expect: string
  detail?: string
  version?: string
  codename?: string
  exit_status?: number
  verdict_hint?: string
  qemu_exit: number
  killed_at_timeout: boolean
}

export const expectations: Record<string, Expectation> = JSON.parse(
  readFileSync(join(UNIKRAFT_LOGS, 'expected.json'), 'utf8')
)

export function readLog(name: string): Buffer {
  return readFileSync(join(UNIKRAFT_LOGS, `${name}.log`))
}

export function allLogNames(): string[] {
  return readdirSync(UNIKRAFT_LOGS)
    .filter(f => f.endsWith('.log'))
    .map(f => f.slice(0, -4))
    .sort()
}

/** mulberry32: small, fast, seeded; the same seed gives the same test inputs on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Feeds `bytes` in chunks whose sizes `size()` picks, the way a stream would deliver them. */
export function diagnoseInChunks(bytes: Buffer, size: () => number, context: RunContext = {}): Finding[] {
  const d = new ConsoleDiagnoser()
  for (let at = 0; at < bytes.length;) {
    const n = Math.max(1, size())
    d.push(bytes.subarray(at, at + n))
    at += n
  }
  return d.end(context)
}

/** Every finding is well formed: a known id, a severity, a hint, evidence, a sane line number. */
export function expectWellFormed(findings: Finding[], lineCount: number): void {
  for (const f of findings) {
    expect(Object.keys(FINDINGS)).toContain(f.id)
    expect(['error', 'warning', 'note']).toContain(f.severity)
    expect(typeof f.hint).toBe('string')
    expect(f.hint.length).toBeGreaterThan(10)
    expect(typeof f.evidence).toBe('string')
    if (f.line !== null) {
      expect(Number.isInteger(f.line)).toBe(true)
      expect(f.line).toBeGreaterThanOrEqual(1)
      expect(f.line).toBeLessThanOrEqual(lineCount)
    }
  }
}

export const ids = (findings: Finding[]): string[] => findings.map(f => f.id)
export const errors = (findings: Finding[]): Finding[] => findings.filter(f => f.severity === 'error')
export const find = (findings: Finding[], id: string): Finding | undefined => findings.find(f => f.id === id)
