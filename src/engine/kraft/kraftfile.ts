// Kraftfile for a pinned Unikraft version: the ELF loader (app-elfloader) with unikraft, lwip and
// libelf at their RELEASE-x.y.z tags for qemu/x86_64, configured like the catalog's ELF-loader
// runtime (`unikraft.org/base`), plus the cache key that names the kernel it builds.
import { createHash } from 'node:crypto'
import { badInput } from '../errors.js'
import { parseVersion, versionAtLeast } from '../setup/version-compare.js'

export const ELFLOADER_TEMPLATE_SOURCE = 'https://github.com/unikraft/app-elfloader.git'
export const LWIP_SOURCE = 'https://github.com/unikraft/lib-lwip.git'
export const LIBELF_SOURCE = 'https://github.com/unikraft/lib-libelf.git'
/** The `name:` of the generated project; the build output is `.unikraft/build/<name>_qemu-x86_64`. */
export const KRAFTFILE_APP_NAME = 'elfloader'

type Kconfig = readonly (readonly [string, string])[]

/*
 * Copied from unikraft/catalog: library/base/Kraftfile (the ELF-loader runtime behind
 * unikraft.org/base), at two points of its history, because symbol names changed between releases:
 *  - KCONFIG_BEFORE_0_17: catalog commit 0bfc2f55b96825300e513b9a36eb4aa8f8cf62d3 (libukswrand,
 *    APPELFLOADER_HFS_*), matching the 0.16 series (0.16.3 images log `[libukswrand]`);
 *  - KCONFIG_FROM_0_17: catalog commit 2079bf7342a87946e9100770d01d1f1e6335a554 (libukrandom,
 *    APPELFLOADER_AUTOGEN_*), matching 0.17+ (0.17.0 images log `[libukrandom]`).
 * The split at 0.17 is inferred from those log lines; a symbol a release does not know is dropped
 * by Kconfig, so a near miss costs a feature, not the build. The (commented) debug options and the
 * fc/x86_64 target were left out: only qemu/x86_64 is built.
 */
const KCONFIG_BEFORE_0_17: Kconfig = [
  ['CONFIG_APPELFLOADER_ARCH_PRCTL', "'y'"],
  ['CONFIG_APPELFLOADER_BRK', "'y'"],
  ['CONFIG_APPELFLOADER_CUSTOMAPPNAME', "'y'"],
  ['CONFIG_APPELFLOADER_STACK_NBPAGES', '128'],
  ['CONFIG_APPELFLOADER_VFSEXEC_EXECBIT', "'n'"],
  ['CONFIG_APPELFLOADER_VFSEXEC', "'y'"],
  ['CONFIG_APPELFLOADER_HFS', "'y'"],
  ['CONFIG_APPELFLOADER_HFS_ETCRESOLVCONF', "'y'"],
  ['CONFIG_APPELFLOADER_HFS_ETCHOSTS', "'y'"],
  ['CONFIG_APPELFLOADER_HFS_ETCHOSTNAME', "'y'"],
  ['CONFIG_APPELFLOADER_HFS_REPLACEEXIST', "'y'"],
  ['CONFIG_HAVE_PAGING_DIRECTMAP', "'y'"],
  ['CONFIG_HAVE_PAGING', "'y'"],
  ['CONFIG_I8042', "'y'"],
  ['CONFIG_LIBDEVFS_AUTOMOUNT', "'y'"],
  ['CONFIG_LIBDEVFS_DEV_NULL', "'y'"],
  ['CONFIG_LIBDEVFS_DEV_STDOUT', "'y'"],
  ['CONFIG_LIBDEVFS_DEV_ZERO', "'y'"],
  ['CONFIG_LIBDEVFS', "'y'"],
  ['CONFIG_LIBPOSIX_ENVIRON_ENVP0', '"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"'],
  ['CONFIG_LIBPOSIX_ENVIRON_ENVP1', '"LD_LIBRARY_PATH=/usr/local/lib:/usr/lib:/lib"'],
  ['CONFIG_LIBPOSIX_ENVIRON_ENVP2', '"HOME=/"'],
  ['CONFIG_LIBPOSIX_ENVIRON', "'y'"],
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
  ['CONFIG_OPTIMIZE_DEADELIM', "'y'"],
  ['CONFIG_OPTIMIZE_LTO', "'y'"],
  ['CONFIG_PAGING', "'y'"],
  ['CONFIG_STACK_SIZE_PAGE_ORDER', '4'],
  ['CONFIG_UKPLAT_KSP_SIZE', '32768'],
  ['CONFIG_UKPLAT_MEMREGION_MAX_COUNT', '64'],
  ['CONFIG_LIBUKNETDEV_EINFO_LIBPARAM', "'y'"]
]

const KCONFIG_FROM_0_17: Kconfig = [
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
  ['CONFIG_LIBUKRANDOM_DEVFS', "'y'"],
  ['CONFIG_LIBUKRANDOM', "'y'"],
  ['CONFIG_LIBUKRANDOM_GETRANDOM', "'y'"],
  ['CONFIG_LIBUKRANDOM_CMDLINE_SEED', "'y'"],
  ['CONFIG_LIBUKRANDOM_LCPU', "'y'"],
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

/* lwip's kconfig from the same two catalog commits (DHCP off before 0.17, on with WAITIFACE after). */
const LWIP_BEFORE_0_17: Kconfig = [
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
  ['CONFIG_LWIP_DHCP', "'n'"],
  ['CONFIG_LWIP_DNS', "'n'"],
  ['CONFIG_LWIP_NUM_TCPCON', '64'],
  ['CONFIG_LWIP_NUM_TCPLISTENERS', '64'],
  ['CONFIG_LWIP_ICMP', "'y'"]
]

const LWIP_FROM_0_17: Kconfig = [
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
  const modern = versionAtLeast(o.unikraftVersion, '0.17.0')
  return (
    `# Generated by unikraft-compat: the ELF loader at ${tag}, configured like unikraft/catalog's\n` +
    `# library/base (the unikraft.org/base runtime).\n` +
    `spec: v0.6\n\n` +
    `name: ${KRAFTFILE_APP_NAME}\n\n` +
    `template:\n  source: ${ELFLOADER_TEMPLATE_SOURCE}\n  version: ${tag}\n\n` +
    `unikraft:\n  version: ${tag}\n  kconfig:\n` +
    block(modern ? KCONFIG_FROM_0_17 : KCONFIG_BEFORE_0_17, '    ') +
    `\nlibraries:\n` +
    `  lwip:\n    source: ${LWIP_SOURCE}\n    version: ${tag}\n    kconfig:\n` +
    block(modern ? LWIP_FROM_0_17 : LWIP_BEFORE_0_17, '      ') +
    `  libelf:\n    source: ${LIBELF_SOURCE}\n    version: ${tag}\n\n` +
    `targets:\n- ${o.plat}/${o.arch}\n`
  )
}

/** `unikraft-kernel-<version>-<arch>-<sha256 of the Kraftfile>`: a matrix builds each version once. */
export function kernelCacheKey(unikraftVersion: string, arch: string, kraftfileText: string): string {
  const digest = createHash('sha256').update(kraftfileText).digest('hex')
  return `unikraft-kernel-${unikraftVersion}-${arch}-${digest}`
}
