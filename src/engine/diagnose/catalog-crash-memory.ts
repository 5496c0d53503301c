// Findings of crashes (traps, page faults, assertions, crash screens) and of memory: out of memory,
// the ELF loader's heap, the allocators' harmless complaints.
import { about, type CatalogEntry } from './catalog-entry.js'

export const CRASH_MEMORY_FINDINGS = {
  'crash.page-fault': {
    severity: 'error',
    meaning:
      'The guest crashed on a page fault (an access to an unmapped address); data has the access, address and reason.',
    example: 'CRIT: [libukvmem] ... Cannot handle write page fault at 0x0 (ec: 0x2): Bad address (14).',
    hint: d =>
      `A page fault (${about(d, 'unmapped address')}) stopped the guest: at 0x0 it is a NULL pointer, ` +
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
      const name = (d ?? '').toLowerCase()
      const why = name.includes('invalid opcode')
        ? 'usually the code uses an instruction the virtual CPU lacks (use `-cpu max` or KVM, or build for x86-64-v1). '
        : name.includes('general protection')
          ? 'usually a bad pointer or a privileged instruction. '
          : name.includes('divide')
            ? 'a division by zero. '
            : 'see the register dump. '
      return `The CPU raised ${d ? `"${d}"` : 'a trap'}: ${why}Resolve RIP with \`addr2line -e <image>.dbg <RIP>\`.`
    }
  },
  'crash.assertion': {
    severity: 'error',
    meaning: 'An assertion failed; detail is the asserted expression.',
    example: 'CRIT: [appvariant] <main.c @    7> Assertion failure: argc == 42',
    hint: d =>
      `The assertion${d ? ` \`${d}\`` : ''} names the broken assumption; check the configuration and ` +
      'arguments that lead there, or report it to the library named in the line.'
  },
  'crash.other': {
    severity: 'error',
    meaning:
      'The guest crashed (register dump and "Crashing", a crash screen, a panic, or KraftKit\'s ' +
      '"machine fatally exited") with no trap, page fault or assertion named; detail is the reason ' +
      'an explicit crash printed, else RIP.',
    example: 'CRIT: Unikraft Crash - Kiviuq (0.20.0~667ac92)',
    hint: d =>
      `The guest crashed${d ? ` (${d})` : ' without naming the cause'}. From 0.20 the crash screen ` +
      'does not print the trap: a page fault or trap shows only `Unikraft Crash` and the registers. ' +
      'Resolve RIP with `addr2line -e <image>.dbg <RIP>`, and raise the log level ' +
      '(CONFIG_LIBUKDEBUG_PRINTK_INFO) for the lines before the crash.'
  },
  'memory.out-of-memory': {
    severity: 'error',
    meaning:
      "The guest ran out of memory: unpacking the root filesystem, the ELF loader's heap, a thread " +
      "stack, a page request of the buddy allocator, or the app's own allocation.",
    example: 'ERR:  [libukcpio] ... Failed to load content: Input/output error (5)',
    hint: d => {
      const base = `Out of memory${d ? ` (${d})` : ''}: give the guest more (\`memory: 256M\` or more).`
      if (d?.startsWith('page allocation'))
        return (
          `${base} The buddy allocator (libukallocbbuddy) hands out 2^order contiguous pages, so one ` +
          'large allocation needs up to twice its size free in one piece: allocate less at once, or ' +
          'build with another allocator (CONFIG_LIBUKBOOT_INITTLSF or CONFIG_LIBUKBOOT_INITMIMALLOC ' +
          'instead of CONFIG_LIBUKBOOT_INITBBUDDY).'
        )
      if (d === 'thread stack' || d === 'main thread')
        return (
          `${base} Each thread's stack takes 2^CONFIG_STACK_SIZE_PAGE_ORDER pages: lower that order ` +
          "or the app's thread count if it starts many threads."
        )
      if (d?.startsWith('heap'))
        return (
          `${base} The ELF loader reserves its brk heap (CONFIG_APPELFLOADER_BRK_NBPAGES pages, 2 MiB ` +
          'by default) at the first brk(): memory must hold it besides the root filesystem.'
        )
      return (
        `${base} The root filesystem is unpacked into RAM, so memory must exceed its size plus what ` +
        'the app uses.'
      )
    }
  },
  'memory.heap-limit': {
    severity: 'warning',
    meaning:
      'The ELF loader (0.12 and older) refused a second brk heap or to grow its one heap past its fixed size; error when the guest then ran out of memory.',
    example: 'CRIT: [appelfloader] <brk.c @ 27> Cannot handle multiple user space heaps: Not implemented!',
    hint: d =>
      `The ELF loader's brk() failed (${about(d, 'its single fixed heap')}); glibc's malloc then falls ` +
      'back to mmap, so this is usually harmless. If the app runs out of memory, raise ' +
      'CONFIG_APPELFLOADER_BRK_NBPAGES (the heap size in 4 KiB pages) or use an ELF loader from 0.13 ' +
      'on, which handles repeated brk() calls.'
  },
  'memory.region-skipped': {
    severity: 'note',
    meaning:
      'The buddy allocator left a memory region unused, too small after page alignment (an ERR-level line that good boots print).',
    example:
      'ERR:  [libukallocbbuddy] <bbuddy.c @  489> 1000: Failed to add memory region 7ae000-7af000: Not enough space after applying page alignments',
    hint: () => 'Harmless: the boot goes on with the other memory regions (unikraft#1505).'
  }
} satisfies Record<string, CatalogEntry>
