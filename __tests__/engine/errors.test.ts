import { describe, expect, it } from '@jest/globals'
import {
  badInput,
  ConfigurationError,
  errorKind,
  InfrastructureError,
  toError
} from '../../src/engine/errors.js'

describe('errors', () => {
  it('badInput names the input, the accepted form and what was given', () => {
    const e = badInput('memory', 'like 256M or 1G', '12 parsecs')
    expect(e).toBeInstanceOf(ConfigurationError)
    expect(e.message).toBe("Input 'memory' must be like 256M or 1G, got '12 parsecs'")
    expect(e.input).toBe('memory')
  })
  it('keeps configuration, infrastructure and bugs apart', () => {
    expect(errorKind(badInput('x', 'y', 'z'))).toBe('configuration')
    expect(errorKind(new InfrastructureError('qemu missing'))).toBe('infrastructure')
    expect(errorKind(new TypeError('oops'))).toBe('bug')
  })
  it('never swallows a non-Error throw', () => {
    expect(toError({ a: 1 }).message).toBe('non-Error thrown: {"a":1}')
    expect(toError('boom').message).toBe('non-Error thrown: boom')
  })
})
