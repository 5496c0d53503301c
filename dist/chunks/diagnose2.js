import { createReadStream } from 'node:fs';
import 'node:string_decoder';

// The keywords that pick the console lines worth giving to the rules (console-rules.ts and the
// rules-*.ts families): every line a rule can claim contains one of them, case-insensitively.
/**
 * Lower-case keywords, one of which every line a rule can claim contains (the keyword scanner hands
 * the rules only such lines, plus the lines a rule asks for as context).
 */
const CONSOLE_KEYWORDS = [
    // Unikraft's own failure messages are ERR or CRIT lines: these two cover most of them. Library
    // names (`[libkvmplat]`, `[libukcpio]`) must not be keywords: every Info line carries one.
    'err:',
    'crit:',
    // banner and boot (plain printf, or lower levels)
    'powered by',
    'welcome to',
    'unikraft',
    'init function',
    'entropy',
    'hwrng',
    'hardware rng',
    'rdseed',
    'rdrand',
    'find an initrd',
    'cpio header',
    'cpio archive',
    'failed to mount',
    'vfs.rootfs',
    'weak main',
    // loader and C library (glibc prints without a level)
    'failed to execute',
    "can't execute",
    'not found in path',
    'program interpreter',
    'position-independent',
    'shared object',
    'thread-local storage',
    'tls block',
    'dlsym',
    'undefined symbol',
    // system calls and processes
    'function not implemented',
    'enosys',
    'errno',
    'is not available',
    'clone_vm',
    'clone(',
    'fork',
    'unsupported resource',
    'ignore updating resource',
    // crashes (dump lines are CRIT; the crash screen and Linux print without a level)
    'page fault',
    'segfault',
    'trap',
    'assertion',
    'rip:',
    'crashing',
    'kernel panic',
    'fatally exited',
    // memory
    'out of memory',
    'allocate memory',
    'enough memory',
    'enomem',
    'failed to load content',
    'user space heaps',
    'increase heap',
    'thread stack',
    'allocate stack',
    'main thread',
    'page summary memory',
    // host and QEMU
    'kvm kernel module',
    'initialize kvm',
    'kvm internal error',
    'kvm: entry failed',
    'kvm run failed',
    '/dev/kvm',
    'failed to set msr',
    'emulation failure',
    'kernel file',
    'load kernel',
    'pvh elf note',
    'elf kernel',
    'kernel header',
    'qemu-system',
    'qemu:',
    // exit status
    'main returned',
    'application returned',
    'program name missing',
    'unikraft_compat_exit=',
    'exit_group(',
    // app-level failures of known kinds
    'address family not supported',
    'protocol not available',
    '/proc/'
];

// Terminal control removal for one console line: ANSI/VT escape sequences (SeaBIOS's `ESC c ESC[2J`,
// Unikraft's coloured level tags) and stray control bytes (NULs from the serial port).
// Every pattern is linear: character classes are disjoint, nothing nests, no sequence spans lines.
// CSI (ESC [ params intermediates final), OSC (ended by BEL or ESC \), 8-bit CSI, and the two-byte
// forms (ESC c, ESC ( B, ...). A lone ESC that starts none of them is dropped by the last branch.
const CONTROL_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]|\x1b|\x9b[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;
// Anything worth removing: ESC, 8-bit CSI or a control byte other than tab and CR.
const HAS_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x9b]/;
/** The line without escape sequences and control bytes; tab and carriage return are kept. */
function stripControls(line) {
    return HAS_CONTROL.test(line) ? line.replace(CONTROL_SEQUENCE, '') : line;
}

// Turns raw console bytes into clean text segments that keep the raw log's 1-based line numbers.
// A raw line can hold several segments: SeaBIOS's `Booting from ROM..` glued to Unikraft's first
// line, a lone CR (the terminal overwrote the line), a kernel message that interrupted another line
// mid-way (a nested fault printed inside a crash dump). Streaming and linear in the input size.
// Where a Unikraft log message starts inside another line: a timestamp and level tag, or a level
// tag followed by the library name. Both are specific enough not to split ordinary text.
const MESSAGE_START = /\[ *\d{1,12}\.\d{1,9}\] (?:dbg|Info|Warn|ERR|CRIT):|(?:dbg|Info|Warn|ERR|CRIT): +\[[^\]\s]{1,64}\] /g;
// Firmware and boot-loader lines that come before the kernel on a -nographic console.
const FIRMWARE = /^(?:SeaBIOS \(version|iPXE \(|iPXE initiali|Press Ctrl-B|Booting from |Boot failed|No bootable device|Machine UUID|Probing EDD|Booting ROM|Loading ROM|WARNING: Image format was not specified)/;
/** True for SeaBIOS/iPXE text: output of the firmware, not of the guest kernel. */
function isFirmwareLine(text) {
    return FIRMWARE.test(text.trimStart());
}
/** Splits one raw line (without its `\n`) into clean, non-blank segments. */
function normalizeLine(raw) {
    const out = [];
    const clean = stripControls(raw);
    const end = clean.endsWith('\r') ? clean.length - 1 : clean.length;
    if (clean.lastIndexOf('\r', end - 1) < 0) {
        splitGlued(end === clean.length ? clean : clean.slice(0, end), out);
        return out;
    }
    // A lone CR returns the cursor: what follows overwrote the line on a terminal. Keep both parts.
    for (const piece of clean.split('\r'))
        splitGlued(piece, out);
    return out;
}
function splitGlued(piece, out) {
    if (piece.trim() === '')
        return;
    const boot = firmwareGlueEnd(piece);
    if (boot > 0 && boot < piece.length) {
        pushSplitMessages(piece.slice(0, boot), out);
        pushSplitMessages(piece.slice(boot), out);
        return;
    }
    pushSplitMessages(piece, out);
}
// `Booting from ROM..Powered by`: the firmware does not end its line before the kernel starts.
function firmwareGlueEnd(piece) {
    const at = piece.indexOf('Booting from ');
    if (at < 0)
        return -1;
    const dots = piece.indexOf('..', at + 13);
    if (dots < 0 || dots - at > 60)
        return -1;
    let end = dots;
    while (end < piece.length && piece.charCodeAt(end) === 0x2e)
        end++;
    return end;
}
function pushSplitMessages(piece, out) {
    const cuts = [];
    if (hasLevelTagAfterStart(piece)) {
        MESSAGE_START.lastIndex = 0;
        for (let m = MESSAGE_START.exec(piece); m; m = MESSAGE_START.exec(piece))
            if (m.index > 0)
                cuts.push(m.index);
    }
    // The banner's first line glued to earlier output (`...upPowered by`).
    const bannerAt = piece.indexOf('Powered by', 1);
    if (bannerAt > 0 && isBannerStartAt(piece, bannerAt)) {
        cuts.push(bannerAt);
        cuts.sort((a, b) => a - b);
    }
    if (cuts.length === 0) {
        pushSegment(piece, out);
        return;
    }
    let start = 0;
    for (const cut of cuts) {
        if (cut <= start)
            continue;
        pushSegment(piece.slice(start, cut), out);
        start = cut;
    }
    pushSegment(piece.slice(start), out);
}
// Cheap test before the split regex: most lines hold at most the level tag of their own prefix.
function hasLevelTagAfterStart(piece) {
    const first = firstLevelTag(piece, 0);
    if (first < 0)
        return false;
    const ownPrefix = first === 0 || (piece.charCodeAt(0) === 0x5b && first < 24);
    return !ownPrefix || firstLevelTag(piece, first + 3) > 0;
}
/** Index of the first ukdebug level tag (`ERR:`, `CRIT:`, ...) at or after `from`, or -1. */
function firstLevelTag(piece, from) {
    for (let colon = piece.indexOf(':', from + 3); colon >= 0; colon = piece.indexOf(':', colon + 1)) {
        if (colon >= 4) {
            const four = piece.slice(colon - 4, colon);
            if (four === 'CRIT' || four === 'Info' || four === 'Warn')
                return colon - 4;
        }
        const three = piece.slice(colon - 3, colon);
        if (three === 'ERR' || three === 'dbg')
            return colon - 3;
    }
    return -1;
}
function isBannerStartAt(piece, at) {
    const rest = piece.slice(at + 10);
    return rest.trim() === '' || rest.startsWith(' Unikraft ');
}
function pushSegment(text, out) {
    const trimmed = text.trimEnd();
    if (trimmed.trimStart() !== '')
        out.push(trimmed);
}

// Reads the ukdebug prefix of a console segment (lib/ukdebug/print.c):
//   [<secs>.<usecs>] <LEVEL>: [<library>] <file.c @ line> message
// Timestamp, library and source name are each optional (build options), and the source line number
// changes between releases, so rules match the message only, never the prefix.
// One anchored attempt per segment; every part is bounded, so no backtracking blow-up. Also read:
// the caller `{r:0x126aaf,f:0x11f50}` (CONFIG_LIBUKDEBUG_PRINT_CALLER) and the old source name
// without brackets, `rootfs.c @ 85   : ` (older releases: the 2020-21 logs of app-python3#1 and #5).
const PREFIX = /^(?:\[ *\d{1,12}\.\d{1,9}\] ?)?(dbg|Info|Warn|ERR|CRIT): *(?:\{[^{}\s]{1,64}\} *)?(?:\[([^\]\s]{1,64})\] *)?(?:<[^<>\s]{1,128} @ *\d{1,7}> ?|[\w.-]{1,64}\.c @ *\d{1,7} *: ?)?/;
function parseKernelLine(text) {
    const m = PREFIX.exec(text);
    if (!m)
        return { level: null, lib: null, msg: text };
    return { level: m[1], lib: m[2] ?? null, msg: text.slice(m[0].length) };
}

// QEMU's own messages (its stderr, or the console when QEMU wrote there): KVM that does not work,
// a kernel file it could not open or boot, and its other fatal errors.
const KVM_ACCESS = /(?:Could not access KVM kernel module|failed to initialize kvm): ([^\n]{1,120})/i;
const KVM_MSR = /failed to set MSR(?: (0x[0-9a-fA-F]{1,16}))?/i;
const KVM_BROKEN = /KVM internal error|KVM: entry failed|kvm run failed|emulation failure/i;
const DEV_KVM = /\/dev\/kvm[^\n]{0,40}?(Permission denied|No such file or directory|Operation not permitted)/;
const KERNEL_NOT_FOUND = /could not (?:open|load) kernel(?: file)? '([^'\n]{0,4096})'/i;
const KERNEL_INVALID = /Error while loading elf kernel|Error loading uncompressed kernel without PVH ELF Note|linux kernel too old to load a ram disk|invalid kernel header|Cannot load x86-64 image, give a 32bit one|multiboot knows VBE/i;
const QEMU_PREFIX = /^qemu(?:-system-[\w-]{1,32})?: ([^\n]{1,300})/;
// Cheap gate: every message below mentions one of these.
const MAY_BE_QEMU = /kvm|msr|emulation|kernel|^qemu/i;
const NOISE = /terminating on signal|^warning:|: warning:/i;
/** What a QEMU message line means, or null for a line QEMU did not write. */
function classifyQemuMessage(text) {
    const t = text.trim();
    if (!MAY_BE_QEMU.test(t))
        return null;
    const access = KVM_ACCESS.exec(t);
    if (access)
        return { kind: 'vmm.kvm-unusable', detail: access[1].trim() };
    const msr = KVM_MSR.exec(t);
    if (msr)
        return { kind: 'vmm.kvm-unusable', detail: msr[1] ? `failed to set MSR ${msr[1]}` : 'failed to set MSR' };
    const broken = KVM_BROKEN.exec(t);
    if (broken)
        return { kind: 'vmm.kvm-unusable', detail: broken[0] };
    const dev = DEV_KVM.exec(t);
    if (dev)
        return { kind: 'vmm.kvm-unusable', detail: `/dev/kvm: ${dev[1]}` };
    const missing = KERNEL_NOT_FOUND.exec(t);
    if (missing)
        return { kind: 'vmm.kernel-not-found', detail: missing[1] };
    const invalid = KERNEL_INVALID.exec(t);
    if (invalid)
        return { kind: 'kernel-invalid', detail: t.replace(/^qemu(?:-system-[\w-]{1,32})?: /, '') };
    const qemu = QEMU_PREFIX.exec(t);
    if (qemu)
        return NOISE.test(t) ? { kind: 'ignore' } : { kind: 'vmm.qemu-error', detail: qemu[1] };
    return null;
}

/** The detail when there is one, else a general wording. */
const about = (detail, fallback) => detail ?? fallback;

// Findings of the boot: the banner, no output at all, the init table, the RNG, the root filesystem,
// the application's entry point.
const BOOT_FINDINGS = {
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
        hint: d => (d ? `QEMU said: ${d}. ` : '') +
            'Check that the kernel is a Unikraft image built for qemu/x86_64 (a multiboot ELF) or, for the ' +
            'baseline, a Linux bzImage; that QEMU could load it (see its stderr); and that the accelerator ' +
            'works: retry with `accel: tcg`.'
    },
    'boot.init-failed': {
        severity: 'error',
        meaning: 'An init function returned an error before the banner; the system did not boot.',
        example: 'ERR:  [libukboot] <boot.c @  427> Init function at 0x1246f0 returned error -95',
        hint: d => `An init function failed with ${about(d, 'an error')}; the lines just above it name the library. ` +
            'Common causes: no hardware RNG (boot.rng-unavailable), too little memory to unpack the root ' +
            'filesystem (memory.out-of-memory), an unreadable initrd (boot.initrd-failed), a root ' +
            'filesystem that could not be mounted (boot.root-mount-failed).'
    },
    'boot.rng-unavailable': {
        severity: 'error',
        meaning: 'No hardware RNG: Unikraft 0.17+ needs RDRAND and RDSEED, which this QEMU/CPU does not offer.',
        example: 'ERR:  [libukrandom] <random.c @   65> Could not initialize the HWRNG (-95)',
        hint: () => 'Unikraft 0.17+ needs RDRAND and RDSEED on x86_64. Under TCG use QEMU >= 8.1.3 with `-cpu max` ' +
            "(Debian 12's QEMU 7.2 cannot; bookworm-backports has 10.0), or run with KVM, or use a " +
            'Unikraft 0.16 image.'
    },
    'boot.initrd-failed': {
        severity: 'error',
        meaning: 'The root filesystem (initrd) could not be found, mounted or unpacked.',
        example: 'ERR:  [libukcpio] ... Bad magic number in CPIO header',
        hint: () => 'Pass the root filesystem as an uncompressed newc cpio with `-initrd` and mount it with ' +
            '`vfs.fstab=[ "initrd0:/:extract::ramfs=1:" ]` before `--` on the kernel command line; ' +
            '"Bad magic number" means the archive is not newc cpio (or is compressed).'
    },
    'boot.root-mount-failed': {
        severity: 'error',
        meaning: 'Unikraft could not mount its root filesystem (/) from the device or filesystem its configuration names.',
        example: 'CRIT: [libvfscore] rootfs.c @ 85 : Failed to mount /: 0',
        hint: d => `Unikraft could not mount / (${about(d, 'the configured root filesystem')}). Give the guest the ` +
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
        hint: () => "Link the application into the image (the Makefile/Kraftfile must list the app's sources or " +
            'library); to run a Linux binary use the ELF loader image (app-elfloader) with the program after `--`.'
    }
};

// Findings of crashes (traps, page faults, assertions, crash screens) and of memory: out of memory,
// the ELF loader's heap, the allocators' harmless complaints.
const CRASH_MEMORY_FINDINGS = {
    'crash.page-fault': {
        severity: 'error',
        meaning: 'The guest crashed on a page fault (an access to an unmapped address); data has the access, address and reason.',
        example: 'CRIT: [libukvmem] ... Cannot handle write page fault at 0x0 (ec: 0x2): Bad address (14).',
        hint: d => `A page fault (${about(d, 'unmapped address')}) stopped the guest: at 0x0 it is a NULL pointer, ` +
            'often an error return the app did not check after an unsupported call. Runtimes that fault on ' +
            'purpose and catch SIGSEGV (the JVM, MySQL, MongoDB) crash here because Unikraft does not turn ' +
            'page faults into signals. Compare with the Linux baseline and resolve RIP with ' +
            '`addr2line -e <image>.dbg <RIP>`.'
    },
    'crash.trap': {
        severity: 'error',
        meaning: 'The guest crashed on an unhandled CPU trap; detail is the trap name.',
        example: 'CRIT: [libkvmplat] ... Unhandled Trap 6 (invalid opcode), error code=0x0',
        hint: d => {
            const name = (d ?? '').toLowerCase();
            const why = name.includes('invalid opcode')
                ? 'usually the code uses an instruction the virtual CPU lacks (use `-cpu max` or KVM, or build for x86-64-v1). '
                : name.includes('general protection')
                    ? 'usually a bad pointer or a privileged instruction. '
                    : name.includes('divide')
                        ? 'a division by zero. '
                        : 'see the register dump. ';
            return `The CPU raised ${d ? `"${d}"` : 'a trap'}: ${why}Resolve RIP with \`addr2line -e <image>.dbg <RIP>\`.`;
        }
    },
    'crash.assertion': {
        severity: 'error',
        meaning: 'An assertion failed; detail is the asserted expression.',
        example: 'CRIT: [appvariant] <main.c @    7> Assertion failure: argc == 42',
        hint: d => `The assertion${d ? ` \`${d}\`` : ''} names the broken assumption; check the configuration and ` +
            'arguments that lead there, or report it to the library named in the line.'
    },
    'crash.other': {
        severity: 'error',
        meaning: 'The guest crashed (register dump and "Crashing", a crash screen, a panic, or KraftKit\'s ' +
            '"machine fatally exited") with no trap, page fault or assertion named; detail is the reason ' +
            'an explicit crash printed, else RIP.',
        example: 'CRIT: Unikraft Crash - Kiviuq (0.20.0~667ac92)',
        hint: d => `The guest crashed${d ? ` (${d})` : ' without naming the cause'}. From 0.20 the crash screen ` +
            'does not print the trap: a page fault or trap shows only `Unikraft Crash` and the registers. ' +
            'Resolve RIP with `addr2line -e <image>.dbg <RIP>`, and raise the log level ' +
            '(CONFIG_LIBUKDEBUG_PRINTK_INFO) for the lines before the crash.'
    },
    'memory.out-of-memory': {
        severity: 'error',
        meaning: "The guest ran out of memory: unpacking the root filesystem, the ELF loader's heap, a thread " +
            "stack, a page request of the buddy allocator, or the app's own allocation.",
        example: 'ERR:  [libukcpio] ... Failed to load content: Input/output error (5)',
        hint: d => {
            const base = `Out of memory${d ? ` (${d})` : ''}: give the guest more (\`memory: 256M\` or more).`;
            if (d?.startsWith('page allocation'))
                return (`${base} The buddy allocator (libukallocbbuddy) hands out 2^order contiguous pages, so one ` +
                    'large allocation needs up to twice its size free in one piece: allocate less at once, or ' +
                    'build with another allocator (CONFIG_LIBUKBOOT_INITTLSF or CONFIG_LIBUKBOOT_INITMIMALLOC ' +
                    'instead of CONFIG_LIBUKBOOT_INITBBUDDY).');
            if (d === 'thread stack' || d === 'main thread')
                return (`${base} Each thread's stack takes 2^CONFIG_STACK_SIZE_PAGE_ORDER pages: lower that order ` +
                    "or the app's thread count if it starts many threads.");
            if (d?.startsWith('heap'))
                return (`${base} The ELF loader reserves its brk heap (CONFIG_APPELFLOADER_BRK_NBPAGES pages, 2 MiB ` +
                    'by default) at the first brk(): memory must hold it besides the root filesystem.');
            return (`${base} The root filesystem is unpacked into RAM, so memory must exceed its size plus what ` +
                'the app uses.');
        }
    },
    'memory.heap-limit': {
        severity: 'warning',
        meaning: 'The ELF loader (0.12 and older) refused a second brk heap or to grow its one heap past its fixed size; error when the guest then ran out of memory.',
        example: 'CRIT: [appelfloader] <brk.c @ 27> Cannot handle multiple user space heaps: Not implemented!',
        hint: d => `The ELF loader's brk() failed (${about(d, 'its single fixed heap')}); glibc's malloc then falls ` +
            'back to mmap, so this is usually harmless. If the app runs out of memory, raise ' +
            'CONFIG_APPELFLOADER_BRK_NBPAGES (the heap size in 4 KiB pages) or use an ELF loader from 0.13 ' +
            'on, which handles repeated brk() calls.'
    },
    'memory.region-skipped': {
        severity: 'note',
        meaning: 'The buddy allocator left a memory region unused, too small after page alignment (an ERR-level line that good boots print).',
        example: 'ERR:  [libukallocbbuddy] <bbuddy.c @  489> 1000: Failed to add memory region 7ae000-7af000: Not enough space after applying page alignments',
        hint: () => 'Harmless: the boot goes on with the other memory regions (unikraft#1505).'
    }
};

// Findings of the application's own failures (network, /proc, exit status, probes), of unrecognised
// kernel errors, and of QEMU and KVM.
const HOST_APP_FINDINGS = {
    'net.address-family-unsupported': {
        severity: 'error',
        meaning: 'The app used an address family the image lacks: IPv6 (a [::] listener) or Unix domain sockets (socketpair, AF_UNIX).',
        example: '[emerg] socket() [::]:80 failed (97: Address family not supported by protocol)',
        hint: d => d === 'AF_UNIX'
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
        hint: d => `The network stack lacks ${about(d, 'this socket option')}: turn the feature off in the ` +
            "app's configuration (nginx: `tcp_nopush off;`)."
    },
    'fs.procfs-missing': {
        severity: 'warning',
        meaning: 'The app read /proc, which Unikraft does not provide.',
        example: 'Cannot open /proc/stat',
        hint: d => `Unikraft has no /proc (the app wanted ${about(d, 'a /proc file')}): configure the app not ` +
            'to need it, or ship a static copy of the file in the root filesystem.'
    },
    'kernel.error': {
        severity: 'warning',
        meaning: 'An ERR or CRIT kernel line that no rule recognises.',
        example: 'ERR:  [liblwip] ... <some message>',
        hint: () => 'Read the line: the library in brackets names the subsystem. If it is harmless for this app, ' +
            'allow-list `kernel.error`.'
    },
    'vmm.kvm-unusable': {
        severity: 'error',
        meaning: 'KVM is present but unusable (permission, MSR abort, emulation failure).',
        example: 'Could not access KVM kernel module: Permission denied',
        hint: () => 'Use TCG (`accel: tcg`), or make KVM usable: the runner user needs read/write on /dev/kvm ' +
            "(GitHub-hosted runners: add the kvm udev rule, see the README); MSR errors and 'emulation " +
            "failure' mean nested KVM that does not work: use TCG."
    },
    'vmm.kernel-not-found': {
        severity: 'error',
        meaning: 'QEMU could not open the kernel file.',
        example: "qemu: could not open kernel file 'build/app_qemu-x86_64': No such file or directory",
        hint: d => `QEMU could not open ${about(d, 'the kernel')}: check the \`kernel\` input (path relative to ` +
            'the workspace) and that the build produced the file.'
    },
    'vmm.qemu-error': {
        severity: 'error',
        meaning: 'QEMU failed to start or run the guest for a reason of its own.',
        example: "qemu-system-x86_64: -netdev user,...: Could not set up host forwarding rule 'tcp::8080-:80'",
        hint: d => `QEMU failed: ${about(d, 'see its stderr')}. Fix what it names (a host port already in use, a ` +
            'bad option, missing firmware).'
    },
    'app.exit-status': {
        severity: 'note',
        meaning: "The program's exit status, when the log shows it (error when not 0).",
        example: 'Info: [libukboot] <boot.c @  544> main returned 0',
        hint: d => d === '0'
            ? 'The program finished successfully.'
            : `The program exited with status ${about(d, '?')}: its own output just above says why; ` +
                'compare with the Linux baseline.'
    },
    'probe.failed': {
        severity: 'error',
        meaning: 'A probe (TCP, HTTP, redis, console pattern, exit status) did not pass.',
        example: 'http:80/ failed: connection reset',
        hint: () => 'The app did not answer as expected: the other findings usually say why. If it booted and ' +
            'shows no error, check it listens on 0.0.0.0 and the probed port, or raise `timeout` (TCG is slow).'
    }
};

// Findings of the ELF loader and the C library's dynamic loader: the program, its interpreter, its
// shared libraries and symbols, thread-local storage.
const LOADER_FINDINGS = {
    'loader.missing-executable': {
        severity: 'error',
        meaning: 'The program named on the command line does not exist in the root filesystem.',
        example: 'ERR:  [appelfloader] ... hello: Failed to execute /hello: No such file or directory',
        hint: d => `${about(d, 'The program')} is not in the root filesystem: check \`cmd\` (an absolute path ` +
            'inside the root filesystem, case-sensitive) and that the file, and every symlink on the way, ' +
            'is in the archive.'
    },
    'loader.not-pie': {
        severity: 'error',
        meaning: 'The executable is not position-independent; the ELF loader runs only PIE (ET_DYN) programs.',
        example: 'hello-nopie: ELF executable is not position-independent!',
        hint: d => `Rebuild ${about(d, 'the program')} as a position-independent executable: \`-fPIE -pie\` ` +
            '(the default of Debian/Ubuntu compilers), `-static-pie` for static binaries, ' +
            '`-buildmode=pie` for Go.'
    },
    'loader.bad-executable': {
        severity: 'error',
        meaning: 'The ELF loader could not open or parse the program (format, machine, ABI or permissions).',
        example: 'hello: Parsing of ELF image failed: Exec format error (-8)',
        hint: d => `The ELF loader rejected ${about(d, 'the program')}. It runs x86_64 Linux ELF executables ` +
            '(PIE, ELFOSABI_LINUX or NONE) with the execute bit; a script needs its interpreter as the ' +
            'program (`/bin/sh /app/run.sh`).'
    },
    'loader.missing-interpreter': {
        severity: 'error',
        meaning: 'The dynamic loader the executable asks for is not in the root filesystem.',
        example: 'hello: Failed to load program interpreter /lib64/ld-linux-x86-64.so.2: No such file or directory',
        hint: d => `Copy the dynamic loader ${about(d, '(PT_INTERP)')} into the root filesystem at that path, ` +
            'with the shared libraries the program needs (`ldd <program>`), or link the program statically ' +
            '(`-static-pie`).'
    },
    'loader.missing-library': {
        severity: 'error',
        meaning: 'A shared library the program needs is not in the root filesystem.',
        example: 'hello: error while loading shared libraries: libssl.so.3: cannot open shared object file',
        hint: d => `Copy ${about(d, 'the library')} and its own dependencies (\`ldd <program>\` on the same ` +
            'distribution) into the root filesystem where the loader searches (/lib/x86_64-linux-gnu, ' +
            '/usr/lib/x86_64-linux-gnu, /lib64), or point LD_LIBRARY_PATH at them with `env`.'
    },
    'loader.tls-setup-failed': {
        severity: 'error',
        meaning: 'The C library could not set up thread-local storage (arch_prctl(ARCH_SET_FS) missing).',
        example: 'cannot set %fs base address for thread-local storage',
        hint: () => 'The image lacks the TLS support glibc needs: use an ELF-loader image built with the ' +
            'system-call shim handler and userland TLS (CONFIG_LIBSYSCALL_SHIM_HANDLER_ULTLS), e.g. the ' +
            'catalog base image, or a newer Unikraft.'
    },
    'loader.symbol-not-found': {
        severity: 'error',
        meaning: "A symbol lookup failed: dlsym() found nothing, or the dynamic loader found no definition (warning when the program only lost a feature, e.g. jemalloc's background threads).",
        example: '<jemalloc>: Error in dlsym(RTLD_NEXT, "pthread_create"). Cannot enable background_thread',
        hint: d => `The program could not look up ${about(d, 'a symbol')}. In a statically linked program (static ` +
            'PIE) dlsym() finds nothing, so jemalloc runs without background threads (harmless unless the ' +
            'app enables them: redis `jemalloc-bg-thread no`); link it dynamically and ship its libraries ' +
            'to get them. "undefined symbol" means a library of another version than the program was ' +
            'built against: copy the libraries from the same distribution release as the program.'
    }
};

// Findings made before boot (preflight, src/engine/rootfs/preflight.ts) or by the pipeline itself;
// listed in the catalog so that every id the product emits has one documented meaning and severity.
const PIPELINE_FINDINGS = {
    'loader.not-elf': {
        severity: 'error',
        meaning: 'Preflight: the command is neither an ELF program nor a #! script, or its ELF header is damaged.',
        example: '/app is neither an ELF program nor a #! script (it starts with "hello")',
        hint: () => 'Point cmd at the program itself (an x86-64 ELF executable), and copy it again if it is truncated.'
    },
    'loader.wrong-arch': {
        severity: 'error',
        meaning: 'Preflight: the command is an ELF program for another architecture than the guest.',
        example: '/hello is an ELF program for AArch64, the guest is x86_64',
        hint: d => `Build or copy the x86-64 build of ${about(d, 'the program')}: the guest runs x86_64 only.`
    },
    'rootfs.empty': {
        severity: 'error',
        meaning: 'Preflight: the root filesystem holds nothing to boot.',
        example: 'the root filesystem is empty',
        hint: () => 'Nothing to boot: check the rootfs source (a Dockerfile whose last stage copies nothing, an empty directory or archive).'
    },
    'rootfs.symlink-loop': {
        severity: 'error',
        meaning: 'Preflight: resolving the command or a library inside the root filesystem runs into a symlink loop.',
        example: '/usr/bin/app -> /usr/bin/app2 -> /usr/bin/app',
        hint: () => 'Fix the symlinks in the root filesystem so each ends at a real file inside it.'
    },
    'setup.unikraft-unavailable': {
        severity: 'warning',
        meaning: 'No Unikraft kernel could be had (no `kernel` given, unikraft.org or github.com unreachable); the CLI ran the Linux baseline instead.',
        example: 'could not download https://github.com/unikraft/kraftkit/releases/...: ENOTFOUND',
        hint: () => 'Pass a prebuilt Unikraft ELF-loader image with --kernel PATH (input `kernel`), or run where unikraft.org and github.com are reachable.'
    },
    'config.empty-argument': {
        severity: 'warning',
        meaning: "An argument of the command is the empty string: Unikraft's command-line parser drops empty arguments, so the program sees fewer arguments than on Linux.",
        example: "argument 2 of the command is empty: ['/usr/bin/app', '--name', '']",
        hint: () => 'Unikraft cannot pass an empty argument: leave it out or give it a value (many programs accept `--opt=` or a default instead).'
    },
    'config.invalid': {
        severity: 'error',
        meaning: 'An input or config value was found wrong while the check ran (for example a Dockerfile that does not build).',
        example: "Input 'rootfs' names a Dockerfile whose build failed at Dockerfile:7",
        hint: () => 'Fix the input or config key named in the message (the build log is in the artifacts).'
    }
};

// Findings of the running program's requests to the kernel: system calls, fork, resource limits.
const RUNTIME_FINDINGS = {
    'syscall.unsupported': {
        severity: 'error',
        meaning: 'System calls the app needed returned ENOSYS: error when the app reported it, warning when ' +
            'only the kernel trace shows it.',
        example: 'io_uring_setup(0x4, 0x0, ...) = Function not implemented (-38)',
        hint: d => `Unikraft does not implement ${about(d, 'a system call the app used')}. Turn off the app ` +
            'feature that needs it (many apps fall back), use a Unikraft build whose libraries provide it, ' +
            'or allow-list `syscall.unsupported` if the app copes.'
    },
    'syscall.tolerated': {
        severity: 'note',
        meaning: 'System calls glibc probes at every start and does without (set_robust_list, rseq, clone3).',
        example: 'rseq(0x400400ca0, 0x20, ...) = Function not implemented (-38)',
        hint: () => 'Harmless: glibc falls back when these are missing.'
    },
    'process.fork-unsupported': {
        severity: 'error',
        meaning: 'The app tried to fork; Unikraft runs a single process (a known limitation).',
        example: 'Cloning thread without CLONE_VM being set: Creating of new address spaces are currently not supported.',
        hint: () => 'Run the app in the foreground without worker processes (redis: `daemonize no`, no BGSAVE or ' +
            '`save ""`; nginx: `daemon off; master_process off;`). If it keeps working, allow-list ' +
            '`process.fork-unsupported`.'
    },
    'process.rlimit-unsupported': {
        severity: 'warning',
        meaning: 'Unikraft rejected a resource limit the app set (setrlimit/prlimit).',
        example: 'ERR:  [libposix_process] Unsupported resource 6',
        hint: d => `Unikraft does not support this resource limit${d ? ` (${d})` : ''}; usually harmless. If the app ` +
            'stops on it, remove or lower the limit in its configuration.'
    },
    'process.rlimit-ignored': {
        severity: 'note',
        meaning: 'Unikraft ignored a resource limit update (ERR-level line, harmless; redis prints it on every start).',
        example: 'ERR:  [libposix_process] ... Ignore updating resource 7: cur = 10032, max = 10032',
        hint: () => 'Harmless: Unikraft does not enforce this limit.'
    }
};

// Findings made from system-call traces (src/engine/trace/trace-findings.ts): the two sides' traces
// aligned call by call, and what a trace showed that the console did not.
const TRACE_FINDINGS = {
    'syscall.divergence': {
        severity: 'error',
        meaning: 'The first system call where Unikraft differs from Linux on the same root filesystem and command: same call, another outcome, or a call Unikraft never reached because the app had stopped; error when the app failed, note when it passed, warning when a probe could not judge. data: syscall, args, linux, unikraft, linuxIndex, unikraftIndex.',
        example: 'Linux (baseline/strace.log line 212: sendfile(12, 13, [0] => [615], 615) = 615); Unikraft (unikraft-trace/console.log line 418: sendfile(...) = Function not implemented (-38))',
        hint: d => `${about(d, 'This system call')} behaves differently on Unikraft: turn off the app feature that uses it (nginx: \`sendfile off;\`, \`tcp_nopush off;\`), enable the Unikraft library that provides it, or compare the two traces from this call on.`
    },
    'fs.sysfs-missing': {
        severity: 'warning',
        meaning: 'The app opened a /sys path that Unikraft does not have (it has no sysfs); seen in the traces.',
        example: 'openat(AT_FDCWD, "/sys/devices/system/cpu/online", O_RDONLY) = No such file or directory (-2)',
        hint: d => `Unikraft has no sysfs (${about(d, 'the /sys path')}): configure the app not to need it, or ship a static copy of the file in the root filesystem.`
    },
    'trace.unavailable': {
        severity: 'note',
        meaning: 'A system-call trace was wanted (`trace: always`, or `auto` after a failed run) but could not be taken, e.g. no trace kernel for the version: the run went untraced.',
        example: 'the kernel store has no trace kernel for Unikraft 0.17.0: the run was not traced',
        hint: () => 'Give a kernel store holding the `trace` variant of this Unikraft version (`kernel-store`, see docs/setup.md "Kernel stores"), or set `trace: never`.'
    }
};

// Every finding id diagnosis can produce: default severity, meaning, a typical evidence line and the
// hint shown to the user, assembled from one table per family. docs/findings.md documents the same
// table (a test keeps them in step).
const FINDINGS = {
    ...BOOT_FINDINGS,
    ...LOADER_FINDINGS,
    ...RUNTIME_FINDINGS,
    ...CRASH_MEMORY_FINDINGS,
    ...HOST_APP_FINDINGS,
    ...PIPELINE_FINDINGS,
    ...TRACE_FINDINGS
};
function hintFor(id, detail) {
    return FINDINGS[id].hint(detail);
}

const lowerOf = (seg) => (seg.lower ??= seg.text.toLowerCase());
const seenOf = (seg) => ({ line: seg.line, evidence: seg.text });
/** Longest evidence kept (a whole line usually fits). */
const MAX_EVIDENCE = 500;
const clip = (text, max = MAX_EVIDENCE) => text.length > max ? `${text.slice(0, max - 1)}…` : text;
/** The console's findings so far, in the order found. */
class FindingSink {
    found = new Map();
    level = null;
    /** The last finding made from a CRIT line: an explicit crash prints its reason that way. */
    lastCrit = null;
    /** The level of the segment the rules look at next (it decides lastCrit); null once all are read. */
    begin(level) {
        this.level = level;
    }
    /** Adds a finding unless the same id (and detail, unless `once`) is there; returns its key. */
    add(id, seen, detail, extra = {}) {
        const key = extra.once ? id : `${id}\u0000${detail ?? ''}`;
        if (this.found.has(key))
            return key;
        const finding = {
            id,
            severity: extra.severity ?? FINDINGS[id].severity,
            line: seen?.line ?? null,
            evidence: clip(seen?.evidence ?? ''),
            detail: detail === null ? null : clip(detail, 200),
            hint: hintFor(id, detail),
            source: 'console'
        };
        if (extra.data)
            finding.data = extra.data;
        this.found.set(key, finding);
        if (this.level === 'CRIT' && seen)
            this.lastCrit = { key, line: seen.line };
        return key;
    }
    has(key) {
        return this.found.has(key);
    }
    get(key) {
        return this.found.get(key);
    }
    /** Whether any finding with this id was made. */
    hasId(id) {
        for (const f of this.found.values())
            if (f.id === id)
                return true;
        return false;
    }
    /** Takes a finding back (a line that turned out to belong to something else). */
    remove(key) {
        const f = this.found.get(key);
        this.found.delete(key);
        if (this.lastCrit?.key === key)
            this.lastCrit = null;
        return f;
    }
    get size() {
        return this.found.size;
    }
    all() {
        return [...this.found.values()];
    }
}
function bannerData(v) {
    return { version: v.version, codename: v.codename, commit: v.commit };
}
/** The last whitespace-separated word of `text` (the program name before `: Failed to ...`). */
function lastToken(text, separators = /\s/) {
    let i = text.length;
    while (i > 0 && !separators.test(text[i - 1]))
        i--;
    return text.slice(i);
}

// What the application itself says: its exit status (Unikraft's `main returned`, an exit_group the
// kernel reports, the Linux baseline's status line) and failures of known kinds it reports (an address
// family or socket option the network stack lacks, a /proc file).
class AppRules {
    sink;
    exitStatus = null;
    constructor(sink) {
        this.sink = sink;
    }
    exitRule(seg) {
        const { msg, text } = seg;
        if (!msg.includes('returned') && !text.includes('UNIKRAFT_COMPAT_EXIT=') && !text.includes('exit_group('))
            return false;
        // Unikraft's `main returned <n>`, the ELF loader's exit_group with a negative status, the
        // Linux baseline's status line, and `exit_group(<n>) = ?` from a kernel that reports exits.
        const m = /exit_group\((-?\d{1,10})\)\s*=\s*\?\s*$/.exec(text) ??
            /\bmain returned (-?\d{1,10})\b/.exec(msg) ??
            /\bApplication returned error code (-?\d{1,10})\b/.exec(msg) ??
            /\bUNIKRAFT_COMPAT_EXIT=(-?\d{1,10})\b/.exec(text);
        if (!m)
            return false;
        // The last status printed is the program's (an ELF loader may print one per program).
        this.exitStatus = { ...seenOf(seg), status: Number(m[1]) };
        return true;
    }
    finish() {
        if (!this.exitStatus)
            return;
        const { status } = this.exitStatus;
        this.sink.add('app.exit-status', this.exitStatus, String(status), {
            once: true,
            severity: status === 0 ? 'note' : 'error',
            data: { status }
        });
    }
    /** Failures of known kinds the app reports itself: network features, /proc. */
    appRule(seg) {
        const { text } = seg;
        if (!text.includes('Address family') && !text.includes('Protocol not') && !text.includes('/proc/'))
            return false;
        if (text.includes('Address family not supported by protocol')) {
            this.sink.add('net.address-family-unsupported', seenOf(seg), /\[::\]|AF_INET6|IPv6/.test(text) ? 'IPv6' : /socketpair|AF_UNIX|unix/i.test(text) ? 'AF_UNIX' : null);
            return true;
        }
        if (text.includes('Protocol not available')) {
            const option = /setsockopt\(([A-Z0-9_]{1,40})\)/.exec(text)?.[1] ?? null;
            this.sink.add('net.option-unsupported', seenOf(seg), option);
            return true;
        }
        const proc = /(\/proc\/[^\s"':,)]{0,200})/.exec(text);
        if (proc && seg.level === null && /No such file|cannot open|failed to open|could not open/i.test(text)) {
            this.sink.add('fs.procfs-missing', seenOf(seg), proc[1]);
            return true;
        }
        return false;
    }
}

// The Unikraft version, from the banner (lib/ukboot/banner.c) or the Info-level boot line:
//   ASCII art ("Powered by" + 5 lines of art + right-aligned `Calypso 0.17.0~484ff209`),
//   the classic art ("Welcome to" + 4 lines), MINIMAL (`Powered by Unikraft Calypso (0.17.0~484ff209)`),
//   and `Unikraft Calypso (0.17.0~484ff209)` printed by the platform at Info level.
/** Lines of art between `Powered by` (or `Welcome to`) and the version line. */
const BANNER_ART_LINES = 7;
// UK_FULLVERSION: <maj>.<min>.<patch>[extra][~<sha>[-dirty...]]
const FULL_VERSION = /^(\d{1,4}\.\d{1,4}\.\d{1,4})([^~\s()]{0,32})(?:~([0-9A-Za-z]{1,64})[^\s()]{0,32})?$/;
const CODENAME = /^[A-Za-z][\w-]{0,31}$/;
function fromParts(codename, full, form) {
    const v = FULL_VERSION.exec(full);
    if (!v || !CODENAME.test(codename))
        return null;
    return { version: v[1], codename, commit: v[3] ?? null, full, form };
}
/** `Calypso` and `0.17.0~484ff209` as printed elsewhere (the crash screen), when they are a version. */
function parseVersionParts(codename, full) {
    return fromParts(codename, full, 'info');
}
/** `Powered by` alone, or the classic `Welcome to  _ __` art: a banner whose version comes later. */
function isBannerStart(text) {
    const t = text.trim();
    return t === 'Powered by' || /^Welcome to +_/.test(t);
}
// One anchored attempt: the codename, one space, the version, nothing else on the line.
const VERSION_LINE = /^\s*([A-Za-z][\w-]{0,31}) (\d{1,4}\.\d{1,4}\.\d{1,4}[^\s()]{0,100})\s*$/;
/** The right-aligned `Calypso 0.17.0~484ff209` line that ends the ASCII-art banner. */
function parseBannerVersionLine(text) {
    const m = VERSION_LINE.exec(text);
    return m ? fromParts(m[1], m[2], 'ascii') : null;
}
const MINIMAL = /^Powered by Unikraft ([^\s()]{1,32}) \(([^\s()]{1,100})\)/;
const INFO = /\bUnikraft ([A-Z][\w-]{0,31}) \(([^\s()]{1,100})\)/;
/** `Powered by Unikraft Calypso (0.17.0~484ff209)` */
function parseMinimalBanner(text) {
    const m = MINIMAL.exec(text.trim());
    return m ? fromParts(m[1], m[2], 'minimal') : null;
}
/** `Info: [libkvmplat] <bootinfo.c @ 56> Unikraft Calypso (0.17.0~484ff209)` (message part). */
function parseInfoVersion(msg) {
    if (msg.startsWith('Powered by'))
        return null;
    const m = INFO.exec(msg);
    return m ? fromParts(m[1], m[2], 'info') : null;
}

// The banner: `Powered by` and its art (the version comes seven lines later), the MINIMAL one-liner,
// and the Info-level `Unikraft <Codename> (<version>)` line. The banner is printed after the init
// table, so the Info line alone proves a boot only when no init function failed.
class BannerRules {
    sink;
    /** Lines of art still expected before the version line. */
    pending = 0;
    banner = null;
    infoLine = null;
    constructor(sink) {
        this.sink = sink;
    }
    /** The version the Info line showed, when it did. */
    get info() {
        return this.infoLine?.version ?? null;
    }
    /** The version, when the banner or the Info line showed it. */
    get version() {
        return this.banner ?? this.info;
    }
    /** A line while the banner's art is pending: true when it was the version line. */
    versionLine(line, text) {
        const version = parseBannerVersionLine(text);
        if (version) {
            this.pending = 0;
            this.setBanner(version, line, text);
            return true;
        }
        this.pending--;
        return false;
    }
    rule(seg) {
        if (seg.text.includes('Powered by') || seg.text.includes('Welcome to')) {
            if (isBannerStart(seg.text)) {
                this.pending = BANNER_ART_LINES;
                return true;
            }
            const minimal = parseMinimalBanner(seg.text);
            if (minimal) {
                this.setBanner(minimal, seg.line, seg.text);
                return true;
            }
        }
        if (!seg.msg.includes('Unikraft'))
            return false;
        const info = parseInfoVersion(seg.msg);
        if (info) {
            this.infoLine ??= { ...seenOf(seg), version: info };
            return true;
        }
        return false;
    }
    setBanner(version, line, text) {
        if (this.banner)
            return;
        this.banner = version;
        this.sink.add('boot.banner', { line, evidence: text.trim() }, `${version.codename} ${version.full}`, {
            once: true,
            data: bannerData(version)
        });
    }
    /** Without the banner, the Info line still proves the boot when no init function failed. */
    finish(initFailed) {
        if (this.banner || !this.infoLine || initFailed)
            return;
        const v = this.infoLine.version;
        this.sink.add('boot.banner', this.infoLine, `${v.codename} ${v.full}`, {
            once: true,
            data: bannerData(v)
        });
    }
}

// Names of the Linux errno values: Unikraft's boot and loader messages print them as numbers
// (`-95`), its syscall trace as `(-38)`, strace as names.
/** Linux errno numbers and names (asm-generic/errno*.h), for log messages and both tracers' results. */
const NAMES$1 = {
    1: 'EPERM',
    2: 'ENOENT',
    3: 'ESRCH',
    4: 'EINTR',
    5: 'EIO',
    6: 'ENXIO',
    7: 'E2BIG',
    8: 'ENOEXEC',
    9: 'EBADF',
    10: 'ECHILD',
    11: 'EAGAIN',
    12: 'ENOMEM',
    13: 'EACCES',
    14: 'EFAULT',
    16: 'EBUSY',
    17: 'EEXIST',
    18: 'EXDEV',
    19: 'ENODEV',
    20: 'ENOTDIR',
    21: 'EISDIR',
    22: 'EINVAL',
    23: 'ENFILE',
    24: 'EMFILE',
    25: 'ENOTTY',
    26: 'ETXTBSY',
    27: 'EFBIG',
    28: 'ENOSPC',
    29: 'ESPIPE',
    30: 'EROFS',
    31: 'EMLINK',
    32: 'EPIPE',
    33: 'EDOM',
    34: 'ERANGE',
    36: 'ENAMETOOLONG',
    38: 'ENOSYS',
    39: 'ENOTEMPTY',
    40: 'ELOOP',
    61: 'ENODATA',
    75: 'EOVERFLOW',
    88: 'ENOTSOCK',
    92: 'ENOPROTOOPT',
    93: 'EPROTONOSUPPORT',
    95: 'EOPNOTSUPP',
    97: 'EAFNOSUPPORT',
    98: 'EADDRINUSE',
    99: 'EADDRNOTAVAIL',
    101: 'ENETUNREACH',
    104: 'ECONNRESET',
    107: 'ENOTCONN',
    110: 'ETIMEDOUT',
    111: 'ECONNREFUSED',
    115: 'EINPROGRESS'
};
const CODES = new Map(Object.entries(NAMES$1).map(([n, name]) => [name, Number(n)]));
/** `ENOSYS` for 38; an unknown number as `E<n>`. */
function errnoName(code) {
    return NAMES$1[code] ?? `E${code}`;
}
/** 38 for `ENOSYS`, or null. */
function errnoCode(name) {
    return CODES.get(name) ?? null;
}
/** `-95` -> `-95 (EOPNOTSUPP)`; unknown numbers are shown as they are. */
function describeErrno(code) {
    const name = NAMES$1[Math.abs(Number(code))];
    return name ? `${code} (${name})` : code;
}

// Unikraft's own root mount (lib/vfscore): `Failed to mount /: <n>` (0.5, app-python3#5),
// `Failed to mount <dev> (<fs>) at /: <n>` (0.7 to 0.14), `Parameter 'vfs.rootfs' is invalid`.
// `Failed to mount ramfs to "/"` is the initrd's extraction step: boot.initrd-failed.
const ROOT_MOUNT = /\bFailed to mount (?:\/|([^\s()]{1,64}) \(([^\s()]{1,32})\) at \/): ?(-?\d{1,5})?/;
const ROOTFS_PARAM = /Parameter 'vfs\.rootfs' is invalid/;
class BootRules {
    sink;
    info;
    initFailed = false;
    oomSeen = false;
    /** `info`: the version from the Info line, when seen (recorded with an init failure). */
    constructor(sink, info) {
        this.sink = sink;
        this.info = info;
    }
    rule(seg) {
        const { msg } = seg;
        // `Init function at 0x... returned error -95` (0.16, 0.17); `Early init function ...` and
        // similar wordings of other releases.
        const init = seg.level !== null && /init/i.test(msg)
            ? (/\binit function at (0x[0-9a-fA-F]{1,16}) returned error (-?\d{1,5})/i.exec(msg) ??
                /\binit[^\n]{0,60}? returned (?:error )?()(-\d{1,5})\b/i.exec(msg))
            : null;
        if (init) {
            this.initFailed = true;
            const data = { error: Number(init[2]) };
            if (init[1])
                data.function = init[1];
            const info = this.info();
            if (info)
                Object.assign(data, bannerData(info));
            this.sink.add('boot.init-failed', seenOf(seg), describeErrno(init[2]), { once: true, data });
            if (init[2] === '-12')
                this.sink.add('memory.out-of-memory', seenOf(seg), 'an init function ran out (ENOMEM)', {
                    once: true
                });
            return true;
        }
        if (this.isRngFailure(seg)) {
            const code = /\((-\d{1,5})\)/.exec(msg)?.[1] ?? null;
            this.sink.add('boot.rng-unavailable', seenOf(seg), code ? describeErrno(code) : null, { once: true });
            return true;
        }
        if (msg.includes('Failed to load content')) {
            // libukcpio could not write a file into the RAM filesystem: memory ran out while unpacking.
            this.oomSeen = true;
            const file = /^(\/[^\s:]{1,256}): Failed to load content/.exec(msg)?.[1];
            this.sink.add('memory.out-of-memory', seenOf(seg), 'unpacking the initrd', {
                once: true,
                data: file ? { file } : undefined
            });
            return true;
        }
        if (this.rootMount(seg))
            return true;
        if (this.isInitrdFailure(seg)) {
            // After an out-of-memory while unpacking, the extraction failure is its consequence.
            if (!this.oomSeen)
                this.sink.add('boot.initrd-failed', seenOf(seg), null, { once: true });
            return true;
        }
        if (msg.includes('weak main() called')) {
            this.sink.add('entry.weak-main', seenOf(seg), null, { once: true });
            return true;
        }
        return false;
    }
    rootMount(seg) {
        if (seg.level === null)
            return false;
        const { msg } = seg;
        if (msg.includes('Failed to mount') && !msg.includes('Failed to mount ramfs to')) {
            const m = ROOT_MOUNT.exec(msg);
            if (!m)
                return false;
            const data = {};
            if (m[3] !== undefined)
                data.error = Number(m[3]);
            if (m[2])
                Object.assign(data, { device: m[1], filesystem: m[2] });
            this.sink.add('boot.root-mount-failed', seenOf(seg), m[2] ? `${m[1]} (${m[2]})` : null, {
                once: true,
                data
            });
            return true;
        }
        if (msg.includes('vfs.rootfs') && ROOTFS_PARAM.test(msg)) {
            this.sink.add('boot.root-mount-failed', seenOf(seg), 'no root filesystem type (vfs.rootfs)', {
                once: true
            });
            return true;
        }
        return false;
    }
    isRngFailure(seg) {
        if (seg.msg.includes('Could not initialize the HWRNG'))
            return true;
        // Other wordings, only from Unikraft's ERR/CRIT lines (a Linux guest's dmesg talks about RDRAND
        // too, and newer releases only warn when RDSEED is missing): `The CPU does not implement
        // RDRAND`, `Could not initialize: No entropy source available`.
        if (seg.level !== 'ERR' && seg.level !== 'CRIT')
            return false;
        const lower = lowerOf(seg);
        if (lower.includes('no entropy source') || lower.includes('collect entropy'))
            return true;
        if (!lower.includes('rng') && !lower.includes('rdseed') && !lower.includes('rdrand'))
            return false;
        return (/\b(?:HWRNG|hardware RNG|RDSEED|RDRAND)\b/i.test(seg.msg) &&
            /\b(?:could not|cannot|failed|not supported|not available|unavailable|does not implement)\b/i.test(seg.msg));
    }
    isInitrdFailure(seg) {
        const lower = lowerOf(seg);
        if (!lower.includes('initrd') && !lower.includes('cpio') && !lower.includes('ramfs'))
            return false;
        const msg = seg.msg;
        if (/Could not find an initrd|Bad magic number in CPIO header|Failed to extract cpio archive/i.test(msg))
            return true;
        // Other wordings, only from Unikraft itself (its lines name the library, e.g. [libukcpio]).
        return (seg.level !== null &&
            /\b(?:initrd|cpio|ramfs)\b/i.test(msg) &&
            /\b(?:failed|could not|cannot|missing|not found|no image)\b/i.test(msg));
    }
}

// Crashes: the line that names the reason (an unhandled trap, a page fault, an assertion, a panic,
// or, since 0.20, the CRIT message an explicit crash prints just before its screen), then the dump
// (registers, stack, `Crashing`, the `Unikraft Crash - <codename> (<version>)` screen). One crash is
// one finding: the first named reason; the dump only supplies RIP and the version. A crash no line
// names is crash.other, and so is KraftKit's `machine fatally exited` (the guest panicked) when the
// console shows nothing else.
const CRASH_SCREEN = /^Unikraft crash - ([A-Za-z][\w-]{0,31}) \(([^\s()]{1,100})\)/i;
const UKVMEM_FAULT = /Cannot handle (\w{1,16}) page fault at (0x[0-9a-fA-F]{1,16})(?: \(ec: (0x[0-9a-fA-F]{1,8})\))?(?:: ([^\n]{1,80}))?/;
/** An explicit crash prints its reason on the CRIT line just before the screen, or the one before. */
const REASON_LINES = 2;
class CrashRules {
    sink;
    retract;
    headline = null;
    evidence = null;
    inCrash = false;
    screen = null;
    reason = null;
    kraftFatal = null;
    /** `retract(key)`: takes back a kernel.error that turned out to be a crash's reason. */
    constructor(sink, retract) {
        this.sink = sink;
        this.retract = retract;
    }
    rule(seg) {
        const { msg, text } = seg;
        const lower = lowerOf(seg);
        const trap = !lower.includes('trap')
            ? null
            : (/Unhandled Trap (\d{1,3}) \(([^()]{1,40})\)/i.exec(msg) ??
                /\btrap ([a-z][a-z ]{1,30}) ip:/.exec(text));
        if (trap) {
            const name = trap.length === 3 ? trap[2] : trap[1];
            const data = trap.length === 3 ? { trap: Number(trap[1]) } : undefined;
            return this.named('crash.trap', seg, name.trim(), data);
        }
        const pf = this.pageFault(seg);
        if (pf !== undefined) {
            const first = this.headline === null;
            this.named('crash.page-fault', seg, pf.detail, pf.data);
            // The fault handler itself ran out of memory mapping the page (`: -12`, `Out of memory (12)`).
            if (first && pf.enomem)
                this.sink.add('memory.out-of-memory', seenOf(seg), 'mapping a page on a fault (ENOMEM)', {
                    once: true
                });
            return true;
        }
        const assertion = msg.includes('Assertion') ? assertionOf(msg) : null;
        if (assertion !== null)
            return this.named('crash.assertion', seg, assertion);
        const panic = text.includes('Kernel panic')
            ? /Kernel panic - not syncing: ?([^\n]{0,200})/.exec(text)
            : null;
        if (panic) {
            // The Linux baseline's /init ending takes the kernel down with it: its status line tells.
            if (!panic[1].includes('Attempted to kill init'))
                this.named('crash.other', seg, panic[1].trim() || null);
            return true;
        }
        if (lower.includes('unikraft crash') && /^Unikraft crash\b/i.test(msg)) {
            this.screenSeen(seg, CRASH_SCREEN.exec(msg));
            return true;
        }
        const rip = lower.includes('rip:')
            ? /^ ?(?:RIP|rip): ?(?:[0-9a-fA-F]{4}:)?([0-9a-fA-F]{6,16})\b/.exec(msg)
            : null;
        if (rip) {
            this.dumpSeen(seg, `0x${rip[1].replace(/^0+(?=.)/, '')}`);
            return true;
        }
        if (seg.level === 'CRIT' && msg.startsWith('Crashing')) {
            this.dumpSeen(seg, null);
            return true;
        }
        if (lower.includes('machine fatally exited')) {
            this.kraftFatal ??= seenOf(seg);
            return true;
        }
        // Everything else a crash dump prints (registers, stack, memory) belongs to the crash.
        return this.inCrash && seg.level === 'CRIT';
    }
    /** A line naming the crash: the first one is the finding, later ones belong to the same crash. */
    named(id, seg, detail, data) {
        this.inCrash = true;
        if (this.headline === null) {
            const once = id === 'crash.other';
            this.headline = this.sink.add(id, seenOf(seg), detail, data ? { data, once } : { once });
        }
        return true;
    }
    pageFault(seg) {
        const lower = lowerOf(seg);
        if (!lower.includes('page fault') && !lower.includes('segfault'))
            return undefined;
        const handle = UKVMEM_FAULT.exec(seg.msg);
        if (handle) {
            const data = { access: handle[1], address: handle[2] };
            if (handle[3])
                data.errorCode = handle[3];
            const why = handle[4]?.replace(/\.$/, '').trim();
            if (why)
                data.reason = why;
            const enomem = why !== undefined && /^-12$|\(12\)|out of memory/i.test(why);
            return { detail: `${handle[1]} at ${handle[2]}`, data, enomem };
        }
        const linux = /unable to handle page fault for address: ?([0-9a-fA-Fx]{1,18})|\bsegfault at ([0-9a-fA-F]{1,16})\b/.exec(seg.text);
        if (linux)
            return { detail: `at ${linux[1] ?? `0x${linux[2]}`}` };
        if ((seg.level === 'CRIT' || seg.level === 'ERR') && /page fault/i.test(seg.msg)) {
            const at = /(?:\bat|vaddr=?)\s*(0x[0-9a-fA-F]{1,16})/.exec(seg.msg);
            return { detail: at ? `at ${at[1]}` : null };
        }
        return undefined;
    }
    /** The crash screen (0.20: `Unikraft Crash - ...`; seen in 0.15 and 0.16 as `Unikraft crash - ...`). */
    screenSeen(seg, screen) {
        const v = screen ? parseVersionParts(screen[1], screen[2]) : null;
        if (v)
            this.screen ??= bannerData(v);
        const last = this.sink.lastCrit;
        if (this.headline === null && !this.reason && last && last.line >= seg.line - REASON_LINES) {
            const f = this.sink.get(last.key);
            if (f?.id === 'kernel.error') {
                // An explicit crash's reason, which no rule knows: it names the crash.
                this.retract(last.key);
                this.reason = { line: f.line ?? seg.line, evidence: f.evidence, msg: f.detail ?? f.evidence };
            }
            else if (f?.severity === 'error') {
                // A line some rule explained (an out-of-memory, a failed mount) is the crash's reason.
                this.headline = last.key;
            }
        }
        this.dumpSeen(seg, null);
    }
    dumpSeen(seg, rip) {
        this.inCrash = true;
        if (!this.evidence)
            this.evidence = { ...seenOf(seg), rip };
        else if (rip && !this.evidence.rip)
            this.evidence.rip = rip;
    }
    finish() {
        const rip = this.evidence?.rip ?? null;
        if (this.headline === null && (this.evidence || this.reason)) {
            const data = { ...this.screen };
            if (rip)
                data.rip = rip;
            const detail = this.reason ? clip(this.reason.msg.trim(), 160) : rip ? `RIP ${rip}` : null;
            const seen = this.reason ?? this.evidence;
            this.headline = this.sink.add('crash.other', seen, detail, {
                once: true,
                data: Object.keys(data).length > 0 ? data : undefined
            });
        }
        else if (this.headline !== null) {
            // The named finding also carries what the dump showed.
            const f = this.sink.get(this.headline);
            if (f?.id.startsWith('crash.') && (this.screen || rip))
                f.data = { ...this.screen, ...(rip ? { rip } : {}), ...f.data };
        }
        if (this.headline === null && this.kraftFatal)
            this.sink.add('crash.other', this.kraftFatal, 'KraftKit: machine fatally exited', { once: true });
    }
}
/** `Assertion failure: argc == 42` (Unikraft) or glibc's ``Assertion `x > 0' failed.`` */
function assertionOf(msg) {
    const uk = msg.indexOf('Assertion failure: ');
    if (uk >= 0)
        return msg.slice(uk + 'Assertion failure: '.length).trim() || null;
    const glibc = msg.indexOf('Assertion `');
    if (glibc >= 0) {
        const end = msg.indexOf("' failed", glibc);
        if (end > glibc)
            return msg.slice(glibc + 'Assertion `'.length, end);
    }
    return null;
}

// The ELF loader (the program, its interpreter, its format) and the C library's dynamic loader (shared
// libraries, symbols, thread-local storage); also the Linux baseline's /init when it cannot start the
// program.
class LoaderRules {
    sink;
    /** Programs a line already rejected (the `Parsing of ELF image failed` after it says nothing new). */
    loaderRejected = new Set();
    constructor(sink) {
        this.sink = sink;
    }
    rule(seg) {
        return this.program(seg) || this.library(seg);
    }
    program(seg) {
        const { msg } = seg;
        const exec = msg.indexOf(': Failed to execute ');
        if (exec >= 0) {
            const prog = lastToken(msg.slice(0, exec));
            const rest = msg.slice(exec + ': Failed to execute '.length);
            const path = /^[^\s:]{1,4096}/.exec(rest)?.[0] ?? '';
            const reason = rest.slice(path.length).replace(/^:\s*/, '');
            const enoent = /No such file or directory/.test(reason);
            if (prog === '<interp>') {
                if (enoent)
                    this.sink.add('loader.missing-interpreter', seenOf(seg), path);
                else
                    this.sink.add('loader.bad-executable', seenOf(seg), `${path}: ${reason}`);
            }
            else if (enoent) {
                this.sink.add('loader.missing-executable', seenOf(seg), path);
            }
            else {
                this.sink.add('loader.bad-executable', seenOf(seg), `${path}: ${reason}`);
            }
            this.loaderRejected.add(prog);
            return true;
        }
        const interp = /Failed to load program interpreter ([^\s:]{1,4096}):? ?([^\n]{0,200})/.exec(msg);
        if (interp) {
            if (/No such file or directory/.test(interp[2]) ||
                this.sink.has(`loader.missing-interpreter\u0000${interp[1]}`))
                this.sink.add('loader.missing-interpreter', seenOf(seg), interp[1]);
            else
                this.sink.add('loader.bad-executable', seenOf(seg), `${interp[1]}: ${interp[2]}`);
            return true;
        }
        // The Linux baseline's /init (busybox env) when the program cannot start.
        const cant = msg.includes("can't execute")
            ? /can't execute '([^'\n]{1,4096})': ([^\n]{1,200})/.exec(msg)
            : null;
        if (cant) {
            if (/No such file or directory/.test(cant[2]))
                this.sink.add('loader.missing-executable', seenOf(seg), cant[1]);
            else
                this.sink.add('loader.bad-executable', seenOf(seg), `${cant[1]}: ${cant[2]}`);
            return true;
        }
        if (msg.includes('Program name missing')) {
            this.sink.add('loader.missing-executable', seenOf(seg), 'no program on the command line');
            return true;
        }
        const notInPath = /^ukc-init: (\S{1,256}): not found in PATH/.exec(msg);
        if (notInPath) {
            this.sink.add('loader.missing-executable', seenOf(seg), notInPath[1]);
            return true;
        }
        const at = msg.indexOf(': ELF executable is not position-independent');
        if (at >= 0) {
            const prog = lastToken(msg.slice(0, at));
            this.loaderRejected.add(prog);
            this.sink.add('loader.not-pie', seenOf(seg), prog || null);
            return true;
        }
        if (seg.level === null)
            return false;
        const bad = /: (Image format not recognized or not supported|ELF machine type mismatch|ELF OS ABI unsupported|Requests program interpreter: Unsupported|ELF executable requests multiple program interpreters)/.exec(msg);
        if (bad) {
            const prog = lastToken(msg.slice(0, bad.index));
            this.loaderRejected.add(prog);
            this.sink.add('loader.bad-executable', seenOf(seg), `${prog}: ${bad[1]}`);
            return true;
        }
        const parsing = msg.indexOf(': Parsing of ELF image failed');
        if (parsing >= 0) {
            const prog = lastToken(msg.slice(0, parsing));
            // The line before already said why (not PIE, wrong machine, ...).
            if (!this.loaderRejected.has(prog)) {
                const why = msg.slice(parsing + ': Parsing of ELF image failed'.length).replace(/^:\s*/, '');
                this.sink.add('loader.bad-executable', seenOf(seg), `${prog}: ${why}`);
            }
            return true;
        }
        return false;
    }
    library(seg) {
        const { text } = seg;
        const at = text.indexOf(': cannot open shared object file');
        if (at >= 0) {
            const lib = lastToken(text.slice(0, at), /[\s"'(]/);
            this.sink.add('loader.missing-library', seenOf(seg), lib || null);
            return true;
        }
        const lower = lowerOf(seg);
        if ((lower.includes('thread-local storage') || lower.includes('tls block')) &&
            /cannot|failed|unable/.test(lower)) {
            this.sink.add('loader.tls-setup-failed', seenOf(seg), null, { once: true });
            return true;
        }
        return this.symbol(seg);
    }
    /**
     * jemalloc's `<jemalloc>: Error in dlsym(RTLD_NEXT, "pthread_create"). Cannot enable
     * background_thread` (a static program has no RTLD_NEXT), an app's `dlsym() "x" failed (...)`, and
     * the dynamic loader's `symbol lookup error: ...: undefined symbol: x`.
     */
    symbol(seg) {
        const { text } = seg;
        const lower = lowerOf(seg);
        if (!lower.includes('dlsym') && !lower.includes('undefined symbol'))
            return false;
        const undefinedSymbol = /undefined symbol: ?([^\s,()'"]{1,200})/.exec(text);
        const dlsym = /\bdlsym\((?:[A-Z_]{1,20}, ?)?"([^"\n]{1,200})"\)/.exec(text) ??
            /\bdlsym\(\) "([^"\n]{1,200})"/.exec(text);
        if (!undefinedSymbol && !(dlsym && /error|fail|cannot|not found/i.test(text)))
            return false;
        const symbol = undefinedSymbol?.[1] ?? dlsym?.[1] ?? null;
        // jemalloc then runs without its background threads: a lost feature, not a failure.
        const optional = /Cannot enable background_thread/i.test(text);
        this.sink.add('loader.symbol-not-found', seenOf(seg), symbol, {
            severity: optional ? 'warning' : undefined,
            data: optional ? { lost: 'background_thread' } : undefined
        });
        return true;
    }
}

// Memory: out of memory (the ELF loader's heap, thread stacks, the buddy allocator's page requests,
// the app's own messages), the ELF loader's single fixed brk heap, and the buddy allocator's harmless
// complaint about a region too small to use. (Unpacking the initrd is the boot family's.)
const PAGE_KIB = 4;
/** `2 GiB` for order 19: a buddy request of order n is 2^n pages. */
function orderSize(order) {
    const kib = 2 ** order * PAGE_KIB;
    if (kib >= 1024 * 1024)
        return `${kib / (1024 * 1024)} GiB`;
    if (kib >= 1024)
        return `${kib / 1024} MiB`;
    return `${kib} KiB`;
}
class MemoryRules {
    sink;
    /** Keys of memory.heap-limit findings: warnings unless memory ran out too. */
    heapLimits = [];
    constructor(sink) {
        this.sink = sink;
    }
    rule(seg) {
        const { text } = seg;
        const lower = lowerOf(seg);
        if (lower.includes('heap')) {
            // app-elfloader brk.c (0.12 and older): one brk heap of CONFIG_APPELFLOADER_BRK_NBPAGES pages.
            if (text.includes('Cannot handle multiple user space heaps'))
                return this.heapLimit(seg, 'a second brk heap');
            if (text.includes('Failed to increase heap'))
                return this.heapLimit(seg, 'brk heap full');
        }
        if (lower.includes('stack') || lower.includes('main thread')) {
            // uksched (0.10 and older): `Failed to allocate thread stack`, then ukboot's UK_CRASH `Could
            // not create main thread`; ukallocstack (0.17 on): `Failed to allocate stack of size...`.
            const stack = /Failed to allocate (?:thread )?stack\b|Failed to create stack VMA/.exec(text) ??
                /Could not create main thread/.exec(text);
            if (stack) {
                const detail = stack[0].startsWith('Could') ? 'main thread' : 'thread stack';
                this.sink.add('memory.out-of-memory', seenOf(seg), detail, { once: true });
                return true;
            }
        }
        if (!lower.includes('memory') && !lower.includes('enomem'))
            return false;
        if (lower.includes('memory region') && /after applying page alignments/.test(text)) {
            // libukallocbbuddy at ERR level on good boots (unikraft#1505, #1553): the region stays unused.
            const region = /Failed to add memory region ([0-9a-fA-Fx]{1,18}-[0-9a-fA-Fx]{1,18})/.exec(text);
            this.sink.add('memory.region-skipped', seenOf(seg), region?.[1] ?? null, { once: true });
            return true;
        }
        const heap = /Could not allocate memory for heap(?: \((\d{1,12} ?[KMG]i?B)\))?/.exec(text);
        if (heap) {
            const detail = heap[1] ? `heap (${heap[1]})` : 'heap';
            this.sink.add('memory.out-of-memory', seenOf(seg), detail, { once: true });
            return true;
        }
        const order = lower.includes('palloc') ? /palloc request of order (\d{1,2})\b/.exec(text) : null;
        if (order) {
            // The buddy allocator hands out 2^order contiguous pages (unikraft#1381: 1 GiB on a 4 GiB guest).
            const n = Number(order[1]);
            this.sink.add('memory.out-of-memory', seenOf(seg), `page allocation of order ${n} (${orderSize(n)})`, {
                once: true,
                data: { order: n }
            });
            return true;
        }
        if (text.includes('failed to reserve page summary memory')) {
            // The Go runtime reserves its heap's address space up front (static-pie-apps#76).
            this.sink.add('memory.out-of-memory', seenOf(seg), 'Go runtime reserving its heap', { once: true });
            return true;
        }
        if (/out of memory|Cannot allocate memory|Could not allocate memory|Not enough memory|\bENOMEM\b/i.test(text)) {
            this.sink.add('memory.out-of-memory', seenOf(seg), null, { once: true });
            return true;
        }
        return false;
    }
    heapLimit(seg, detail) {
        const key = this.sink.add('memory.heap-limit', seenOf(seg), detail);
        if (!this.heapLimits.includes(key))
            this.heapLimits.push(key);
        return true;
    }
    /** The heap limit explains a failure when memory then ran out: an error. */
    finish() {
        if (!this.sink.hasId('memory.out-of-memory'))
            return;
        for (const key of this.heapLimits) {
            const f = this.sink.get(key);
            if (f)
                f.severity = 'error';
        }
    }
}

// Names of the x86_64 Linux system calls (from asm/unistd_64.h), to recognise a call named in an
// application's error message ("sendfile() failed (38: Function not implemented)").
const NAMES = `
_sysctl accept accept4 access acct add_key adjtimex afs_syscall alarm arch_prctl bind bpf brk
capget capset chdir chmod chown chroot clock_adjtime clock_getres clock_gettime clock_nanosleep
clock_settime clone clone3 close close_range connect copy_file_range creat create_module
delete_module dup dup2 dup3 epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait
epoll_pwait2 epoll_wait epoll_wait_old eventfd eventfd2 execve execveat exit exit_group faccessat
faccessat2 fadvise64 fallocate fanotify_init fanotify_mark fchdir fchmod fchmodat fchown fchownat
fcntl fdatasync fgetxattr finit_module flistxattr flock fork fremovexattr fsconfig fsetxattr
fsmount fsopen fspick fstat fstatfs fsync ftruncate futex futex_waitv futimesat get_kernel_syms
get_mempolicy get_robust_list get_thread_area getcpu getcwd getdents getdents64 getegid geteuid
getgid getgroups getitimer getpeername getpgid getpgrp getpid getpmsg getppid getpriority getrandom
getresgid getresuid getrlimit getrusage getsid getsockname getsockopt gettid gettimeofday getuid
getxattr init_module inotify_add_watch inotify_init inotify_init1 inotify_rm_watch io_cancel
io_destroy io_getevents io_pgetevents io_setup io_submit io_uring_enter io_uring_register
io_uring_setup ioctl ioperm iopl ioprio_get ioprio_set kcmp kexec_file_load kexec_load keyctl kill
landlock_add_rule landlock_create_ruleset landlock_restrict_self lchown lgetxattr link linkat
listen listxattr llistxattr lookup_dcookie lremovexattr lseek lsetxattr lstat madvise mbind
membarrier memfd_create memfd_secret migrate_pages mincore mkdir mkdirat mknod mknodat mlock mlock2
mlockall mmap modify_ldt mount mount_setattr move_mount move_pages mprotect mq_getsetattr mq_notify
mq_open mq_timedreceive mq_timedsend mq_unlink mremap msgctl msgget msgrcv msgsnd msync munlock
munlockall munmap name_to_handle_at nanosleep newfstatat nfsservctl open open_by_handle_at
open_tree openat openat2 pause perf_event_open personality pidfd_getfd pidfd_open pidfd_send_signal
pipe pipe2 pivot_root pkey_alloc pkey_free pkey_mprotect poll ppoll prctl pread64 preadv preadv2
prlimit64 process_madvise process_mrelease process_vm_readv process_vm_writev pselect6 ptrace
putpmsg pwrite64 pwritev pwritev2 query_module quotactl quotactl_fd read readahead readlink
readlinkat readv reboot recvfrom recvmmsg recvmsg remap_file_pages removexattr rename renameat
renameat2 request_key restart_syscall rmdir rseq rt_sigaction rt_sigpending rt_sigprocmask
rt_sigqueueinfo rt_sigreturn rt_sigsuspend rt_sigtimedwait rt_tgsigqueueinfo sched_get_priority_max
sched_get_priority_min sched_getaffinity sched_getattr sched_getparam sched_getscheduler
sched_rr_get_interval sched_setaffinity sched_setattr sched_setparam sched_setscheduler sched_yield
seccomp security select semctl semget semop semtimedop sendfile sendmmsg sendmsg sendto
set_mempolicy set_mempolicy_home_node set_robust_list set_thread_area set_tid_address setdomainname
setfsgid setfsuid setgid setgroups sethostname setitimer setns setpgid setpriority setregid
setresgid setresuid setreuid setrlimit setsid setsockopt settimeofday setuid setxattr shmat shmctl
shmdt shmget shutdown sigaltstack signalfd signalfd4 socket socketpair splice stat statfs statx
swapoff swapon symlink symlinkat sync sync_file_range syncfs sysfs sysinfo syslog tee tgkill time
timer_create timer_delete timer_getoverrun timer_gettime timer_settime timerfd_create
timerfd_gettime timerfd_settime times tkill truncate tuxcall umask umount2 uname unlink unlinkat
unshare uselib userfaultfd ustat utime utimensat utimes vfork vhangup vmsplice vserver wait4 waitid
write writev
`;
const LINUX_SYSCALLS = new Set(NAMES.split(/\s+/).filter(Boolean));

// Evidence of unsupported system calls and fork, in the three forms a log can show it:
// the strace build (`name(args) = Function not implemented (-38)`, lib/syscall_shim/uk_prsyscall.c),
// the debug build (`syscall "name" is not available`), and the app's own error messages
// (`sendfile() failed (38: Function not implemented)`), where the call name is recognised from the
// Linux system call table.
/** glibc probes these at every start and copes without them. */
const TOLERATED_SYSCALLS = new Set(['set_robust_list', 'rseq', 'clone3']);
const STRACE_NAME = /^([a-z_][a-z0-9_]{0,39})\(/;
/** A line of the syscall shim's strace output, or null. */
function parseStraceLine(text) {
    const m = STRACE_NAME.exec(text);
    if (!m)
        return null;
    const eq = text.lastIndexOf(') = ');
    if (eq < m[0].length - 1)
        return null;
    const result = text.slice(eq + 4).trim();
    if (result === '')
        return null;
    return { name: m[1], args: text.slice(m[0].length, eq), result };
}
function isEnosysResult(result) {
    return result.startsWith('Function not implemented') || result.endsWith('(-38)');
}
/** clone without CLONE_VM (a fork) refused, or fork/vfork itself failing. */
function isForkRefusal(call) {
    const failed = /\(-\d{1,4}\)$/.test(call.result);
    if (!failed)
        return false;
    if (call.name === 'fork' || call.name === 'vfork')
        return true;
    return call.name === 'clone' && !call.args.includes('CLONE_VM') && call.result.endsWith('(-95)');
}
const DEBUG_UNAVAILABLE = /\b(?:syscall|system call) "([^"\s]{1,64})" is not available/i;
/** `syscall "io_uring_setup" is not available` (debug builds) -> the name. */
function debugUnavailableSyscall(msg) {
    return DEBUG_UNAVAILABLE.exec(msg)?.[1] ?? null;
}
const ENOSYS_TEXT = /Function not implemented|\bENOSYS\b|\berrno[ =:]{0,2}38\b/;
/** An error message carrying ENOSYS in one of its usual spellings. */
function mentionsEnosys(text) {
    return ENOSYS_TEXT.test(text);
}
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]{1,39}/g;
/**
 * System call names an error message mentions as calls: a known name followed by `(`, `:`, ` ->`
 * or ` failed` (`sendfile() failed`, `epoll_pwait2: Function not implemented`).
 */
function syscallNamesIn(text) {
    const names = [];
    IDENTIFIER.lastIndex = 0;
    for (let m = IDENTIFIER.exec(text); m; m = IDENTIFIER.exec(text)) {
        const name = m[0];
        if (!LINUX_SYSCALLS.has(name) || names.includes(name))
            continue;
        const after = text.slice(m.index + name.length, m.index + name.length + 8);
        if (/^(?:\(|:|\s?->|\s+failed)/.test(after))
            names.push(name);
    }
    return names;
}
const FORK_WORD = /\bv?fork\b/i;
const REFUSED = /not supported|not implemented|\bENOSYS\b|\bEOPNOTSUPP\b/i;
/** An app's message that fork failed because the kernel refused it. */
function mentionsForkRefused(text) {
    return FORK_WORD.test(text) && REFUSED.test(text);
}

// System calls the kernel lacks (strace and debug builds' lines, the app's own ENOSYS messages),
// fork, and resource limits. glibc's start-up probes are gathered apart: they are harmless.
class ProcessRules {
    sink;
    syscalls = new Map();
    tolerated = new Map();
    appEnosys = null;
    constructor(sink) {
        this.sink = sink;
    }
    straceCall(seg, call) {
        if (isForkRefusal(call))
            this.sink.add('process.fork-unsupported', seenOf(seg), null, { once: true });
        else if (isEnosysResult(call.result))
            this.noteSyscall(call.name, seg);
    }
    noteSyscall(name, seg) {
        const into = TOLERATED_SYSCALLS.has(name) ? this.tolerated : this.syscalls;
        if (!into.has(name))
            into.set(name, seenOf(seg));
    }
    rule(seg) {
        const { msg, text } = seg;
        const lower = lowerOf(seg);
        if (msg.includes('without CLONE_VM') ||
            (seg.level !== 'Info' && lower.includes('fork') && mentionsForkRefused(text))) {
            this.sink.add('process.fork-unsupported', seenOf(seg), null, { once: true });
            return true;
        }
        const debug = lower.includes('is not available') ? debugUnavailableSyscall(msg) : null;
        if (debug) {
            this.noteSyscall(debug, seg);
            return true;
        }
        if ((lower.includes('not implemented') || lower.includes('enosys') || lower.includes('errno')) &&
            mentionsEnosys(text)) {
            const names = syscallNamesIn(text);
            for (const name of names)
                this.noteSyscall(name, seg);
            // The app itself reported the failure (not only the kernel's trace): that makes it an error.
            const reported = names.length === 0 || names.some(n => !TOLERATED_SYSCALLS.has(n));
            if (seg.level === null && reported)
                this.appEnosys ??= seenOf(seg);
            // A kernel line naming no call is left to the catch-all for unrecognised ERR/CRIT lines.
            return seg.level === null || names.length > 0;
        }
        if (!msg.includes('resource'))
            return false;
        const ignored = /Ignore updating resource (\d{1,3})/.exec(msg);
        if (ignored) {
            this.sink.add('process.rlimit-ignored', seenOf(seg), `resource ${ignored[1]}`);
            return true;
        }
        const unsupported = /Unsupported resource (\d{1,3})/.exec(msg);
        if (unsupported) {
            this.sink.add('process.rlimit-unsupported', seenOf(seg), `resource ${unsupported[1]}`);
            return true;
        }
        return false;
    }
    finish() {
        if (this.tolerated.size > 0) {
            const names = [...this.tolerated.keys()];
            this.sink.add('syscall.tolerated', this.tolerated.values().next().value ?? null, names.join(', '), {
                once: true,
                data: { syscalls: names }
            });
        }
        if (this.syscalls.size === 0 && !this.appEnosys)
            return;
        const names = [...this.syscalls.keys()];
        const first = this.syscalls.values().next().value ?? this.appEnosys;
        this.sink.add('syscall.unsupported', first ?? null, names.length > 0 ? names.join(', ') : null, {
            once: true,
            severity: this.appEnosys ? 'error' : 'warning',
            data: { syscalls: names, reportedByApp: this.appEnosys !== null }
        });
    }
}

/** Unrecognised ERR/CRIT lines reported at most. */
const MAX_UNKNOWN_ERRORS = 10;
class ConsoleRules {
    sink = new FindingSink();
    outputSeen = false;
    kernelProblem = null;
    unknownErrors = 0;
    banner = new BannerRules(this.sink);
    boot = new BootRules(this.sink, () => this.banner.info);
    crash = new CrashRules(this.sink, key => this.retractKernelError(key));
    loader = new LoaderRules(this.sink);
    process = new ProcessRules(this.sink);
    memory = new MemoryRules(this.sink);
    app = new AppRules(this.sink);
    rules = [
        s => this.banner.rule(s),
        s => this.crash.rule(s),
        s => this.boot.rule(s),
        s => this.loader.rule(s),
        s => this.process.rule(s),
        s => this.memory.rule(s),
        s => this.hostRule(s),
        s => this.app.exitRule(s),
        s => this.app.appRule(s)
    ];
    /**
     * One raw console line (escape sequences and CR still in, no `\n`). `matched`: it holds one of
     * CONSOLE_KEYWORDS; lines without one only serve as context (first output, banner art).
     */
    line(lineNo, raw, matched = true) {
        if (!matched && this.outputSeen && this.banner.pending > 0 && !raw.includes('\x1b')) {
            // A line of the banner's art, or its version line: the common case needs no normalizing.
            this.segment(lineNo, raw.endsWith('\r') ? raw.slice(0, -1) : raw, false);
            return;
        }
        for (const text of normalizeLine(raw))
            this.segment(lineNo, text, matched);
    }
    /** Context the rules need beyond keyword lines: the first output, the banner's art. */
    wantsAllLines() {
        return !this.outputSeen || this.banner.pending > 0;
    }
    finish() {
        this.sink.begin(null);
        this.banner.finish(this.boot.initFailed);
        this.crash.finish();
        this.process.finish();
        this.memory.finish();
        this.app.finish();
        return {
            findings: this.sink.all(),
            outputSeen: this.outputSeen,
            kernelProblem: this.kernelProblem,
            version: this.banner.version
        };
    }
    segment(line, text, matched) {
        this.sink.begin(null);
        if (!this.outputSeen && !isFirmwareLine(text) && classifyQemuMessage(text) === null)
            this.outputSeen = true;
        if (this.banner.pending > 0 && this.banner.versionLine(line, text))
            return;
        if (!matched)
            return;
        const k = parseKernelLine(text);
        const seg = { line, text, level: k.level, lib: k.lib, msg: k.msg };
        this.sink.begin(seg.level);
        if (k.level === null) {
            const call = parseStraceLine(text);
            // `exit_group(3) = ?` has the shape of a traced call, but it is the program's exit status.
            if (call && call.name !== 'exit_group') {
                this.process.straceCall(seg, call);
                return;
            }
        }
        for (const rule of this.rules)
            if (rule(seg))
                return;
        if (seg.level === 'ERR' || seg.level === 'CRIT')
            this.unknownKernelError(seg);
    }
    /** QEMU's own messages, when they reach the console. */
    hostRule(seg) {
        const q = classifyQemuMessage(seg.text);
        if (!q)
            return false;
        if (q.kind === 'kernel-invalid')
            this.kernelProblem ??= q.detail;
        else if (q.kind !== 'ignore')
            this.sink.add(q.kind, seenOf(seg), q.detail, { once: true });
        return true;
    }
    unknownKernelError(seg) {
        if (this.unknownErrors >= MAX_UNKNOWN_ERRORS)
            return;
        const detail = clip(`${seg.lib ? `[${seg.lib}] ` : ''}${seg.msg.trim()}`, 160);
        const before = this.sink.size;
        this.sink.add('kernel.error', seenOf(seg), detail);
        if (this.sink.size > before)
            this.unknownErrors++;
    }
    retractKernelError(key) {
        if (this.sink.remove(key))
            this.unknownErrors--;
    }
}

// The keyword automaton: Aho-Corasick over bytes, case-insensitive, as one flat Uint16 table so the
// scanner's inner loop is a single lookup per byte (src/engine/diagnose/keyword-scanner.ts).
/** Table values at or above this mean "a keyword ends here": the next state is `value - ACCEPT`. */
const ACCEPT = 0x4000;
/** Table value for a control byte (newline, ESC, CR, NUL...), from every state. */
const CONTROL = 0x8000;
const MAX_STATES = ACCEPT;
/**
 * Aho-Corasick DFA over bytes, one Uint16 per (state, byte): the next state, plus ACCEPT when a
 * keyword ends there, or CONTROL for control bytes. The scanner's hot loop is one load and one
 * comparison per byte.
 */
class KeywordAutomaton {
    table;
    states;
    /**
     * The same automaton for the four-lane scan (src/engine/diagnose/keyword-lanes.ts), with "a
     * keyword was seen on this line" folded into the state so the hot step has one comparison: state
     * `s + states` is state `s` after a keyword; the values are next states, or CONTROL for control
     * bytes, plus the state they were met in (`CONTROL | state`, so the scan need not keep it). Row
     * `2 * states` is the escape row (every byte a control): the lane is inside an escape sequence.
     */
    laneTable;
    constructor(keywords) {
        const children = [new Map()];
        const terminal = [false];
        for (const keyword of keywords) {
            const bytes = Buffer.from(keyword.toLowerCase(), 'utf8');
            if (bytes.length === 0)
                throw new Error('empty keyword');
            let state = 0;
            for (const b of bytes) {
                if (b < 0x20 || b === 0x7f)
                    throw new Error(`keyword with a control byte: ${JSON.stringify(keyword)}`);
                let child = children[state].get(b);
                if (child === undefined) {
                    child = children.length;
                    children.push(new Map());
                    terminal.push(false);
                    children[state].set(b, child);
                }
                state = child;
            }
            terminal[state] = true;
        }
        const count = children.length;
        if (count >= MAX_STATES)
            throw new Error(`too many keyword states: ${count}`);
        const next = new Int32Array(count * 256);
        const fail = new Int32Array(count);
        const accept = new Uint8Array(count);
        // Breadth-first: a state's failure link is complete before its children need it.
        const queue = [];
        for (let b = 0; b < 256; b++) {
            const child = children[0].get(b);
            if (child !== undefined) {
                next[b] = child;
                queue.push(child);
            }
        }
        accept[0] = 0;
        for (let head = 0; head < queue.length; head++) {
            const state = queue[head];
            accept[state] = terminal[state] || accept[fail[state]] === 1 ? 1 : 0;
            for (let b = 0; b < 256; b++) {
                const child = children[state].get(b);
                if (child !== undefined) {
                    fail[child] = next[fail[state] * 256 + b];
                    next[state * 256 + b] = child;
                    queue.push(child);
                }
                else {
                    next[state * 256 + b] = next[fail[state] * 256 + b];
                }
            }
        }
        const table = new Uint16Array(count * 256);
        for (let state = 0; state < count; state++) {
            for (let b = 0; b < 256; b++) {
                // Case-insensitive: an upper-case ASCII letter moves like its lower-case twin.
                const target = next[state * 256 + (b >= 0x41 && b <= 0x5a ? b + 0x20 : b)];
                table[state * 256 + b] =
                    b < 0x20 || b === 0x7f ? CONTROL : accept[target] === 1 ? target + ACCEPT : target;
            }
        }
        // Lane states go up to the escape row, 2 * count < 2 * MAX_STATES = CONTROL: they fit below it.
        const laneTable = new Uint16Array((2 * count + 1) * 256).fill(CONTROL | (2 * count));
        for (let state = 0; state < 2 * count; state++) {
            const base = (state % count) * 256;
            for (let b = 0; b < 256; b++) {
                const v = table[base + b];
                laneTable[state * 256 + b] =
                    v >= CONTROL ? CONTROL | state : v >= ACCEPT ? v - ACCEPT + count : state >= count ? v + count : v;
            }
        }
        this.table = table;
        this.states = count;
        this.laneTable = laneTable;
    }
}

// Four-lane scanning of a chunk's whole lines, and the escape-sequence recognizer shared with the
// one-lane scan. Four independent chains of table lookups run interleaved: a single chain waits on
// memory for every byte, four keep the CPU busy. The lanes move in lockstep on one index (an
// escape sequence is walked through byte by byte, not jumped over), and whether the line holds a
// keyword is part of the state (KeywordAutomaton.laneTable): the common step is one lookup per
// lane and one comparison for all four, with few live variables (a quarter faster than four
// separate indices with a keyword flag each, on the bench's log).
/** A control byte's table value is CONTROL | the state before it. */
const STATE_MASK = CONTROL - 1;
const ESC_NONE = 0;
const ESC_START = 1;
const ESC_CSI = 2;
const ESC_OSC = 3;
const ESC_INTERMEDIATE = 4;
/** Chunks smaller than this are scanned in one lane. */
const LANES_MIN_BYTES = 16 * 1024;
/** One step of the escape-sequence recognizer: the state after byte `b`. */
function escapeStep(esc, b) {
    if (b === 0x1b)
        return ESC_START;
    if (esc === ESC_START) {
        if (b === 0x5b)
            return ESC_CSI;
        if (b === 0x5d)
            return ESC_OSC;
        if (b >= 0x20 && b < 0x30)
            return ESC_INTERMEDIATE;
        return ESC_NONE;
    }
    if (esc === ESC_CSI)
        return b >= 0x40 && b <= 0x7e ? ESC_NONE : ESC_CSI;
    if (esc === ESC_OSC)
        return b === 0x07 ? ESC_NONE : ESC_OSC;
    return b >= 0x30 && b <= 0x7e ? ESC_NONE : ESC_INTERMEDIATE;
}
/**
 * A lane met ESC: remember its automaton state (the sequence's bytes do not move the automaton)
 * and park it on the escape row, whose every byte takes the slow path. `esc` holds, per lane, the
 * recognizer's state and the automaton state to return to.
 */
function escapeStart(esc, lane, state, escRow) {
    esc[2 * lane] = ESC_START;
    esc[2 * lane + 1] = state;
    return escRow;
}
/** One byte (not a newline) inside an escape sequence: the escape row, or the state to go on with. */
function escapeByte(esc, lane, b, escRow) {
    const next = escapeStep(esc[2 * lane], b);
    esc[2 * lane] = next;
    return next === ESC_NONE ? esc[2 * lane + 1] : escRow;
}
/**
 * Scans four ranges of whole lines, `bounds` = [start, b1, b2, b3, end], interleaved, with the
 * automaton's `laneTable` (states from `seen` on: a keyword was seen on the line; row `escRow`:
 * inside an escape sequence). Lane 0 goes on with `state0` (the state of the line carried from the
 * previous chunk, in laneTable's numbering); the others start at line starts. Every lane ends just
 * after a newline, so no escape sequence or line crosses a lane boundary.
 */
function scanLanes(table, seen, chunk, bounds, state0) {
    const escRow = 2 * seen;
    const esc = new Int32Array(8);
    const h0 = [];
    const h1 = [];
    const h2 = [];
    const h3 = [];
    const o1 = bounds[1] - bounds[0];
    const o2 = bounds[2] - bounds[0];
    const o3 = bounds[3] - bounds[0];
    // Lockstep as long as every lane has bytes left; each lane's rest is scanned alone after.
    const steps = Math.min(bounds[1] - bounds[0], bounds[2] - bounds[1], bounds[3] - bounds[2], bounds[4] - bounds[3]);
    // v0..v3: each lane's state (below CONTROL between steps).
    let v0 = state0;
    let v1 = 0;
    let v2 = 0;
    let v3 = 0;
    let n0 = 0;
    let n1 = 0;
    let n2 = 0;
    let n3 = 0;
    const end = bounds[0] + steps;
    for (let k = bounds[0]; k < end; k++) {
        v0 = table[(v0 << 8) | chunk[k]];
        v1 = table[(v1 << 8) | chunk[k + o1]];
        v2 = table[(v2 << 8) | chunk[k + o2]];
        v3 = table[(v3 << 8) | chunk[k + o3]];
        // The common step: no lane met a control byte (CONTROL is the top bit).
        if ((v0 | v1 | v2 | v3) < CONTROL)
            continue;
        if (v0 >= CONTROL) {
            // Control byte: the table gave the state before it (CONTROL | state).
            let s0 = v0 & STATE_MASK;
            const b = chunk[k];
            if (s0 === escRow && b !== 0x0a)
                s0 = escapeByte(esc, 0, b, escRow);
            else {
                if (s0 === escRow)
                    s0 = esc[1]; // a newline cuts the sequence
                if (b === 0x0a) {
                    if (s0 >= seen)
                        h0.push(k, n0);
                    n0++;
                    s0 = 0;
                }
                else if (b === 0x1b)
                    s0 = escapeStart(esc, 0, s0, escRow);
                else if (b === 0x0d)
                    s0 = s0 >= seen ? seen : 0;
            }
            v0 = s0;
        }
        if (v1 >= CONTROL) {
            // Control byte: the table gave the state before it (CONTROL | state).
            let s1 = v1 & STATE_MASK;
            const b = chunk[k + o1];
            if (s1 === escRow && b !== 0x0a)
                s1 = escapeByte(esc, 1, b, escRow);
            else {
                if (s1 === escRow)
                    s1 = esc[3]; // a newline cuts the sequence
                if (b === 0x0a) {
                    if (s1 >= seen)
                        h1.push(k + o1, n1);
                    n1++;
                    s1 = 0;
                }
                else if (b === 0x1b)
                    s1 = escapeStart(esc, 1, s1, escRow);
                else if (b === 0x0d)
                    s1 = s1 >= seen ? seen : 0;
            }
            v1 = s1;
        }
        if (v2 >= CONTROL) {
            // Control byte: the table gave the state before it (CONTROL | state).
            let s2 = v2 & STATE_MASK;
            const b = chunk[k + o2];
            if (s2 === escRow && b !== 0x0a)
                s2 = escapeByte(esc, 2, b, escRow);
            else {
                if (s2 === escRow)
                    s2 = esc[5]; // a newline cuts the sequence
                if (b === 0x0a) {
                    if (s2 >= seen)
                        h2.push(k + o2, n2);
                    n2++;
                    s2 = 0;
                }
                else if (b === 0x1b)
                    s2 = escapeStart(esc, 2, s2, escRow);
                else if (b === 0x0d)
                    s2 = s2 >= seen ? seen : 0;
            }
            v2 = s2;
        }
        if (v3 >= CONTROL) {
            // Control byte: the table gave the state before it (CONTROL | state).
            let s3 = v3 & STATE_MASK;
            const b = chunk[k + o3];
            if (s3 === escRow && b !== 0x0a)
                s3 = escapeByte(esc, 3, b, escRow);
            else {
                if (s3 === escRow)
                    s3 = esc[7]; // a newline cuts the sequence
                if (b === 0x0a) {
                    if (s3 >= seen)
                        h3.push(k + o3, n3);
                    n3++;
                    s3 = 0;
                }
                else if (b === 0x1b)
                    s3 = escapeStart(esc, 3, s3, escRow);
                else if (b === 0x0d)
                    s3 = s3 >= seen ? seen : 0;
            }
            v3 = s3;
        }
    }
    n0 = laneTail(table, seen, chunk, end, bounds[1], v0, esc, 0, n0, h0);
    n1 = laneTail(table, seen, chunk, end + o1, bounds[2], v1, esc, 1, n1, h1);
    n2 = laneTail(table, seen, chunk, end + o2, bounds[3], v2, esc, 2, n2, h2);
    n3 = laneTail(table, seen, chunk, end + o3, bounds[4], v3, esc, 3, n3, h3);
    const hits = h0;
    for (let j = 0; j < h1.length; j += 2)
        hits.push(h1[j], n0 + h1[j + 1]);
    for (let j = 0; j < h2.length; j += 2)
        hits.push(h2[j], n0 + n1 + h2[j + 1]);
    for (let j = 0; j < h3.length; j += 2)
        hits.push(h3[j], n0 + n1 + n2 + h3[j + 1]);
    return { hits, newlines: n0 + n1 + n2 + n3 };
}
/** The rest of one lane after the lockstep part; returns the lane's newline count. */
function laneTail(table, seen, chunk, from, to, state, esc, lane, newlines, hits) {
    const escRow = 2 * seen;
    let s = state;
    let n = newlines;
    for (let k = from; k < to; k++) {
        const v = table[(s << 8) | chunk[k]];
        if (v < CONTROL)
            s = v;
        else {
            s = v & STATE_MASK;
            const b = chunk[k];
            if (s === escRow && b !== 0x0a)
                s = escapeByte(esc, lane, b, escRow);
            else {
                if (s === escRow)
                    s = esc[2 * lane + 1];
                if (b === 0x0a) {
                    if (s >= seen)
                        hits.push(k, n);
                    n++;
                    s = 0;
                }
                else if (b === 0x1b)
                    s = escapeStart(esc, lane, s, escRow);
                else if (b === 0x0d)
                    s = s >= seen ? seen : 0;
            }
        }
    }
    return n;
}

// The fast path of diagnosis: one pass over the raw console bytes with an Aho-Corasick automaton of
// the rules' keywords (case-insensitive), so only lines that can matter are decoded and given to
// the rules. Linear by construction (one table step per byte, no backtracking); escape sequences
// are skipped without disturbing the automaton, so a colour code cannot hide a keyword; memory is
// bounded by the longest kept line (MAX_CARRY_BYTES).
/** A raw line longer than this is handed over in pieces (same line number) to bound memory. */
const MAX_CARRY_BYTES = 1024 * 1024;
/** Pieces of a long line overlap by this much, so a keyword cut at a piece boundary is still whole. */
const PIECE_OVERLAP = 512;
/** Longest text handed to the sink at once. */
const MAX_PIECE_CHARS = 64 * 1024;
/**
 * Splits a byte stream into lines, runs the automaton, and hands the sink every line with a
 * keyword, plus every line while `deliverAll` is true (the sink sets it when it needs context,
 * e.g. the lines after `Powered by`).
 */
class KeywordLineScanner {
    automaton;
    sink;
    /** Deliver every line, keyword or not. */
    deliverAll = true;
    state = 0;
    esc = ESC_NONE;
    candidate = false;
    lineNo = 1;
    carry = [];
    carryBytes = 0;
    constructor(automaton, sink) {
        this.automaton = automaton;
        this.sink = sink;
    }
    /** Feeds the next chunk of raw console bytes. */
    push(bytes) {
        // A Buffer view (no copy) decodes lines without a Buffer object per line.
        const chunk = Buffer.isBuffer(bytes)
            ? bytes
            : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const len = chunk.length;
        let at = 0;
        // Lines wanted whole (context) or in an escape sequence go one at a time through the one-lane
        // scan; the lanes take the rest of the chunk as soon as they can.
        while (at < len && (this.deliverAll || this.esc !== ESC_NONE)) {
            const nl = chunk.indexOf(0x0a, at);
            const to = nl < 0 ? len : nl + 1;
            this.pushSequential(chunk, at, to);
            at = to;
        }
        if (at < len && !this.pushLanes(chunk, at))
            this.pushSequential(chunk, at, len);
    }
    /** Scans `chunk[from, to)`; `to` is the chunk's end or just after a newline. */
    pushSequential(chunk, from, to) {
        const table = this.automaton.table;
        let state = this.state;
        let candidate = this.candidate;
        let lineStart = from;
        const len = to;
        let i = this.esc === ESC_NONE ? from : this.skipEscape(chunk, from);
        for (; i < len; i++) {
            const v = table[(state << 8) | chunk[i]];
            if (v < ACCEPT) {
                state = v;
                continue;
            }
            if (v < CONTROL) {
                state = v - ACCEPT;
                candidate = true;
                continue;
            }
            const b = chunk[i];
            if (b === 0x0a) {
                if (candidate || this.deliverAll)
                    this.deliver(chunk, lineStart, i, candidate);
                else if (this.carryBytes > 0)
                    this.dropCarry();
                this.lineNo++;
                lineStart = i + 1;
                state = 0;
                candidate = false;
            }
            else if (b === 0x1b) {
                // Skip the whole sequence without feeding the automaton: colour codes hide no keyword.
                this.esc = ESC_START;
                i = this.skipEscape(chunk, i + 1) - 1;
            }
            else if (b === 0x0d) {
                state = 0; // a lone CR ends what is on screen: no keyword spans it
            }
            // NUL and the other control bytes are transparent.
        }
        this.state = state;
        this.candidate = candidate;
        if (lineStart < len)
            this.keep(chunk.subarray(lineStart, len));
    }
    /**
     * The same scan on four stretches of whole lines at once: four independent chains of table
     * lookups keep the CPU busy where one chain waits on memory (about twice as fast). Lines are then
     * handed over in order, so the sink sees exactly what the sequential scan would give it. Returns
     * false when the chunk does not lend itself (small, too few newlines, every line wanted).
     */
    pushLanes(chunk, from) {
        const len = chunk.length;
        if (this.deliverAll || this.esc !== ESC_NONE || len - from < LANES_MIN_BYTES)
            return false;
        const last = chunk.lastIndexOf(0x0a) + 1;
        const quarter = (last - from) >> 2;
        const b1 = chunk.indexOf(0x0a, from + quarter) + 1;
        const b2 = chunk.indexOf(0x0a, from + 2 * quarter) + 1;
        const b3 = chunk.indexOf(0x0a, from + 3 * quarter) + 1;
        if (!(from < b1 && b1 < b2 && b2 < b3 && b3 < last))
            return false;
        const { laneTable, states } = this.automaton;
        const state0 = this.candidate ? this.state + states : this.state;
        const lanes = scanLanes(laneTable, states, chunk, [from, b1, b2, b3, last], state0);
        // Hand the lines over in order; `deliverAll` may turn on after any of them (context wanted).
        const firstNewline = chunk.indexOf(0x0a, from);
        const hits = lanes.hits;
        if (hits.length === 0 || hits[0] !== firstNewline)
            this.dropCarry();
        const firstLine = this.lineNo;
        for (let h = 0; h < hits.length; h += 2) {
            let pos = hits[h];
            let line = firstLine + hits[h + 1];
            this.lineNo = line;
            this.deliver(chunk, pos === firstNewline ? from : chunk.lastIndexOf(0x0a, pos - 1) + 1, pos, true);
            while (this.deliverAll) {
                const next = chunk.indexOf(0x0a, pos + 1);
                if (next < 0 || next >= last || (h + 2 < hits.length && hits[h + 2] === next))
                    break;
                this.lineNo = ++line;
                this.deliver(chunk, pos + 1, next, false);
                pos = next;
            }
        }
        this.lineNo = firstLine + lanes.newlines;
        this.state = 0;
        this.candidate = false;
        // The partial line after the last newline goes through the sequential scan (and is kept).
        this.pushSequential(chunk, last, len);
        return true;
    }
    /** Consumes escape-sequence bytes from `at`; returns the index of the first byte after it. */
    skipEscape(chunk, at) {
        let esc = this.esc;
        let i = at;
        for (; i < chunk.length && esc !== ESC_NONE; i++) {
            if (chunk[i] === 0x0a)
                break; // an escape sequence never spans lines: the newline is the caller's
            esc = escapeStep(esc, chunk[i]);
        }
        if (i < chunk.length && chunk[i] === 0x0a)
            esc = ESC_NONE;
        this.esc = esc;
        return i;
    }
    /** The input ended: a last line without `\n` still counts. */
    end() {
        if (this.carryBytes > 0 && (this.candidate || this.deliverAll))
            this.deliverText(this.takeCarry(), this.candidate);
        this.dropCarry();
        this.candidate = false;
    }
    keep(part) {
        this.carry.push(Buffer.from(part));
        this.carryBytes += part.length;
        if (this.carryBytes <= MAX_CARRY_BYTES)
            return;
        // A runaway line: hand over what we have (if it matters) and keep only the overlap.
        const all = Buffer.concat(this.carry, this.carryBytes);
        if (this.candidate || this.deliverAll)
            this.deliverText(all.toString('utf8'), this.candidate);
        const tail = Buffer.from(all.subarray(all.length - PIECE_OVERLAP));
        this.carry = [tail];
        this.carryBytes = tail.length;
        this.candidate = false;
    }
    dropCarry() {
        if (this.carryBytes === 0)
            return;
        this.carry = [];
        this.carryBytes = 0;
    }
    takeCarry() {
        return Buffer.concat(this.carry, this.carryBytes).toString('utf8');
    }
    deliver(chunk, start, end, matched) {
        let text;
        if (this.carryBytes > 0) {
            this.carry.push(Buffer.from(chunk.subarray(start, end)));
            this.carryBytes += end - start;
            text = this.takeCarry();
            this.dropCarry();
        }
        else {
            text = chunk.toString('utf8', start, end);
        }
        this.deliverText(text, matched);
    }
    deliverText(text, matched) {
        if (text.length <= MAX_PIECE_CHARS) {
            this.sink.line(this.lineNo, text, matched);
            return;
        }
        for (let at = 0; at < text.length; at += MAX_PIECE_CHARS - PIECE_OVERLAP) {
            this.sink.line(this.lineNo, text.slice(at, at + MAX_PIECE_CHARS), matched);
            if (at + MAX_PIECE_CHARS >= text.length)
                break;
        }
    }
}

// Findings from everything else the run knows: QEMU's stderr and exit status, the QMP events, how
// the VM ended, preflight's findings and the probes. Then one list: duplicates merged (the console's
// evidence wins), errors first, in log order.
/** isa-debug-exit: Unikraft writes 42 on a crash, QEMU exits (42 << 1) | 1. */
const DEBUG_EXIT_CRASH = 85;
const DEBUG_EXIT_HALT = 83;
function finding(id, evidence, detail, source, extra = {}) {
    const f = {
        id,
        severity: extra.severity ?? FINDINGS[id].severity,
        line: extra.line ?? null,
        evidence,
        detail,
        hint: hintFor(id, detail),
        source
    };
    if (extra.data)
        f.data = extra.data;
    return f;
}
function runFindings(summary, ctx) {
    const out = [];
    const has = (prefix) => [...summary.findings, ...out].some(f => f.id.startsWith(prefix));
    let kernelProblem = summary.kernelProblem;
    const qemuFailed = typeof ctx.qemuExit === 'number' && ![0, DEBUG_EXIT_HALT, DEBUG_EXIT_CRASH].includes(ctx.qemuExit);
    let qemuError = null;
    const stderr = (ctx.qemuStderr ?? '').split('\n');
    for (let i = 0; i < stderr.length; i++) {
        const text = stderr[i].replace(/\r$/, '').trim();
        const q = text ? classifyQemuMessage(text) : null;
        if (!q || q.kind === 'ignore')
            continue;
        const data = { stream: 'qemu-stderr', stderrLine: i + 1 };
        if (q.kind === 'kernel-invalid')
            kernelProblem ??= q.detail;
        else if (q.kind === 'vmm.qemu-error')
            qemuError ??= { text, detail: q.detail, n: i + 1 };
        else if (!has(q.kind))
            out.push(finding(q.kind, text, q.detail, 'qemu', { data }));
    }
    if (ctx.vmEnd === 'stopped' && !has('vmm.kvm-unusable')) {
        out.push(finding('vmm.kvm-unusable', 'QMP STOP: QEMU paused the guest', 'the guest was paused (QMP STOP)', 'qemu'));
    }
    const failedToStart = qemuFailed || ctx.vmEnd === 'qemu-error';
    if (failedToStart && !has('vmm.') && !kernelProblem) {
        const e = qemuError;
        const detail = e?.detail ?? `QEMU exited with status ${ctx.qemuExit ?? '?'}`;
        out.push(finding('vmm.qemu-error', e?.text ?? detail, detail, 'qemu', {
            data: e ? { stream: 'qemu-stderr', stderrLine: e.n } : undefined
        }));
    }
    if (!has('crash.')) {
        const panicked = (ctx.qmpEvents ?? []).some(e => e.event === 'GUEST_PANICKED');
        if (panicked)
            out.push(finding('crash.other', 'QMP GUEST_PANICKED', 'the guest reported a panic', 'qemu'));
        else if (ctx.qemuExit === DEBUG_EXIT_CRASH)
            out.push(finding('crash.other', `QEMU exited with status ${DEBUG_EXIT_CRASH} (isa-debug-exit: the guest crashed)`, 'crash signalled by the guest, no crash report in the console', 'qemu'));
    }
    if (!summary.outputSeen && !has('vmm.')) {
        const why = ctx.vmEnd === 'boot-timeout' ? ' within the boot timeout' : '';
        const evidence = kernelProblem ??
            `no console output from the ${ctx.guest === 'linux' ? 'Linux' : 'Unikraft'} kernel${why}`;
        out.push(finding('boot.no-output', evidence, kernelProblem, kernelProblem ? 'qemu' : 'console'));
    }
    for (const p of ctx.probes ?? []) {
        if (p.passed || p.inconclusive)
            continue;
        // The probe as the user writes it (`http:80/`), whether the target came with its kind or not.
        const detail = p.target.startsWith(`${p.kind}:`) ? p.target : `${p.kind}:${p.target}`;
        out.push(finding('probe.failed', p.evidence ?? `${detail} did not pass`, detail, 'probe'));
    }
    return out;
}
const SEVERITY_ORDER = { error: 0, warning: 1, note: 2 };
/** One list: console first (its evidence wins over preflight's for the same id and detail), sorted. */
function mergeFindings(...lists) {
    const seen = new Set();
    const merged = [];
    for (const list of lists) {
        for (const f of list) {
            const key = `${f.id}\u0000${f.detail ?? ''}`;
            if (seen.has(key))
                continue;
            seen.add(key);
            merged.push(f);
        }
    }
    return merged
        .map((f, i) => ({ f, i }))
        .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] ||
        (a.f.line ?? Infinity) - (b.f.line ?? Infinity) ||
        a.i - b.i)
        .map(x => x.f);
}

// Diagnosis entry points: the whole run at once (`diagnose`), or the console streamed in chunks
// (`ConsoleDiagnoser`, `diagnoseStream`, `diagnoseFile`) for logs too large to hold; both give the
// same findings.
/** Bytes handed to the scanner at once: bounds the copy of a partial line at a slice boundary. */
const SLICE_BYTES = 1024 * 1024;
let automaton = null;
/** Streaming diagnosis of a console log: `push` chunks in order, then `end` once. */
class ConsoleDiagnoser {
    rules = new ConsoleRules();
    scanner;
    ended = false;
    constructor() {
        automaton ??= new KeywordAutomaton(CONSOLE_KEYWORDS);
        const rules = this.rules;
        const scanner = new KeywordLineScanner(automaton, {
            line(lineNo, text, matched) {
                rules.line(lineNo, text, matched);
                scanner.deliverAll = rules.wantsAllLines();
            }
        });
        this.scanner = scanner;
    }
    push(chunk) {
        if (this.ended)
            throw new Error('ConsoleDiagnoser: push after end');
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        for (let at = 0; at < bytes.length; at += SLICE_BYTES)
            this.scanner.push(bytes.subarray(at, at + SLICE_BYTES));
    }
    /** The findings of the console and of everything else the run knows (`context`). */
    end(context = {}) {
        if (this.ended)
            throw new Error('ConsoleDiagnoser: end called twice');
        this.ended = true;
        this.scanner.end();
        const summary = this.rules.finish();
        return mergeFindings(summary.findings, runFindings(summary, context), context.preflight ?? []);
    }
}
/** Diagnoses a run: the console log plus QEMU's stderr, exit status, QMP events, preflight, probes. */
function diagnose(input) {
    const { console: consoleLog, ...context } = input;
    const d = new ConsoleDiagnoser();
    d.push(consoleLog);
    return d.end(context);
}
/** Diagnoses a console that arrives as a stream of chunks (a file stream, a socket). */
async function diagnoseStream(source, context = {}) {
    const d = new ConsoleDiagnoser();
    for await (const chunk of source)
        d.push(chunk);
    return d.end(context);
}
/** Diagnoses a console log file without reading it into memory. */
function diagnoseFile(path, context = {}) {
    return diagnoseStream(createReadStream(path, { highWaterMark: SLICE_BYTES }), context);
}

export { LINUX_SYSCALLS as L, TOLERATED_SYSCALLS as T, diagnose as a, errnoName as b, diagnoseFile as d, errnoCode as e, hintFor as h };
