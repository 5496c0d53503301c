// Findings of the boot: the banner, no output at all, the init table, the RNG, the root filesystem,
// the application's entry point.
import { about, type CatalogEntry } from './catalog-entry.js'

export const BOOT_FINDINGS = {
  'boot.banner': {
    severity: 'note',
    meaning: 'Unikraft booted past its init table; detail and data carry version, codename and commit.',
    example: '                Calypso 0.17.0~484ff209',
    hint: () => 'Nothing to fix: this records which Unikraft release ran.'
  },
  'boot.no-output': {
    severity: 'error',
    meaning: 'The kernel printed nothing: not a bootable image, not loaded, or a hung accelerator.',
    example: '(console holds only SeaBIOS/iPXE text)',
    hint: d =>
      (d ? `QEMU said: ${d}. ` : '') +
      'Check that the kernel is a Unikraft image built for qemu/x86_64 (a multiboot ELF) or, for the ' +
      'baseline, a Linux bzImage; that QEMU could load it (see its stderr); and that the accelerator ' +
      'works: retry with `accel: tcg`.'
  },
  'boot.init-failed': {
    severity: 'error',
    meaning: 'An init function returned an error before the banner; the system did not boot.',
    example: 'ERR:  [libukboot] <boot.c @  427> Init function at 0x1246f0 returned error -95',
    hint: d =>
      `An init function failed with ${about(d, 'an error')}; the lines just above it name the library. ` +
      'Common causes: no hardware RNG (boot.rng-unavailable), too little memory to unpack the root ' +
      'filesystem (memory.out-of-memory), an unreadable initrd (boot.initrd-failed), a root ' +
      'filesystem that could not be mounted (boot.root-mount-failed).'
  },
  'boot.rng-unavailable': {
    severity: 'error',
    meaning: 'No hardware RNG: Unikraft 0.17+ needs RDRAND and RDSEED, which this QEMU/CPU does not offer.',
    example: 'ERR:  [libukrandom] <random.c @   65> Could not initialize the HWRNG (-95)',
    hint: () =>
      'Unikraft 0.17+ needs RDRAND and RDSEED on x86_64. Under TCG use QEMU >= 8.1.3 with `-cpu max` ' +
      "(Debian 12's QEMU 7.2 cannot; bookworm-backports has 10.0), or run with KVM, or use a " +
      'Unikraft 0.16 image.'
  },
  'boot.initrd-failed': {
    severity: 'error',
    meaning: 'The root filesystem (initrd) could not be found, mounted or unpacked.',
    example: 'ERR:  [libukcpio] ... Bad magic number in CPIO header',
    hint: () =>
      'Pass the root filesystem as an uncompressed newc cpio with `-initrd` and mount it with ' +
      '`vfs.fstab=[ "initrd0:/:extract::ramfs=1:" ]` before `--` on the kernel command line; ' +
      '"Bad magic number" means the archive is not newc cpio (or is compressed).'
  },
  'boot.root-mount-failed': {
    severity: 'error',
    meaning:
      'Unikraft could not mount its root filesystem (/) from the device or filesystem its configuration names.',
    example: 'CRIT: [libvfscore] rootfs.c @ 85 : Failed to mount /: 0',
    hint: d =>
      `Unikraft could not mount / (${about(d, 'the configured root filesystem')}). Give the guest the ` +
      'root filesystem the image expects, or rebuild it for the one you pass: a 9p share ' +
      '(CONFIG_LIBVFSCORE_ROOTFS_9PFS; QEMU `-fsdev local,id=fs0,path=DIR,security_model=none ' +
      '-device virtio-9p-pci,fsdev=fs0,mount_tag=<CONFIG_LIBVFSCORE_ROOTDEV, default rootfs>`), an ' +
      'initrd (CONFIG_LIBVFSCORE_ROOTFS_INITRD and `-initrd`), chosen at run time with `vfs.rootfs=` ' +
      'and `vfs.rootdev=` (0.14 and older) or `vfs.fstab=[ "initrd0:/:extract::ramfs=1:" ]` (0.15 on).'
  },
  'entry.weak-main': {
    severity: 'error',
    meaning: 'The image has no application main(): the weak default ran instead.',
    example: 'weak main() called. Symbol was not replaced!',
    hint: () =>
      "Link the application into the image (the Makefile/Kraftfile must list the app's sources or " +
      'library); to run a Linux binary use the ELF loader image (app-elfloader) with the program after `--`.'
  }
} satisfies Record<string, CatalogEntry>
