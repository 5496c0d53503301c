import { describe, expect, it } from '@jest/globals'
import { planTrace } from '../../../src/engine/check/trace-step.js'
import type { KernelStore } from '../../../src/engine/kraft/kernel-store.js'

const kernel = (version: string, variant: string) => ({
  version,
  variant,
  file: `elfloader-${version}-${variant}`,
  sha256: '0'.repeat(64),
  bytes: 1,
  sources: [],
  config: null
})
const store = {
  dir: '/store',
  kernels: [kernel('0.16.3', 'net'), kernel('0.16.3', 'trace'), kernel('0.17.0', 'net')]
} as unknown as KernelStore
const opts = (unikraftVersion: string, over: object = {}) => ({
  kernel: null,
  kernelStore: store,
  unikraftVersion,
  ...over
})
const run = (
  verdict: 'pass' | 'fail' | 'error',
  guest: 'unikraft' | 'linux' = 'unikraft',
  hasRootfs = true
) => ({ guest, hasRootfs, verdict })

describe('planTrace: when both sides are traced', () => {
  it.each<
    [
      string,
      'auto' | 'always' | 'never',
      ReturnType<typeof opts>,
      ReturnType<typeof run>,
      boolean,
      RegExp | null
    ]
  >([
    ['auto, failed, trace kernel stored: traced', 'auto', opts('0.16.3'), run('fail'), true, null],
    ['auto, could not judge: traced', 'auto', opts('0.16.3'), run('error'), true, null],
    ['auto, passed: not traced, nothing to say', 'auto', opts('0.16.3'), run('pass'), false, null],
    ['always, passed: traced', 'always', opts('0.16.3'), run('pass'), true, null],
    ['never, failed: not traced', 'never', opts('0.16.3'), run('fail'), false, null],
    [
      'a native image (no Linux side): not traced',
      'always',
      opts('0.16.3'),
      run('fail', 'unikraft', false),
      false,
      null
    ],
    ['the run was on Linux: not traced', 'always', opts('0.16.3'), run('fail', 'linux'), false, null],
    [
      'no trace kernel for the version: a note',
      'auto',
      opts('0.17.0'),
      run('fail'),
      false,
      /has no trace kernel for Unikraft 0\.17\.0: the run was not traced/
    ],
    [
      'a kernel given by path: a note',
      'always',
      opts('0.16.3', { kernel: '/k' }),
      run('pass'),
      false,
      /given with `kernel` has no trace variant/
    ],
    [
      'no kernel store: a note',
      'always',
      opts('0.16.3', { kernelStore: null }),
      run('pass'),
      false,
      /no kernel store with a trace kernel/
    ]
  ])('%s', (_n, mode, o, r, traced, note) => {
    const p = planTrace(mode, o, r)
    expect(p.kernel !== null).toBe(traced)
    if (traced) expect(p.kernel).toMatchObject({ version: '0.16.3', variant: 'trace' })
    if (note) expect(p.note).toMatch(note)
    else expect(p.note).toBeNull()
  })
})
