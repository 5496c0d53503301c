import { s as stripAnsi, t as truncateText } from './text-escape.js';

const TITLES = {
    'boot.banner': 'Unikraft booted',
    'boot.no-output': 'the kernel printed nothing',
    'boot.init-failed': 'an init function failed before the banner',
    'boot.rng-unavailable': 'no hardware random number generator',
    'boot.root-mount-failed': 'the root filesystem could not be mounted',
    'entry.weak-main': 'the image has no application main',
    'loader.missing-executable': 'the program is not in the root filesystem',
    'loader.not-pie': 'the executable is not position-independent',
    'loader.missing-interpreter': 'the dynamic loader is missing',
    'loader.missing-library': 'a shared library is missing',
    'loader.tls-setup-failed': 'thread-local storage setup failed',
    'loader.symbol-not-found': 'a symbol lookup failed',
    'syscall.unsupported': 'system calls returned ENOSYS',
    'syscall.divergence': 'the system call where Unikraft differs from Linux',
    'fs.procfs-missing': 'a /proc file Unikraft does not provide',
    'fs.sysfs-missing': 'a /sys file Unikraft does not provide',
    'process.fork-unsupported': 'the app tried to fork',
    'crash.page-fault': 'the guest crashed on a page fault',
    'crash.trap': 'the guest crashed on a CPU trap',
    'crash.assertion': 'an assertion failed',
    'crash.other': 'the guest crashed',
    'memory.out-of-memory': 'the guest ran out of memory',
    'memory.heap-limit': "the ELF loader's brk heap limit was hit",
    'memory.region-skipped': 'a memory region was left unused',
    'vmm.kvm-unusable': 'KVM is present but unusable',
    'vmm.kernel-not-found': 'QEMU could not open the kernel',
    'app.exit-status': 'the program exited'
    // No title for `trace.unavailable`: its evidence (why the run went untraced) is the best title.
};
/** `loader.missing-library: a shared library is missing (libssl.so.3)`, at most 200 characters. */
function findingTitle(f) {
    const known = TITLES[f.id];
    const detail = f.detail ? stripAnsi(f.detail).trim() : '';
    let text;
    if (known)
        text = detail ? `${known} (${detail})` : known;
    else
        text = detail || stripAnsi(f.evidence).trim().split('\n')[0] || f.severity;
    return truncateText(`${f.id}: ${text}`, 200);
}

export { findingTitle as f };
