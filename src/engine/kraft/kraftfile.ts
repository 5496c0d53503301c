// Kraftfile for a pinned Unikraft version: the ELF loader (app-elfloader) with unikraft, lwip and
// libelf at their RELEASE-x.y.z tags for qemu/x86_64, configured like the catalog's ELF-loader
// runtime (`unikraft.org/base`), plus the cache key that names the kernel it builds.
// One Kconfig table per Unikraft release step (0.16 to 0.20): 0.16 written out as the catalog had
// it, each later one as the renames and additions of its step, in place, so the lists stay in the
// catalog's order (the tests pin every list in full).
import { createHash } from 'node:crypto'
import { badInput } from '../errors.js'
import { compareVersions, parseVersion } from '../setup/version-compare.js'

export const ELFLOADER_TEMPLATE_SOURCE = 'https://github.com/unikraft/app-elfloader.git'
export const LWIP_SOURCE = 'https://github.com/unikraft/lib-lwip.git'
export const LIBELF_SOURCE = 'https://github.com/unikraft/lib-libelf.git'
/** The `name:` of the generated project; the build output is `.unikraft/build/<name>_qemu-x86_64`. */
export const KRAFTFILE_APP_NAME = 'elfloader'

type Kconfig = readonly (readonly [string, string])[]

/*
 * The Kconfig options come from unikraft/catalog: library/base/Kraftfile (the ELF-loader runtime
 * behind unikraft.org/base), one commit per Unikraft release step. Every version of that file builds
 * against `staging`, never a release tag, so a release's table is the newest catalog commit (on main)
 * whose symbols all exist in that release; the commit after it follows a rename made for the next
 * release. Checked for 0.16 and 0.17 against the Config.uk files of unikraft RELEASE-0.16.3 and
 * RELEASE-0.17.0, app-elfloader RELEASE-0.16.3 and lib-lwip RELEASE-0.16.2 (the newest tags at
 * hand), for 0.18 to 0.20 against the release notes of the renames. A symbol a release does not
 * know is dropped by Kconfig, so a near miss costs a feature, not the build (I8042,
 * LIBPOSIX_NETLINK, LIBUKDEBUG_CRASH_SCREEN and UKPLAT_KSP_SIZE are in every catalog version but in
 * none of the releases checked).
 * Left out everywhere: the catalog's commented debug options, its fc/x86_64 target (only
 * qemu/x86_64 is built) and its rootfs/cmd (the app brings its own initrd).
 * Versions before 0.16 get the 0.16 table; versions after 0.20 get the newest (0.20) table.
 */

/** `table` with `key` replaced, in its place, by `entries` (a rename, or one option split in two). */
function replaced(table: Kconfig, key: string, entries: Kconfig): Kconfig {
  const at = table.findIndex(([k]) => k === key)
  if (at < 0) throw new Error(`kraftfile: ${key} is not in the table it replaces`)
  return [...table.slice(0, at), ...entries, ...table.slice(at + 1)]
}

/** `table` with `entries` inserted right after `key`. */
function insertedAfter(table: Kconfig, key: string, entries: Kconfig): Kconfig {
  const at = table.findIndex(([k]) => k === key)
  if (at < 0) throw new Error(`kraftfile: ${key} is not in the table it extends`)
  return [...table.slice(0, at + 1), ...entries, ...table.slice(at + 1)]
}

/*
 * 0.16.x: catalog d1648d22cad03d11cea918d2602532ffd9caaa80 (2024-07-22), the last one with
 * libukswrand (75f873b then renamed it to libukrandom for 0.17). Changed from the table used
 * before (catalog 0bfc2f5, 2024-01-18), which the catalog itself corrected: its APPELFLOADER_HFS_*
 * names exist in no app-elfloader release (RELEASE-0.16.2 shipped them as APPELFLOADER_AUTOGEN_*,
 * fcb330f), DHCP is on (2f8c58b), environment via kernel parameters (LIBPOSIX_ENVIRON_LIBPARAM,
 * LIBUKLIBPARAM), $PWD/$PATH lookup with the exec bit required (VFSEXEC_ENVPWD/ENVPATH/EXECBIT),
 * 9pfs (LIBUK9P) and LIBUKNETDEV with lwip's WAITIFACE. lwip's FAILNOIFACE, set at this commit, is
 * left out: the catalog removed it again (031ba3c) because it stops a boot without a network
 * interface. AUTOGEN needs app-elfloader 0.16.2 and ENVPWD/ENVPATH 0.16.3; older 0.16.x drop them.
 */
const KCONFIG_0_16: Kconfig = [
  ['CONFIG_APPELFLOADER_ARCH_PRCTL', "'y'"],
  ['CONFIG_APPELFLOADER_BRK', "'y'"],
  ['CONFIG_APPELFLOADER_CUSTOMAPPNAME', "'y'"],
  ['CONFIG_APPELFLOADER_STACK_NBPAGES', '128'],
  ['CONFIG_APPELFLOADER_VFSEXEC', "'y'"],
  ['CONFIG_APPELFLOADER_VFSEXEC_EXECBIT', "'y'"],
  ['CONFIG_APPELFLOADER_VFSEXEC_ENVPWD', "'y'"],
  ['CONFIG_APPELFLOADER_VFSEXEC_ENVPATH', "'y'"],
  ['CONFIG_APPELFLOADER_AUTOGEN', "'y'"],
  ['CONFIG_APPELFLOADER_AUTOGEN_ETCRESOLVCONF', "'y'"],
  ['CONFIG_APPELFLOADER_AUTOGEN_ETCHOSTS', "'y'"],
  ['CONFIG_APPELFLOADER_AUTOGEN_ETCHOSTS_LOCALHOST4', "'y'"],
  ['CONFIG_APPELFLOADER_AUTOGEN_ETCHOSTNAME', "'y'"],
  ['CONFIG_APPELFLOADER_AUTOGEN_REPLACEEXIST', "'y'"],
  ['CONFIG_HAVE_PAGING_DIRECTMAP', "'y'"],
  ['CONFIG_HAVE_PAGING', "'y'"],
  ['CONFIG_I8042', "'y'"],
  ['CONFIG_LIBDEVFS_AUTOMOUNT', "'y'"],
  ['CONFIG_LIBDEVFS_DEV_NULL', "'y'"],
  ['CONFIG_LIBDEVFS_DEV_STDOUT', "'y'"],
  ['CONFIG_LIBDEVFS_DEV_ZERO', "'y'"],
  ['CONFIG_LIBDEVFS', "'y'"],
  ['CONFIG_LIBPOSIX_ENVIRON', "'y'"],
  ['CONFIG_LIBPOSIX_ENVIRON_ENVP0', '"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"'],
  ['CONFIG_LIBPOSIX_ENVIRON_ENVP1', '"LD_LIBRARY_PATH=/usr/local/lib:/usr/lib:/lib"'],
  ['CONFIG_LIBPOSIX_ENVIRON_ENVP2', '"HOME=/"'],
  ['CONFIG_LIBPOSIX_ENVIRON_ENVP3', '"PWD=/"'],
  ['CONFIG_LIBPOSIX_ENVIRON_LIBPARAM', "'y'"],
  ['CONFIG_LIBPOSIX_EVENTFD', "'y'"],
  ['CONFIG_LIBPOSIX_FDIO', "'y'"],
  ['CONFIG_LIBPOSIX_FDTAB', "'y'"],
  ['CONFIG_LIBPOSIX_FUTEX', "'y'"],
  ['CONFIG_LIBPOSIX_MMAP', "'y'"],
  ['CONFIG_LIBPOSIX_NETLINK', "'y'"],
  ['CONFIG_LIBPOSIX_PIPE', "'y'"],
  ['CONFIG_LIBPOSIX_POLL', "'y'"],
  ['CONFIG_LIBPOSIX_PROCESS_CLONE', "'y'"],
  ['CONFIG_LIBPOSIX_SOCKET', "'y'"],
  ['CONFIG_LIBPOSIX_SYSINFO', "'y'"],
  ['CONFIG_LIBPOSIX_TIME', "'y'"],
  ['CONFIG_LIBPOSIX_TIMERFD', "'y'"],
  ['CONFIG_LIBPOSIX_UNIXSOCKET', "'y'"],
  ['CONFIG_LIBPOSIX_USER_GID', '0'],
  ['CONFIG_LIBPOSIX_USER_GROUPNAME', '"root"'],
  ['CONFIG_LIBPOSIX_USER_UID', '0'],
  ['CONFIG_LIBPOSIX_USER_USERNAME', '"root"'],
  ['CONFIG_LIBPOSIX_USER', "'y'"],
  ['CONFIG_LIBRAMFS', "'y'"],
  ['CONFIG_LIBSYSCALL_SHIM_HANDLER_ULTLS', "'y'"],
  ['CONFIG_LIBSYSCALL_SHIM_HANDLER', "'y'"],
  ['CONFIG_LIBSYSCALL_SHIM_LEGACY_VERBOSE', "'y'"],
  ['CONFIG_LIBSYSCALL_SHIM', "'y'"],
  ['CONFIG_LIBUKALLOCPOOL', "'y'"],
  ['CONFIG_LIBUKBLKDEV_SYNC_IO_BLOCKED_WAITING', "'y'"],
  ['CONFIG_LIBUKBLKDEV', "'y'"],
  ['CONFIG_LIBUKBOOT_BANNER_MINIMAL', "'y'"],
  ['CONFIG_LIBUKBOOT_HEAP_BASE', "'0x400000000'"],
  ['CONFIG_LIBUKBOOT_MAINTHREAD', "'y'"],
  ['CONFIG_LIBUKBOOT_SHUTDOWNREQ_HANDLER', "'y'"],
  ['CONFIG_LIBUKLIBPARAM', "'y'"],
  ['CONFIG_LIBUKCPIO', "'y'"],
  ['CONFIG_LIBUKDEBUG_CRASH_SCREEN', "'y'"],
  ['CONFIG_LIBUKDEBUG_ENABLE_ASSERT', "'y'"],
  ['CONFIG_LIBUKDEBUG_PRINT_SRCNAME', "'n'"],
  ['CONFIG_LIBUKDEBUG_PRINT_TIME', "'y'"],
  ['CONFIG_LIBUKDEBUG_PRINTK_ERR', "'y'"],
  ['CONFIG_LIBUKDEBUG_PRINTK', "'y'"],
  ['CONFIG_LIBUKDEBUG', "'y'"],
  ['CONFIG_LIBUKFALLOC', "'y'"],
  ['CONFIG_LIBUKMPI', "'n'"],
  ['CONFIG_LIBUKSIGNAL', "'y'"],
  ['CONFIG_LIBUKSWRAND_DEVFS', "'y'"],
  ['CONFIG_LIBUKSWRAND', "'y'"],
  ['CONFIG_LIBUKVMEM_DEFAULT_BASE', "'0x0000001000000000'"],
  ['CONFIG_LIBUKVMEM_DEMAND_PAGE_IN_SIZE', '12'],
  ['CONFIG_LIBUKVMEM_PAGEFAULT_HANDLER_PRIO', '4'],
  ['CONFIG_LIBUKVMEM', "'y'"],
  ['CONFIG_LIBVFSCORE_AUTOMOUNT_CI_EINITRD', "'y'"],
  ['CONFIG_LIBVFSCORE_AUTOMOUNT_CI', "'y'"],
  ['CONFIG_LIBVFSCORE_AUTOMOUNT_FB', "'y'"],
  ['CONFIG_LIBVFSCORE_AUTOMOUNT_FB0_DEV', '"embedded"'],
  ['CONFIG_LIBVFSCORE_AUTOMOUNT_FB0_DRIVER', '"extract"'],
  ['CONFIG_LIBVFSCORE_AUTOMOUNT_FB0_MP', '"/"'],
  ['CONFIG_LIBVFSCORE_AUTOMOUNT_UP', "'y'"],
  ['CONFIG_LIBVFSCORE_AUTOMOUNT', "'y'"],
  ['CONFIG_LIBVFSCORE_NONLARGEFILE', "'y'"],
  ['CONFIG_LIBVFSCORE', "'y'"],
  ['CONFIG_LIBUK9P', "'y'"],
  ['CONFIG_OPTIMIZE_DEADELIM', "'y'"],
  ['CONFIG_OPTIMIZE_LTO', "'y'"],
  ['CONFIG_PAGING', "'y'"],
  ['CONFIG_STACK_SIZE_PAGE_ORDER', '4'],
  ['CONFIG_UKPLAT_KSP_SIZE', '32768'],
  ['CONFIG_UKPLAT_MEMREGION_MAX_COUNT', '64'],
  ['CONFIG_LIBUKNETDEV', "'y'"],
  ['CONFIG_LIBUKNETDEV_EINFO_LIBPARAM', "'y'"]
]

/*
 * 0.17.x: catalog 031ba3c0c8393405319f3b22ee5881a4ad139007 (2024-10-31), the last one before
 * LIBUKRANDOM_GETRANDOM (merged in b495d0b), which 0.17.0 does not have. From 0.16:
 * LIBUKSWRAND, LIBUKSWRAND_DEVFS -> LIBUKRANDOM, LIBUKRANDOM_DEVFS (catalog 7134ee7, merged 75f873b).
 */
const KCONFIG_0_17: Kconfig = replaced(
  replaced(KCONFIG_0_16, 'CONFIG_LIBUKSWRAND_DEVFS', [['CONFIG_LIBUKRANDOM_DEVFS', "'y'"]]),
  'CONFIG_LIBUKSWRAND',
  [['CONFIG_LIBUKRANDOM', "'y'"]]
)

/*
 * 0.18.x: catalog 5ded6d41c2e2cdfe9b077dbc5534f9d50bb44bab (2024-12-19), the last one with
 * LIBPOSIX_PROCESS_CLONE. From 0.17: added LIBUKRANDOM_GETRANDOM (2b31b83, for the reworked
 * ukrandom of 0.18), LIBUKRANDOM_CMDLINE_SEED and LIBUKRANDOM_LCPU (5ded6d4).
 */
const KCONFIG_0_18: Kconfig = insertedAfter(KCONFIG_0_17, 'CONFIG_LIBUKRANDOM', [
  ['CONFIG_LIBUKRANDOM_GETRANDOM', "'y'"],
  ['CONFIG_LIBUKRANDOM_CMDLINE_SEED', "'y'"],
  ['CONFIG_LIBUKRANDOM_LCPU', "'y'"]
])

/*
 * 0.19.x: catalog aef870317cbdf5df1f5d95068bfc4ae3e7b05cd0 (2025-05-02), the last one with
 * APPELFLOADER_ARCH_PRCTL. From 0.18: 0.19 merged LIBPOSIX_PROCESS_PIDS and _CLONE into
 * LIBPOSIX_PROCESS_MULTITHREADING (c9a0402), which needs LIBPOSIX_PROCESS itself (aef8703).
 */
const KCONFIG_0_19: Kconfig = replaced(KCONFIG_0_18, 'CONFIG_LIBPOSIX_PROCESS_CLONE', [
  ['CONFIG_LIBPOSIX_PROCESS', "'y'"],
  ['CONFIG_LIBPOSIX_PROCESS_MULTITHREADING', "'y'"]
])

/*
 * 0.20.x and later: catalog f1029456bf568ccce1d43912c00825b4e9fcefce (2025-08-08), the newest
 * library/base/Kraftfile on main. From 0.19: arch_prctl moved from app-elfloader to posix-process,
 * APPELFLOADER_ARCH_PRCTL -> LIBPOSIX_PROCESS_ARCH_PRCTL. The new VFS of 0.20 (posix-vfs, ukfs) is
 * not used: the catalog keeps vfscore, which 0.20 still has (deprecated for 0.22).
 */
const KCONFIG_0_20: Kconfig = replaced(KCONFIG_0_19, 'CONFIG_APPELFLOADER_ARCH_PRCTL', [
  ['CONFIG_LIBPOSIX_PROCESS_ARCH_PRCTL', "'y'"]
])

/*
 * lwip's kconfig, the same at every step: catalog 031ba3c to f1029456 have exactly this list, and
 * d1648d2 (0.16) has it plus FAILNOIFACE, left out as said above. Before, 0.16 had DHCP off and no
 * WAITIFACE (catalog 0bfc2f5).
 */
const LWIP_KCONFIG: Kconfig = [
  ['CONFIG_LWIP_LOOPIF', "'y'"],
  ['CONFIG_LWIP_UKNETDEV', "'y'"],
  ['CONFIG_LWIP_LOOPBACK', "'y'"],
  ['CONFIG_LWIP_TCP', "'y'"],
  ['CONFIG_LWIP_UDP', "'y'"],
  ['CONFIG_LWIP_RAW', "'y'"],
  ['CONFIG_LWIP_WND_SCALE', "'y'"],
  ['CONFIG_LWIP_TCP_KEEPALIVE', "'y'"],
  ['CONFIG_LWIP_THREADS', "'y'"],
  ['CONFIG_LWIP_HEAP', "'y'"],
  ['CONFIG_LWIP_SOCKET', "'y'"],
  ['CONFIG_LWIP_AUTOIFACE', "'y'"],
  ['CONFIG_LWIP_IPV4', "'y'"],
  ['CONFIG_LWIP_DHCP', "'y'"],
  ['CONFIG_LWIP_WAITIFACE', "'y'"],
  ['CONFIG_LWIP_DNS', "'n'"],
  ['CONFIG_LWIP_NUM_TCPCON', '64'],
  ['CONFIG_LWIP_NUM_TCPLISTENERS', '64'],
  ['CONFIG_LWIP_ICMP', "'y'"]
]

/** `[first release, unikraft kconfig]`, oldest first. */
const RELEASE_STEPS: readonly (readonly [string, Kconfig])[] = [
  ['0.16.0', KCONFIG_0_16],
  ['0.17.0', KCONFIG_0_17],
  ['0.18.0', KCONFIG_0_18],
  ['0.19.0', KCONFIG_0_19],
  ['0.20.0', KCONFIG_0_20]
]

/** The table of the last step `version` has reached; before the first step, the first table. */
function unikraftKconfig(version: string): Kconfig {
  let table = RELEASE_STEPS[0][1]
  for (const [from, t] of RELEASE_STEPS) if (compareVersions(version, from) >= 0) table = t
  return table
}

export interface KraftfileOptions {
  /** A release, `x.y.z` (not `latest`: that is pulled, not built). */
  unikraftVersion: string
  arch: string
  plat: string
}

function validate(o: KraftfileOptions): void {
  if (parseVersion(o.unikraftVersion) === null || !/^\d+\.\d+\.\d+$/.test(o.unikraftVersion)) {
    throw badInput('unikraft-version', "'latest' or a release like 0.18.0", o.unikraftVersion)
  }
  if (o.arch !== 'x86_64') throw badInput('arch', "'x86_64'", o.arch)
  if (o.plat !== 'qemu') throw badInput('plat', "'qemu'", o.plat)
}

function block(entries: Kconfig, indent: string): string {
  return entries.map(([k, v]) => `${indent}${k}: ${v}\n`).join('')
}

/** The Kraftfile text (YAML, spec v0.6). Deterministic: the cache key hashes it. */
export function generateKraftfile(o: KraftfileOptions): string {
  validate(o)
  const tag = `RELEASE-${o.unikraftVersion}`
  return (
    `# Generated by unikraft-compat: the ELF loader at ${tag}, configured like unikraft/catalog's\n` +
    `# library/base (the unikraft.org/base runtime).\n` +
    `spec: v0.6\n\n` +
    `name: ${KRAFTFILE_APP_NAME}\n\n` +
    `template:\n  source: ${ELFLOADER_TEMPLATE_SOURCE}\n  version: ${tag}\n\n` +
    `unikraft:\n  version: ${tag}\n  kconfig:\n` +
    block(unikraftKconfig(o.unikraftVersion), '    ') +
    `\nlibraries:\n` +
    `  lwip:\n    source: ${LWIP_SOURCE}\n    version: ${tag}\n    kconfig:\n` +
    block(LWIP_KCONFIG, '      ') +
    `  libelf:\n    source: ${LIBELF_SOURCE}\n    version: ${tag}\n\n` +
    `targets:\n- ${o.plat}/${o.arch}\n`
  )
}

/** `unikraft-kernel-<version>-<arch>-<sha256 of the Kraftfile>`: a matrix builds each version once. */
export function kernelCacheKey(unikraftVersion: string, arch: string, kraftfileText: string): string {
  const digest = createHash('sha256').update(kraftfileText).digest('hex')
  return `unikraft-kernel-${unikraftVersion}-${arch}-${digest}`
}
