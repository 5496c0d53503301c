import { describe, expect, it } from '@jest/globals'
import { ConfigurationError } from '../../../src/engine/errors.js'
import {
  parseBool,
  parseDuration as parseProbeDuration,
  parsePort
} from '../../../src/engine/probe/probe-values.js'
import { parseProbe } from '../../../src/engine/probe/parse-probe.js'
import {
  parseBoolean,
  parseDuration,
  parseEnvLines,
  parseMemory,
  parsePortNumber,
  parsePorts
} from '../../../src/engine/config/units.js'

describe('parseMemory', () => {
  it.each([
    ['256M', 256],
    ['1G', 1024],
    ['64', 64],
    ['512MiB', 512],
    ['8M', 8],
    ['2g', 2048]
  ])('%s is %i MiB', (s, mib) => expect(parseMemory(s)).toBe(mib))
  it.each(['7M', '12 parsecs', '', '1.5G', '-1M', '4096K0'])(
    'rejects %p naming the input and the form',
    s => {
      expect(() => parseMemory(s)).toThrow(ConfigurationError)
      expect(() => parseMemory(s)).toThrow(/^Input 'memory' must be a size like 256M or 1G/)
    }
  )
})

describe('parseDuration', () => {
  it.each([
    ['60s', 60000],
    ['2m', 120000],
    ['1m30s', 90000],
    ['500ms', 500],
    ['90', 90000],
    ['1h', 3600000]
  ])('%s is %i ms', (s, ms) => expect(parseDuration(s)).toBe(ms))
  it.each(['soon', '10x', '', '1m 30s', '0s'])('rejects %p', s => {
    expect(() => parseDuration(s)).toThrow(/Input 'timeout' must be a duration like 60s/)
  })
})

describe('parsePorts', () => {
  it('reads guest ports and HOST:GUEST mappings', () => {
    expect(parsePorts(['6379', '18080:80'])).toEqual([{ guest: 6379 }, { guest: 80, host: 18080 }])
  })
  it.each([['0'], ['65536'], ['http'], ['1:2:3']])('rejects %p', p => {
    expect(() => parsePorts([p])).toThrow(/Input 'ports' must be/)
  })
  it('rejects a guest port given twice', () => {
    expect(() => parsePorts(['80', '8080:80'])).toThrow("Input 'ports' names guest port 80 twice")
  })
})

describe('parseEnvLines and parseBoolean', () => {
  it('keeps everything after the first = (commas, spaces, more =)', () => {
    expect(parseEnvLines(['A=1,2', 'B=x=y z'])).toEqual({ A: '1,2', B: 'x=y z' })
  })
  it('rejects a line without a name', () => {
    expect(() => parseEnvLines(['=3'])).toThrow("Input 'env' must be lines of NAME=value, got '=3'")
  })
  it('reads booleans and rejects others', () => {
    expect(parseBoolean('true', 'upload-logs')).toBe(true)
    expect(parseBoolean('False', 'upload-logs')).toBe(false)
    expect(() => parseBoolean('maybe', 'upload-logs')).toThrow(
      "Input 'upload-logs' must be true or false, got 'maybe'"
    )
  })
})

describe('one duration grammar for inputs, config keys and probe options', () => {
  it.each([
    ['90', 90_000],
    [90, 90_000],
    [0.25, 250],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['24h', 86_400_000]
  ])('%j is %d ms everywhere', (value, ms) => {
    expect(parseDuration(value)).toBe(ms)
    expect(parseProbeDuration(value)).toEqual({ ok: ms })
    // The same value as a probe's option in the string form and as its key in the structured form.
    if (typeof value === 'string')
      expect(parseProbe(`tcp:80 timeout=${value}`, 'probe[1]')).toMatchObject({ attemptTimeoutMs: ms })
    expect(parseProbe({ kind: 'tcp', port: 80, timeout: value }, 'probes[1]')).toMatchObject({
      attemptTimeoutMs: ms
    })
  })

  it.each(['0', 0, '-5s', '25h', '99999999999999999999h', 'forever', '', Number.NaN, 1e30])(
    '%j is refused everywhere',
    value => {
      expect(() => parseDuration(value, 'timeout')).toThrow(
        `Input 'timeout' must be a duration like 60s, 2m, 1m30s or 500ms (a bare number is seconds), at most 24h, got '${String(value)}'`
      )
      expect(parseProbeDuration(value)).toHaveProperty('error')
    }
  )
})

describe('one boolean and one port grammar for inputs, config keys and probe options', () => {
  it.each([
    ['true', true],
    ['YES', true],
    ['on', true],
    ['1', true],
    ['false', false],
    ['No', false],
    ['off', false],
    ['0', false]
  ])('%j', (text, value) => {
    expect(parseBoolean(text, 'upload-logs')).toBe(value)
    expect(parseBool(text)).toEqual({ ok: value })
  })
  it.each(['maybe', '2', ''])('%j is refused by both', text => {
    expect(() => parseBoolean(text, 'upload-logs')).toThrow(ConfigurationError)
    expect(parseBool(text)).toHaveProperty('error')
  })
  it.each([
    ['80', 80],
    [' 443 ', 443],
    ['65535', 65535]
  ])('port %j', (text, n) => {
    expect(parsePortNumber(text, 'ports')).toBe(n)
    expect(parsePort(text)).toEqual({ ok: n })
  })
  it.each(['0', '65536', 'http', '-1', '8.5'])('port %j is refused by both', text => {
    expect(() => parsePortNumber(text, 'ports')).toThrow(ConfigurationError)
    expect(parsePort(text)).toHaveProperty('error')
  })
})
