import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { ConfigurationError } from '../../src/engine/errors.js'
import { generateKraftfile, kernelCacheKey } from '../../src/engine/kraft/kraftfile.js'

interface Kraftfile {
  spec: string
  name: string
  template: { source: string; version: string }
  unikraft: { version: string; kconfig: Record<string, string | number> }
  libraries: Record<string, { source: string; version: string; kconfig?: Record<string, string | number> }>
  targets: string[]
}

describe('generateKraftfile', () => {
  it.each(['0.16.3', '0.17.0', '0.18.0', '0.21.0'])('pins every component of %s to its release tag', v => {
    const k = parse(generateKraftfile({ unikraftVersion: v, arch: 'x86_64', plat: 'qemu' })) as Kraftfile
    const tag = `RELEASE-${v}`
    expect(k.spec).toBe('v0.6')
    expect(k.template).toEqual({ source: 'https://github.com/unikraft/app-elfloader.git', version: tag })
    expect(k.unikraft.version).toBe(tag)
    expect(Object.keys(k.libraries)).toEqual(['lwip', 'libelf'])
    expect(k.libraries.lwip).toMatchObject({
      source: 'https://github.com/unikraft/lib-lwip.git',
      version: tag
    })
    expect(k.libraries.libelf).toEqual({ source: 'https://github.com/unikraft/lib-libelf.git', version: tag })
    expect(k.targets).toEqual(['qemu/x86_64'])
  })

  it('configures the ELF loader like the catalog base runtime (as strings and numbers Kconfig takes)', () => {
    const k = parse(
      generateKraftfile({ unikraftVersion: '0.18.0', arch: 'x86_64', plat: 'qemu' })
    ) as Kraftfile
    expect(k.unikraft.kconfig).toMatchObject({
      CONFIG_APPELFLOADER_VFSEXEC: 'y',
      CONFIG_APPELFLOADER_CUSTOMAPPNAME: 'y',
      CONFIG_APPELFLOADER_STACK_NBPAGES: 128,
      CONFIG_LIBVFSCORE_AUTOMOUNT_FB0_DRIVER: 'extract',
      CONFIG_LIBUKBOOT_HEAP_BASE: '0x400000000',
      CONFIG_LIBPOSIX_ENVIRON_ENVP0: 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      CONFIG_LIBUKDEBUG_PRINTK_ERR: 'y'
    })
    expect(k.libraries.lwip.kconfig).toMatchObject({ CONFIG_LWIP_SOCKET: 'y', CONFIG_LWIP_NUM_TCPCON: 64 })
  })

  it.each([
    ['0.16.3', 'CONFIG_LIBUKSWRAND', 'CONFIG_LIBUKRANDOM'],
    ['0.17.0', 'CONFIG_LIBUKRANDOM', 'CONFIG_LIBUKSWRAND'],
    ['0.19.1', 'CONFIG_LIBUKRANDOM', 'CONFIG_LIBUKSWRAND']
  ])('%s uses the random-number library of its release (%s, not %s)', (v, has, hasNot) => {
    const k = parse(generateKraftfile({ unikraftVersion: v, arch: 'x86_64', plat: 'qemu' })) as Kraftfile
    expect(k.unikraft.kconfig[has]).toBe('y')
    expect(k.unikraft.kconfig).not.toHaveProperty(hasNot)
  })

  it('is deterministic (the cache key hashes it)', () => {
    const o = { unikraftVersion: '0.18.0', arch: 'x86_64', plat: 'qemu' }
    expect(generateKraftfile(o)).toBe(generateKraftfile(o))
  })

  it.each([
    [
      { unikraftVersion: 'latest', arch: 'x86_64', plat: 'qemu' },
      "Input 'unikraft-version' must be 'latest' or a release like 0.18.0"
    ],
    [{ unikraftVersion: '0.18', arch: 'x86_64', plat: 'qemu' }, "Input 'unikraft-version'"],
    [{ unikraftVersion: '0.18.0\nlibraries: {}', arch: 'x86_64', plat: 'qemu' }, "Input 'unikraft-version'"],
    [
      { unikraftVersion: '0.18.0', arch: 'arm64', plat: 'qemu' },
      "Input 'arch' must be 'x86_64', got 'arm64'"
    ],
    [{ unikraftVersion: '0.18.0', arch: 'x86_64', plat: 'fc' }, "Input 'plat' must be 'qemu', got 'fc'"]
  ])('rejects %j', (o, message) => {
    expect(() => generateKraftfile(o)).toThrow(ConfigurationError)
    expect(() => generateKraftfile(o)).toThrow(message)
  })
})

describe('kernelCacheKey', () => {
  it('is version + arch + sha256 of the Kraftfile', () => {
    const text = generateKraftfile({ unikraftVersion: '0.18.0', arch: 'x86_64', plat: 'qemu' })
    expect(kernelCacheKey('0.18.0', 'x86_64', text)).toMatch(/^unikraft-kernel-0\.18\.0-x86_64-[0-9a-f]{64}$/)
    // sha256('spec: v0.6\n'), computed independently with node -e.
    expect(kernelCacheKey('0.18.0', 'x86_64', 'spec: v0.6\n')).toBe(
      'unikraft-kernel-0.18.0-x86_64-60946183fc291aad749341c3c83792e3fc890c6c57114919e02acf115dfc2252'
    )
  })

  it('changes when the configuration changes', () => {
    const a = generateKraftfile({ unikraftVersion: '0.18.0', arch: 'x86_64', plat: 'qemu' })
    expect(kernelCacheKey('0.18.0', 'x86_64', a)).not.toBe(
      kernelCacheKey('0.18.0', 'x86_64', a + '# changed\n')
    )
  })
})
