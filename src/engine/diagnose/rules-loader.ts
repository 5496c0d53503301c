// The ELF loader (the program, its interpreter, its format) and the C library's dynamic loader (shared
// libraries, symbols, thread-local storage); also the Linux baseline's /init when it cannot start the
// program.
import { lastToken, lowerOf, seenOf, type FindingSink, type Segment } from './rule-support.js'

export class LoaderRules {
  /** Programs a line already rejected (the `Parsing of ELF image failed` after it says nothing new). */
  private readonly loaderRejected = new Set<string>()

  constructor(private readonly sink: FindingSink) {}

  rule(seg: Segment): boolean {
    return this.program(seg) || this.library(seg)
  }

  private program(seg: Segment): boolean {
    const { msg } = seg
    const exec = msg.indexOf(': Failed to execute ')
    if (exec >= 0) {
      const prog = lastToken(msg.slice(0, exec))
      const rest = msg.slice(exec + ': Failed to execute '.length)
      const path = /^[^\s:]{1,4096}/.exec(rest)?.[0] ?? ''
      const reason = rest.slice(path.length).replace(/^:\s*/, '')
      const enoent = /No such file or directory/.test(reason)
      if (prog === '<interp>') {
        if (enoent) this.sink.add('loader.missing-interpreter', seenOf(seg), path)
        else this.sink.add('loader.bad-executable', seenOf(seg), `${path}: ${reason}`)
      } else if (enoent) {
        this.sink.add('loader.missing-executable', seenOf(seg), path)
      } else {
        this.sink.add('loader.bad-executable', seenOf(seg), `${path}: ${reason}`)
      }
      this.loaderRejected.add(prog)
      return true
    }
    const interp = /Failed to load program interpreter ([^\s:]{1,4096}):? ?([^\n]{0,200})/.exec(msg)
    if (interp) {
      if (
        /No such file or directory/.test(interp[2]) ||
        this.sink.has(`loader.missing-interpreter\u0000${interp[1]}`)
      )
        this.sink.add('loader.missing-interpreter', seenOf(seg), interp[1])
      else this.sink.add('loader.bad-executable', seenOf(seg), `${interp[1]}: ${interp[2]}`)
      return true
    }
    // The Linux baseline's /init (busybox env) when the program cannot start.
    const cant = msg.includes("can't execute")
      ? /can't execute '([^'\n]{1,4096})': ([^\n]{1,200})/.exec(msg)
      : null
    if (cant) {
      if (/No such file or directory/.test(cant[2]))
        this.sink.add('loader.missing-executable', seenOf(seg), cant[1])
      else this.sink.add('loader.bad-executable', seenOf(seg), `${cant[1]}: ${cant[2]}`)
      return true
    }
    if (msg.includes('Program name missing')) {
      this.sink.add('loader.missing-executable', seenOf(seg), 'no program on the command line')
      return true
    }
    const notInPath = /^ukc-init: (\S{1,256}): not found in PATH/.exec(msg)
    if (notInPath) {
      this.sink.add('loader.missing-executable', seenOf(seg), notInPath[1])
      return true
    }
    const at = msg.indexOf(': ELF executable is not position-independent')
    if (at >= 0) {
      const prog = lastToken(msg.slice(0, at))
      this.loaderRejected.add(prog)
      this.sink.add('loader.not-pie', seenOf(seg), prog || null)
      return true
    }
    if (seg.level === null) return false
    const bad =
      /: (Image format not recognized or not supported|ELF machine type mismatch|ELF OS ABI unsupported|Requests program interpreter: Unsupported|ELF executable requests multiple program interpreters)/.exec(
        msg
      )
    if (bad) {
      const prog = lastToken(msg.slice(0, bad.index))
      this.loaderRejected.add(prog)
      this.sink.add('loader.bad-executable', seenOf(seg), `${prog}: ${bad[1]}`)
      return true
    }
    const parsing = msg.indexOf(': Parsing of ELF image failed')
    if (parsing >= 0) {
      const prog = lastToken(msg.slice(0, parsing))
      // The line before already said why (not PIE, wrong machine, ...).
      if (!this.loaderRejected.has(prog)) {
        const why = msg.slice(parsing + ': Parsing of ELF image failed'.length).replace(/^:\s*/, '')
        this.sink.add('loader.bad-executable', seenOf(seg), `${prog}: ${why}`)
      }
      return true
    }
    return false
  }

  private library(seg: Segment): boolean {
    const { text } = seg
    const at = text.indexOf(': cannot open shared object file')
    if (at >= 0) {
      const lib = lastToken(text.slice(0, at), /[\s"'(]/)
      this.sink.add('loader.missing-library', seenOf(seg), lib || null)
      return true
    }
    const lower = lowerOf(seg)
    if (
      (lower.includes('thread-local storage') || lower.includes('tls block')) &&
      /cannot|failed|unable/.test(lower)
    ) {
      this.sink.add('loader.tls-setup-failed', seenOf(seg), null, { once: true })
      return true
    }
    return this.symbol(seg)
  }

  /**
   * jemalloc's `<jemalloc>: Error in dlsym(RTLD_NEXT, "pthread_create"). Cannot enable
   * background_thread` (a static program has no RTLD_NEXT), an app's `dlsym() "x" failed (...)`, and
   * the dynamic loader's `symbol lookup error: ...: undefined symbol: x`.
   */
  private symbol(seg: Segment): boolean {
    const { text } = seg
    const lower = lowerOf(seg)
    if (!lower.includes('dlsym') && !lower.includes('undefined symbol')) return false
    const undefinedSymbol = /undefined symbol: ?([^\s,()'"]{1,200})/.exec(text)
    const dlsym =
      /\bdlsym\((?:[A-Z_]{1,20}, ?)?"([^"\n]{1,200})"\)/.exec(text) ??
      /\bdlsym\(\) "([^"\n]{1,200})"/.exec(text)
    if (!undefinedSymbol && !(dlsym && /error|fail|cannot|not found/i.test(text))) return false
    const symbol = undefinedSymbol?.[1] ?? dlsym?.[1] ?? null
    // jemalloc then runs without its background threads: a lost feature, not a failure.
    const optional = /Cannot enable background_thread/i.test(text)
    this.sink.add('loader.symbol-not-found', seenOf(seg), symbol, {
      severity: optional ? 'warning' : undefined,
      data: optional ? { lost: 'background_thread' } : undefined
    })
    return true
  }
}
