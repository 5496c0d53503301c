// Findings of the application's own failures (network, /proc, exit status, probes), of unrecognised
// kernel errors, and of QEMU and KVM.
import { about, type CatalogEntry } from './catalog-entry.js'

export const HOST_APP_FINDINGS = {
  'net.address-family-unsupported': {
    severity: 'error',
    meaning:
      'The app used an address family the image lacks: IPv6 (a [::] listener) or Unix domain sockets (socketpair, AF_UNIX).',
    example: '[emerg] socket() [::]:80 failed (97: Address family not supported by protocol)',
    hint: d =>
      d === 'AF_UNIX'
        ? 'The image has no Unix domain sockets (AF_UNIX): build Unikraft with posix-unixsocket ' +
          '(CONFIG_LIBPOSIX_UNIXSOCKET) if the app needs them. nginx only uses a socketpair for its ' +
          'worker channel and carries on in single-process mode.'
        : 'The image has no IPv6: listen on IPv4 only (nginx: drop `listen [::]:80`), or build the ' +
          'network stack with IPv6.'
  },
  'net.option-unsupported': {
    severity: 'warning',
    meaning: 'The network stack does not support a socket option the app set.',
    example: 'setsockopt(TCP_CORK) failed (92: Protocol not available)',
    hint: d =>
      `The network stack lacks ${about(d, 'this socket option')}: turn the feature off in the ` +
      "app's configuration (nginx: `tcp_nopush off;`)."
  },
  'fs.procfs-missing': {
    severity: 'warning',
    meaning: 'The app read /proc, which Unikraft does not provide.',
    example: 'Cannot open /proc/stat',
    hint: d =>
      `Unikraft has no /proc (the app wanted ${about(d, 'a /proc file')}): configure the app not ` +
      'to need it, or ship a static copy of the file in the root filesystem.'
  },
  'kernel.error': {
    severity: 'warning',
    meaning: 'An ERR or CRIT kernel line that no rule recognises.',
    example: 'ERR:  [liblwip] ... <some message>',
    hint: () =>
      'Read the line: the library in brackets names the subsystem. If it is harmless for this app, ' +
      'allow-list `kernel.error`.'
  },
  'vmm.kvm-unusable': {
    severity: 'error',
    meaning: 'KVM is present but unusable (permission, MSR abort, emulation failure).',
    example: 'Could not access KVM kernel module: Permission denied',
    hint: () =>
      'Use TCG (`accel: tcg`), or make KVM usable: the runner user needs read/write on /dev/kvm ' +
      "(GitHub-hosted runners: add the kvm udev rule, see the README); MSR errors and 'emulation " +
      "failure' mean nested KVM that does not work: use TCG."
  },
  'vmm.kernel-not-found': {
    severity: 'error',
    meaning: 'QEMU could not open the kernel file.',
    example: "qemu: could not open kernel file 'build/app_qemu-x86_64': No such file or directory",
    hint: d =>
      `QEMU could not open ${about(d, 'the kernel')}: check the \`kernel\` input (path relative to ` +
      'the workspace) and that the build produced the file.'
  },
  'vmm.qemu-error': {
    severity: 'error',
    meaning: 'QEMU failed to start or run the guest for a reason of its own.',
    example: "qemu-system-x86_64: -netdev user,...: Could not set up host forwarding rule 'tcp::8080-:80'",
    hint: d =>
      `QEMU failed: ${about(d, 'see its stderr')}. Fix what it names (a host port already in use, a ` +
      'bad option, missing firmware).'
  },
  'app.exit-status': {
    severity: 'note',
    meaning: "The program's exit status, when the log shows it (error when not 0).",
    example: 'Info: [libukboot] <boot.c @  544> main returned 0',
    hint: d =>
      d === '0'
        ? 'The program finished successfully.'
        : `The program exited with status ${about(d, '?')}: its own output just above says why; ` +
          'compare with the Linux baseline.'
  },
  'probe.failed': {
    severity: 'error',
    meaning: 'A probe (TCP, HTTP, redis, console pattern, exit status) did not pass.',
    example: 'http:80/ failed: connection reset',
    hint: () =>
      'The app did not answer as expected: the other findings usually say why. If it booted and ' +
      'shows no error, check it listens on 0.0.0.0 and the probed port, or raise `timeout` (TCG is slow).'
  }
} satisfies Record<string, CatalogEntry>
