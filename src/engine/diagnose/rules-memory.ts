// Memory: out of memory (the ELF loader's heap, thread stacks, the buddy allocator's page requests,
// the app's own messages), the ELF loader's single fixed brk heap, and the buddy allocator's harmless
// complaint about a region too small to use. (Unpacking the initrd is the boot family's.)
import { lowerOf, seenOf, type FindingSink, type Segment } from './rule-support.js'

const PAGE_KIB = 4

/** `2 GiB` for order 19: a buddy request of order n is 2^n pages. */
function orderSize(order: number): string {
  const kib = 2 ** order * PAGE_KIB
  if (kib >= 1024 * 1024) return `${kib / (1024 * 1024)} GiB`
  if (kib >= 1024) return `${kib / 1024} MiB`
  return `${kib} KiB`
}

export class MemoryRules {
  /** Keys of memory.heap-limit findings: warnings unless memory ran out too. */
  private readonly heapLimits: string[] = []

  constructor(private readonly sink: FindingSink) {}

  rule(seg: Segment): boolean {
    const { text } = seg
    const lower = lowerOf(seg)
    if (lower.includes('heap')) {
      // app-elfloader brk.c (0.12 and older): one brk heap of CONFIG_APPELFLOADER_BRK_NBPAGES pages.
      if (text.includes('Cannot handle multiple user space heaps'))
        return this.heapLimit(seg, 'a second brk heap')
      if (text.includes('Failed to increase heap')) return this.heapLimit(seg, 'brk heap full')
    }
    if (lower.includes('stack') || lower.includes('main thread')) {
      // uksched (0.10 and older): `Failed to allocate thread stack`, then ukboot's UK_CRASH `Could
      // not create main thread`; ukallocstack (0.17 on): `Failed to allocate stack of size...`.
      const stack =
        /Failed to allocate (?:thread )?stack\b|Failed to create stack VMA/.exec(text) ??
        /Could not create main thread/.exec(text)
      if (stack) {
        const detail = stack[0].startsWith('Could') ? 'main thread' : 'thread stack'
        this.sink.add('memory.out-of-memory', seenOf(seg), detail, { once: true })
        return true
      }
    }
    if (!lower.includes('memory') && !lower.includes('enomem')) return false
    if (lower.includes('memory region') && /after applying page alignments/.test(text)) {
      // libukallocbbuddy at ERR level on good boots (unikraft#1505, #1553): the region stays unused.
      const region = /Failed to add memory region ([0-9a-fA-Fx]{1,18}-[0-9a-fA-Fx]{1,18})/.exec(text)
      this.sink.add('memory.region-skipped', seenOf(seg), region?.[1] ?? null, { once: true })
      return true
    }
    const heap = /Could not allocate memory for heap(?: \((\d{1,12} ?[KMG]i?B)\))?/.exec(text)
    if (heap) {
      const detail = heap[1] ? `heap (${heap[1]})` : 'heap'
      this.sink.add('memory.out-of-memory', seenOf(seg), detail, { once: true })
      return true
    }
    const order = lower.includes('palloc') ? /palloc request of order (\d{1,2})\b/.exec(text) : null
    if (order) {
      // The buddy allocator hands out 2^order contiguous pages (unikraft#1381: 1 GiB on a 4 GiB guest).
      const n = Number(order[1])
      this.sink.add('memory.out-of-memory', seenOf(seg), `page allocation of order ${n} (${orderSize(n)})`, {
        once: true,
        data: { order: n }
      })
      return true
    }
    if (text.includes('failed to reserve page summary memory')) {
      // The Go runtime reserves its heap's address space up front (static-pie-apps#76).
      this.sink.add('memory.out-of-memory', seenOf(seg), 'Go runtime reserving its heap', { once: true })
      return true
    }
    if (
      /out of memory|Cannot allocate memory|Could not allocate memory|Not enough memory|\bENOMEM\b/i.test(
        text
      )
    ) {
      this.sink.add('memory.out-of-memory', seenOf(seg), null, { once: true })
      return true
    }
    return false
  }

  private heapLimit(seg: Segment, detail: string): boolean {
    const key = this.sink.add('memory.heap-limit', seenOf(seg), detail)
    if (!this.heapLimits.includes(key)) this.heapLimits.push(key)
    return true
  }

  /** The heap limit explains a failure when memory then ran out: an error. */
  finish(): void {
    if (!this.sink.hasId('memory.out-of-memory')) return
    for (const key of this.heapLimits) {
      const f = this.sink.get(key)
      if (f) f.severity = 'error'
    }
  }
}
