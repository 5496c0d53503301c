import { describe, expect, it } from '@jest/globals'
import { wantsBaseline } from '../../../src/engine/check/boot-step.js'
import { probesFor } from '../../../src/engine/check/default-probes.js'
import { parseProbe } from '../../../src/engine/probe/index.js'

describe('probesFor: the probes of a run with none configured', () => {
  it('configured probes are used as they are, on both guests', () => {
    const p = [parseProbe('redis:6379', 'probe[1]')]
    expect(probesFor({ probes: p, ports: [] }, 'unikraft')).toEqual(p)
    expect(probesFor({ probes: p, ports: [] }, 'linux')).toEqual(p)
  })
  it('forwarded ports: a tcp probe each, identical to what parseProbe makes of tcp:PORT', () => {
    const got = probesFor(
      {
        probes: [],
        ports: [
          { host: 0, guest: 80 },
          { host: 8443, guest: 443 }
        ]
      },
      'unikraft'
    )
    expect(got).toEqual([parseProbe('tcp:80', 'default probe 1'), parseProbe('tcp:443', 'default probe 2')])
  })
  it('nothing forwarded: exit:0 on Linux (whose init reports it), nothing on Unikraft', () => {
    expect(probesFor({ probes: [], ports: [] }, 'linux')).toEqual([parseProbe('exit:0', 'default probe')])
    expect(probesFor({ probes: [], ports: [] }, 'unikraft')).toEqual([])
  })
})

describe('wantsBaseline', () => {
  it.each<
    [string, 'auto' | 'always' | 'never', 'unikraft' | 'linux', boolean, 'pass' | 'fail' | 'error', boolean]
  >([
    ['auto, Unikraft failed', 'auto', 'unikraft', true, 'fail', true],
    ['auto, Unikraft passed', 'auto', 'unikraft', true, 'pass', false],
    ['auto, Unikraft could not judge', 'auto', 'unikraft', true, 'error', true],
    ['always, passed', 'always', 'unikraft', true, 'pass', true],
    ['never, failed', 'never', 'unikraft', true, 'fail', false],
    ['a native image (no root filesystem)', 'always', 'unikraft', false, 'fail', false],
    ['the run was on Linux already', 'always', 'linux', true, 'fail', false]
  ])('%s', (_n, mode, guest, rootfs, verdict, want) => {
    expect(wantsBaseline(mode, guest, rootfs, { verdict })).toBe(want)
  })
})
