import { describe, expect, it } from '@jest/globals'
import { parseQemuVersion, rdseedWarning } from '../../../src/engine/setup/qemu-setup.js'
import { compareVersions, parseVersion, versionAtLeast } from '../../../src/engine/setup/version-compare.js'

describe('version comparison', () => {
  it.each([
    ['7.2.19', '8.1.3', -1],
    ['8.1.3', '8.1.3', 0],
    ['8.1.4', '8.1.3', 1],
    ['8.2', '8.1.3', 1],
    ['8.1', '8.1.3', -1],
    ['10.0.2', '8.1.3', 1],
    ['0.16.3', '0.17.0', -1],
    ['0.17.0', '0.17.0', 0],
    ['0.21.0', '0.17.0', 1],
    ['v1.2.3', '1.2.3', 0]
  ])('%s vs %s -> %i', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign)
  })

  it('compares numerically, not as text', () => {
    expect(versionAtLeast('10.0.0', '9.9.9')).toBe(true)
    expect(versionAtLeast('0.9.0', '0.17.0')).toBe(false)
  })

  it.each(['latest', '', '1.2.3.4', 'abc', '1..2'])('rejects %j', text => {
    expect(parseVersion(text)).toBeNull()
    expect(() => compareVersions(text, '1.0.0')).toThrow('not a version')
  })
})

describe('parseQemuVersion', () => {
  it.each([
    [
      'QEMU emulator version 7.2.19 (Debian 1:7.2+dfsg-7+deb12u16)\nCopyright (c) 2003-2022 Fabrice Bellard',
      '7.2.19'
    ],
    ['QEMU emulator version 6.2.0 (Debian 1:6.2+dfsg-2ubuntu6.22)', '6.2.0'],
    ['QEMU emulator version 8.2.2 (Debian 1:8.2.2+ds-0ubuntu1.4)', '8.2.2'],
    ['QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-1~bpo12+1)', '10.0.2'],
    ['QEMU emulator version 9.1', '9.1.0'],
    ['qemu-system-x86_64: command not found', null]
  ])('%j -> %j', (text, version) => {
    expect(parseQemuVersion(text)).toBe(version)
  })
})

describe('rdseedWarning', () => {
  it.each([
    // qemu, accel, unikraft, warns
    ['7.2.19', 'tcg', '0.17.0', true],
    ['7.2.19', 'tcg', 'latest', true],
    ['7.2.19', 'tcg', '0.21.0', true],
    ['8.1.2', 'tcg', '0.18.0', true],
    ['6.2.0', 'tcg', '0.17.0', true],
    ['8.1.3', 'tcg', '0.17.0', false],
    ['8.2.2', 'tcg', 'latest', false],
    ['10.0.2', 'tcg', '0.19.0', false],
    ['7.2.19', 'tcg', '0.16.3', false],
    ['7.2.19', 'kvm', '0.17.0', false],
    ['7.2.19', 'auto', 'latest', false]
  ])('QEMU %s, %s, Unikraft %s -> %s', (qemuVersion, accel, unikraftVersion, warns) => {
    const w = rdseedWarning({ qemuVersion, accel, unikraftVersion })
    if (warns) {
      expect(w).toContain(`QEMU ${qemuVersion}`)
      expect(w).toContain('RDSEED')
      expect(w).toContain('8.1.3')
      expect(w).toContain('Could not initialize the HWRNG')
    } else expect(w).toBeNull()
  })

  it('does not guess when the QEMU version is unknown', () => {
    expect(rdseedWarning({ qemuVersion: null, accel: 'tcg', unikraftVersion: 'latest' })).toBeNull()
  })
})
