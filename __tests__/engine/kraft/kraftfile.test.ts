import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { ConfigurationError } from '../../../src/engine/errors.js'
import { generateKraftfile, kernelCacheKey } from '../../../src/engine/kraft/kraftfile.js'

interface Kraftfile {
  spec: string
  name: string
  template: { source: string; version: string }
  unikraft: { version: string; kconfig: Record<string, string | number> }
  libraries: Record<string, { source: string; version: string; kconfig?: Record<string, string | number> }>
  targets: string[]
}

type Kconfig = Record<string, string | number>

/*
 * The expected Kconfig per release step: what unikraft/catalog's library/base/Kraftfile had at the
 * commit named, as YAML reads it. Deliberately left out of the generated Kraftfile (so absent here
 * too): the catalog's commented debug options (LIBUKDEBUG_PRINTD, LIBUKDEBUG_PRINTK_INFO,
 * LIBSYSCALL_SHIM_STRACE, LIBSYSCALL_SHIM_DEBUG), its fc/x86_64 target, its rootfs/cmd, and for 0.16
 * lwip's FAILNOIFACE (set at d1648d2, removed again by the catalog in 031ba3c: it stops a boot
 * without a network interface). 0.16 is written out in full; each later release is the one before
 * with the entries its catalog commit renamed, removed or added.
 */
const UNIKRAFT_0_16: Kconfig = {
  CONFIG_APPELFLOADER_ARCH_PRCTL: 'y',
  CONFIG_APPELFLOADER_BRK: 'y',
  CONFIG_APPELFLOADER_CUSTOMAPPNAME: 'y',
  CONFIG_APPELFLOADER_STACK_NBPAGES: 128,
  CONFIG_APPELFLOADER_VFSEXEC: 'y',
  CONFIG_APPELFLOADER_VFSEXEC_EXECBIT: 'y',
  CONFIG_APPELFLOADER_VFSEXEC_ENVPWD: 'y',
  CONFIG_APPELFLOADER_VFSEXEC_ENVPATH: 'y',
  CONFIG_APPELFLOADER_AUTOGEN: 'y',
  CONFIG_APPELFLOADER_AUTOGEN_ETCRESOLVCONF: 'y',
  CONFIG_APPELFLOADER_AUTOGEN_ETCHOSTS: 'y',
  CONFIG_APPELFLOADER_AUTOGEN_ETCHOSTS_LOCALHOST4: 'y',
  CONFIG_APPELFLOADER_AUTOGEN_ETCHOSTNAME: 'y',
  CONFIG_APPELFLOADER_AUTOGEN_REPLACEEXIST: 'y',
  CONFIG_HAVE_PAGING_DIRECTMAP: 'y',
  CONFIG_HAVE_PAGING: 'y',
  CONFIG_I8042: 'y',
  CONFIG_LIBDEVFS_AUTOMOUNT: 'y',
  CONFIG_LIBDEVFS_DEV_NULL: 'y',
  CONFIG_LIBDEVFS_DEV_STDOUT: 'y',
  CONFIG_LIBDEVFS_DEV_ZERO: 'y',
  CONFIG_LIBDEVFS: 'y',
  CONFIG_LIBPOSIX_ENVIRON: 'y',
  CONFIG_LIBPOSIX_ENVIRON_ENVP0: 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  CONFIG_LIBPOSIX_ENVIRON_ENVP1: 'LD_LIBRARY_PATH=/usr/local/lib:/usr/lib:/lib',
  CONFIG_LIBPOSIX_ENVIRON_ENVP2: 'HOME=/',
  CONFIG_LIBPOSIX_ENVIRON_ENVP3: 'PWD=/',
  CONFIG_LIBPOSIX_ENVIRON_LIBPARAM: 'y',
  CONFIG_LIBPOSIX_EVENTFD: 'y',
  CONFIG_LIBPOSIX_FDIO: 'y',
  CONFIG_LIBPOSIX_FDTAB: 'y',
  CONFIG_LIBPOSIX_FUTEX: 'y',
  CONFIG_LIBPOSIX_MMAP: 'y',
  CONFIG_LIBPOSIX_NETLINK: 'y',
  CONFIG_LIBPOSIX_PIPE: 'y',
  CONFIG_LIBPOSIX_POLL: 'y',
  CONFIG_LIBPOSIX_PROCESS_CLONE: 'y',
  CONFIG_LIBPOSIX_SOCKET: 'y',
  CONFIG_LIBPOSIX_SYSINFO: 'y',
  CONFIG_LIBPOSIX_TIME: 'y',
  CONFIG_LIBPOSIX_TIMERFD: 'y',
  CONFIG_LIBPOSIX_UNIXSOCKET: 'y',
  CONFIG_LIBPOSIX_USER_GID: 0,
  CONFIG_LIBPOSIX_USER_GROUPNAME: 'root',
  CONFIG_LIBPOSIX_USER_UID: 0,
  CONFIG_LIBPOSIX_USER_USERNAME: 'root',
  CONFIG_LIBPOSIX_USER: 'y',
  CONFIG_LIBRAMFS: 'y',
  CONFIG_LIBSYSCALL_SHIM_HANDLER_ULTLS: 'y',
  CONFIG_LIBSYSCALL_SHIM_HANDLER: 'y',
  CONFIG_LIBSYSCALL_SHIM_LEGACY_VERBOSE: 'y',
  CONFIG_LIBSYSCALL_SHIM: 'y',
  CONFIG_LIBUKALLOCPOOL: 'y',
  CONFIG_LIBUKBLKDEV_SYNC_IO_BLOCKED_WAITING: 'y',
  CONFIG_LIBUKBLKDEV: 'y',
  CONFIG_LIBUKBOOT_BANNER_MINIMAL: 'y',
  CONFIG_LIBUKBOOT_HEAP_BASE: '0x400000000',
  CONFIG_LIBUKBOOT_MAINTHREAD: 'y',
  CONFIG_LIBUKBOOT_SHUTDOWNREQ_HANDLER: 'y',
  CONFIG_LIBUKLIBPARAM: 'y',
  CONFIG_LIBUKCPIO: 'y',
  CONFIG_LIBUKDEBUG_CRASH_SCREEN: 'y',
  CONFIG_LIBUKDEBUG_ENABLE_ASSERT: 'y',
  CONFIG_LIBUKDEBUG_PRINT_SRCNAME: 'n',
  CONFIG_LIBUKDEBUG_PRINT_TIME: 'y',
  CONFIG_LIBUKDEBUG_PRINTK_ERR: 'y',
  CONFIG_LIBUKDEBUG_PRINTK: 'y',
  CONFIG_LIBUKDEBUG: 'y',
  CONFIG_LIBUKFALLOC: 'y',
  CONFIG_LIBUKMPI: 'n',
  CONFIG_LIBUKSIGNAL: 'y',
  CONFIG_LIBUKSWRAND_DEVFS: 'y',
  CONFIG_LIBUKSWRAND: 'y',
  CONFIG_LIBUKVMEM_DEFAULT_BASE: '0x0000001000000000',
  CONFIG_LIBUKVMEM_DEMAND_PAGE_IN_SIZE: 12,
  CONFIG_LIBUKVMEM_PAGEFAULT_HANDLER_PRIO: 4,
  CONFIG_LIBUKVMEM: 'y',
  CONFIG_LIBVFSCORE_AUTOMOUNT_CI_EINITRD: 'y',
  CONFIG_LIBVFSCORE_AUTOMOUNT_CI: 'y',
  CONFIG_LIBVFSCORE_AUTOMOUNT_FB: 'y',
  CONFIG_LIBVFSCORE_AUTOMOUNT_FB0_DEV: 'embedded',
  CONFIG_LIBVFSCORE_AUTOMOUNT_FB0_DRIVER: 'extract',
  CONFIG_LIBVFSCORE_AUTOMOUNT_FB0_MP: '/',
  CONFIG_LIBVFSCORE_AUTOMOUNT_UP: 'y',
  CONFIG_LIBVFSCORE_AUTOMOUNT: 'y',
  CONFIG_LIBVFSCORE_NONLARGEFILE: 'y',
  CONFIG_LIBVFSCORE: 'y',
  CONFIG_LIBUK9P: 'y',
  CONFIG_OPTIMIZE_DEADELIM: 'y',
  CONFIG_OPTIMIZE_LTO: 'y',
  CONFIG_PAGING: 'y',
  CONFIG_STACK_SIZE_PAGE_ORDER: 4,
  CONFIG_UKPLAT_KSP_SIZE: 32768,
  CONFIG_UKPLAT_MEMREGION_MAX_COUNT: 64,
  CONFIG_LIBUKNETDEV: 'y',
  CONFIG_LIBUKNETDEV_EINFO_LIBPARAM: 'y'
}

/** `prev` without `drop`, plus `add`; each entry must change something, so a step stays exact. */
function change(prev: Kconfig, drop: string[], add: Kconfig): Kconfig {
  const next = { ...prev }
  for (const key of drop) {
    if (!(key in next)) throw new Error(`${key} is not in the previous list`)
    delete next[key]
  }
  for (const key of Object.keys(add)) if (key in next) throw new Error(`${key} is already in the list`)
  return { ...next, ...add }
}

// 0.17, catalog 031ba3c: libukswrand was renamed libukrandom.
const UNIKRAFT_0_17 = change(UNIKRAFT_0_16, ['CONFIG_LIBUKSWRAND', 'CONFIG_LIBUKSWRAND_DEVFS'], {
  CONFIG_LIBUKRANDOM: 'y',
  CONFIG_LIBUKRANDOM_DEVFS: 'y'
})
// 0.18, catalog 5ded6d4: getrandom() and the seeds of 0.18's ukrandom.
const UNIKRAFT_0_18 = change(UNIKRAFT_0_17, [], {
  CONFIG_LIBUKRANDOM_GETRANDOM: 'y',
  CONFIG_LIBUKRANDOM_CMDLINE_SEED: 'y',
  CONFIG_LIBUKRANDOM_LCPU: 'y'
})
// 0.19, catalog aef8703: posix-process's CLONE (and PIDS) became MULTITHREADING, under LIBPOSIX_PROCESS.
const UNIKRAFT_0_19 = change(UNIKRAFT_0_18, ['CONFIG_LIBPOSIX_PROCESS_CLONE'], {
  CONFIG_LIBPOSIX_PROCESS: 'y',
  CONFIG_LIBPOSIX_PROCESS_MULTITHREADING: 'y'
})
// 0.20, catalog f102945: arch_prctl moved from app-elfloader to posix-process.
const UNIKRAFT_0_20 = change(UNIKRAFT_0_19, ['CONFIG_APPELFLOADER_ARCH_PRCTL'], {
  CONFIG_LIBPOSIX_PROCESS_ARCH_PRCTL: 'y'
})

// lwip, the same at every step (catalog 031ba3c to f102945; d1648d2 minus FAILNOIFACE).
const LWIP: Kconfig = {
  CONFIG_LWIP_LOOPIF: 'y',
  CONFIG_LWIP_UKNETDEV: 'y',
  CONFIG_LWIP_LOOPBACK: 'y',
  CONFIG_LWIP_TCP: 'y',
  CONFIG_LWIP_UDP: 'y',
  CONFIG_LWIP_RAW: 'y',
  CONFIG_LWIP_WND_SCALE: 'y',
  CONFIG_LWIP_TCP_KEEPALIVE: 'y',
  CONFIG_LWIP_THREADS: 'y',
  CONFIG_LWIP_HEAP: 'y',
  CONFIG_LWIP_SOCKET: 'y',
  CONFIG_LWIP_AUTOIFACE: 'y',
  CONFIG_LWIP_IPV4: 'y',
  CONFIG_LWIP_DHCP: 'y',
  CONFIG_LWIP_WAITIFACE: 'y',
  CONFIG_LWIP_DNS: 'n',
  CONFIG_LWIP_NUM_TCPCON: 64,
  CONFIG_LWIP_NUM_TCPLISTENERS: 64,
  CONFIG_LWIP_ICMP: 'y'
}

function kconfigOf(version: string): { unikraft: Kconfig; lwip: Kconfig | undefined } {
  const k = parse(generateKraftfile({ unikraftVersion: version, arch: 'x86_64', plat: 'qemu' })) as Kraftfile
  return { unikraft: k.unikraft.kconfig, lwip: k.libraries.lwip.kconfig }
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

  it.each([
    ['0.16.3', 'd1648d2', UNIKRAFT_0_16],
    ['0.17.0', '031ba3c', UNIKRAFT_0_17],
    ['0.18.0', '5ded6d4', UNIKRAFT_0_18],
    ['0.19.1', 'aef8703', UNIKRAFT_0_19],
    ['0.20.0', 'f102945', UNIKRAFT_0_20]
  ])('%s gets the Kconfig of catalog %s, exactly', (v, _commit, unikraft) => {
    expect(kconfigOf(v)).toEqual({ unikraft, lwip: LWIP })
  })

  it.each([
    ['0.15.0', UNIKRAFT_0_16],
    ['0.16.0', UNIKRAFT_0_16],
    ['0.16.9', UNIKRAFT_0_16],
    ['0.17.0', UNIKRAFT_0_17],
    ['0.17.9', UNIKRAFT_0_17],
    ['0.18.0', UNIKRAFT_0_18],
    ['0.18.9', UNIKRAFT_0_18],
    ['0.19.0', UNIKRAFT_0_19],
    ['0.19.9', UNIKRAFT_0_19],
    ['0.20.0', UNIKRAFT_0_20],
    ['0.21.0', UNIKRAFT_0_20],
    ['1.0.0', UNIKRAFT_0_20]
  ])('%s takes the table of its release step (older: the first, newer: the newest)', (v, unikraft) => {
    expect(kconfigOf(v)).toEqual({ unikraft, lwip: LWIP })
  })

  it.each([
    ['0.18.0', 'CONFIG_LIBPOSIX_PROCESS_CLONE', 'CONFIG_LIBPOSIX_PROCESS_MULTITHREADING'],
    ['0.19.0', 'CONFIG_LIBPOSIX_PROCESS_MULTITHREADING', 'CONFIG_LIBPOSIX_PROCESS_CLONE'],
    ['0.19.1', 'CONFIG_APPELFLOADER_ARCH_PRCTL', 'CONFIG_LIBPOSIX_PROCESS_ARCH_PRCTL'],
    ['0.20.0', 'CONFIG_LIBPOSIX_PROCESS_ARCH_PRCTL', 'CONFIG_APPELFLOADER_ARCH_PRCTL']
  ])('%s enables threads and arch_prctl under the names of its release (%s, not %s)', (v, has, hasNot) => {
    const { unikraft } = kconfigOf(v)
    expect(unikraft[has]).toBe('y')
    expect(unikraft).not.toHaveProperty(hasNot)
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
