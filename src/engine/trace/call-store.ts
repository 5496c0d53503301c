// Compact storage of a trace's calls: a few typed-array slots per call (name, line, pid, outcome,
// where its text is) and the text itself either as offsets into the string that was parsed or as
// bytes in a block arena (trace-file.ts). No object per call: parsing a million calls makes no
// garbage to collect, and memory is about the size of the calls' text. `get(i)` and `toArray()`
// build the TracedCall objects on demand (alignTraces builds only its divergence's two).
import { errnoCode, errnoName } from '../diagnose/errno.js'
import { LINUX_SYSCALLS } from '../diagnose/linux-syscalls.js'
import type { CallOutcome, TracedCall } from './traced-call.js'

/** Arguments longer than this are cut (and end in `…`). */
export const ARGS_MAX = 256
/** An evidence line longer than this keeps its start and its end (` = result`) around a `…`. */
export const TEXT_MAX = 320
/** A returned value longer than this is cut (and ends in `…`). */
export const VALUE_MAX = 64
const TEXT_TAIL = 80

/** A copy of `s` that shares no memory with the string it was cut from. */
export function flat(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf16le').toString('utf16le')
}

/** `s` cut to `max` characters ending in `…` (never between the halves of a surrogate pair). */
export function clipHead(s: string, max: number): string {
  if (s.length <= max) return s
  let n = max - 1
  const c = s.charCodeAt(n - 1)
  if (c >= 0xd800 && c <= 0xdbff) n--
  return flat(s.slice(0, n) + '…')
}

/** The evidence line cut to TEXT_MAX: its start and its end (where the result is) around `…`. */
export function clipText(s: string): string {
  if (s.length <= TEXT_MAX) return s
  let head = TEXT_MAX - TEXT_TAIL - 1
  let tail = s.length - TEXT_TAIL
  const h = s.charCodeAt(head - 1)
  if (h >= 0xd800 && h <= 0xdbff) head--
  const t = s.charCodeAt(tail)
  if (t >= 0xdc00 && t <= 0xdfff) tail++
  return flat(s.slice(0, head) + '…' + s.slice(tail))
}

// ---------------------------------------------------------------------------------------------
// Known system call names, by a hash of their characters (open addressing); a name's slot is its id.

const NAME_SLOTS = 2048
const nameHashes = new Int32Array(NAME_SLOTS)
/** Name by id (slot); '' for an empty slot. */
export const NAMES: readonly string[] = (() => {
  const names = new Array<string>(NAME_SLOTS).fill('')
  for (const n of LINUX_SYSCALLS) {
    const h = nameHash(n, 0, n.length)
    let slot = h & (NAME_SLOTS - 1)
    while (names[slot] !== '') slot = (slot + 1) & (NAME_SLOTS - 1)
    names[slot] = n
    nameHashes[slot] = h
  }
  return names
})()
/** Ids of names that are not system calls (a caller's own TracedCall) start here. */
export const FIRST_OTHER_NAME_ID = NAME_SLOTS

/** The hash knownName expects: `h = h * 31 + c` over the characters, 32-bit. */
export function nameHash(s: string, a: number, b: number): number {
  let h = 0
  for (let i = a; i < b; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0
  return h
}

/** The id of the known name at `s[p, p + len)` whose nameHash is `h`, or -1. */
export function knownName(s: string, p: number, len: number, h: number): number {
  for (let slot = h & (NAME_SLOTS - 1); NAMES[slot] !== ''; slot = (slot + 1) & (NAME_SLOTS - 1)) {
    const n = NAMES[slot]
    if (nameHashes[slot] === h && n.length === len && s.startsWith(n, p)) return slot
  }
  return -1
}

/** The id of a known system call name, or -1. */
export function nameId(name: string): number {
  return knownName(name, 0, name.length, nameHash(name, 0, name.length))
}

// ---------------------------------------------------------------------------------------------
// Outcomes. Errors and `?` are shared (frozen) objects with an index; an `ok` value stays in the
// call's text. Each outcome has a class (outcomeClass in align.ts) as a number: 0 ok, 1 none,
// then one per errno name.

export const CLASS_OK = 0
export const CLASS_NONE = 1
const errnoClasses = new Map<string, number>()
/** The class of an error outcome with this errno name. */
export function errnoClass(errno: string): number {
  let c = errnoClasses.get(errno)
  if (c === undefined) errnoClasses.set(errno, (c = errnoClasses.size + 2))
  return c
}
export const ENOSYS_CLASS = errnoClass('ENOSYS')

/** outcomeClass as a number. */
export function classOf(o: CallOutcome): number {
  return o.kind === 'error' ? errnoClass(o.errno) : o.kind === 'none' ? CLASS_NONE : CLASS_OK
}

const NONE: CallOutcome = Object.freeze({ kind: 'none' })
const outcomes: CallOutcome[] = [NONE]
const outcomeClasses: number[] = [CLASS_NONE]
/** Shared outcomes are never more than this many (garbage can invent errno names). */
const OUTCOMES_MAX = 16384
export const NONE_INDEX = 0
const ukIndexes = new Map<number, number>()
const linuxIndexes = new Map<string, number>()

function addOutcome(o: CallOutcome): number {
  if (outcomes.length >= OUTCOMES_MAX) return -1
  outcomes.push(Object.freeze(o))
  outcomeClasses.push(classOf(o))
  return outcomes.length - 1
}

/** The index of Unikraft's `(-N)` error outcome. */
export function ukErrorIndex(code: number): number {
  let i = ukIndexes.get(code)
  if (i === undefined) {
    i = addOutcome({ kind: 'error', errno: errnoName(code), code })
    if (i >= 0) ukIndexes.set(code, i)
  }
  return i
}

/** The index of strace's `-1 ENAME` error outcome, or -1 when the table is full. */
export function linuxErrorIndex(errno: string): number {
  let i = linuxIndexes.get(errno)
  if (i === undefined) {
    const name = flat(errno)
    i = addOutcome({ kind: 'error', errno: name, code: errnoCode(name) })
    if (i >= 0) linuxIndexes.set(name, i)
  }
  return i
}

const okValues = new Map<string, CallOutcome>()
/** An `ok` outcome; short values (fds, sizes, `0x0`, `OK`) share one object each. */
export function okValue(value: string): CallOutcome {
  if (value.length > 24) return { kind: 'ok', value }
  let o = okValues.get(value)
  if (!o) {
    o = Object.freeze({ kind: 'ok', value })
    if (okValues.size < OUTCOMES_MAX) okValues.set(value, o)
  }
  return o
}

// ---------------------------------------------------------------------------------------------

/** Arena blocks: a call's text never straddles two. */
const BLOCK = 1 << 20
/** Calls per page of slots (pages are added, never copied). */
const PAGE_BITS = 14
const PAGE = 1 << PAGE_BITS
const OUTCOME_OK = -1
const OUTCOME_OBJECT = -2

/** The slots of PAGE calls: numbers that need 64 bits, 32 bits and 16 bits, interleaved per call. */
interface Page {
  /** line, text offset */
  f64: Float64Array
  /** pid (-1: none), outcome (a shared outcome's index, OUTCOME_OK or OUTCOME_OBJECT) */
  i32: Int32Array
  /** name id, text length, args offset and length, value offset and length (in the text) */
  u16: Uint16Array
}

export class CallStore {
  private n = 0
  private readonly pages: Page[] = []
  /** Calls kept whole (what the compact form cannot hold: long or non-ASCII lines, odd results). */
  private readonly objects = new Map<number, TracedCall>()
  private readonly blocks: Buffer[] = []
  private used = BLOCK

  /**
   * `source`: the text the calls' offsets point into (parseTrace); null: their text is copied into
   * the store's own arena (`add` with bytes).
   */
  constructor(readonly source: string | null) {}

  get length(): number {
    return this.n
  }

  /** Bytes held: the slots and the text arena (not `source`, nor the calls kept whole). */
  get bytes(): number {
    return this.pages.length * PAGE * 36 + this.blocks.length * BLOCK
  }

  private next(): number {
    if ((this.n & (PAGE - 1)) === 0 && this.n >> PAGE_BITS === this.pages.length) {
      this.pages.push({
        f64: new Float64Array(2 * PAGE),
        i32: new Int32Array(2 * PAGE),
        u16: new Uint16Array(6 * PAGE)
      })
    }
    return this.n++
  }

  /**
   * A call whose text is `source[at, at + len)` (or, with `bytes`, those bytes, copied), its args
   * and value at offsets in that text. `pid` -1: none. `outcome`: a shared outcome's index, or -1
   * for an ok value. Text at most TEXT_MAX long.
   */
  add(
    name: number,
    line: number,
    pid: number,
    outcome: number,
    bytes: Buffer | null,
    at: number,
    len: number,
    argsAt: number,
    argsLen: number,
    valueAt: number,
    valueLen: number
  ): void {
    const i = this.next()
    const page = this.pages[i >> PAGE_BITS]
    const j = i & (PAGE - 1)
    if (bytes) {
      if (this.used + len > BLOCK) {
        this.blocks.push(Buffer.allocUnsafeSlow(BLOCK))
        this.used = 0
      }
      const block = this.blocks[this.blocks.length - 1]
      const used = this.used
      if (len < 64) for (let k = 0; k < len; k++) block[used + k] = bytes[at + k]
      else bytes.copy(block, used, at, at + len)
      page.f64[2 * j + 1] = (this.blocks.length - 1) * BLOCK + used
      this.used = used + len
    } else page.f64[2 * j + 1] = at
    page.f64[2 * j] = line
    page.i32[2 * j] = pid
    page.i32[2 * j + 1] = outcome
    const u = page.u16
    const k = 6 * j
    u[k] = name
    u[k + 1] = len
    u[k + 2] = argsAt
    u[k + 3] = argsLen
    u[k + 4] = valueAt
    u[k + 5] = valueLen
  }

  /** A shared outcome by its index. */
  sharedOutcome(index: number): CallOutcome {
    return outcomes[index]
  }

  /** A call kept whole. */
  addObject(call: TracedCall): void {
    const i = this.next()
    this.pages[i >> PAGE_BITS].i32[2 * (i & (PAGE - 1)) + 1] = OUTCOME_OBJECT
    this.objects.set(i, call)
  }

  private outcomeAt(i: number): number {
    return this.pages[i >> PAGE_BITS].i32[2 * (i & (PAGE - 1)) + 1]
  }

  /** The name's id (NAMES); for a call kept whole whose name is not a system call, -1. */
  nameId(i: number): number {
    const page = this.pages[i >> PAGE_BITS]
    const j = i & (PAGE - 1)
    if (page.i32[2 * j + 1] !== OUTCOME_OBJECT) return page.u16[6 * j]
    return nameId(this.objects.get(i)!.name)
  }

  name(i: number): string {
    const id = this.nameId(i)
    return id >= 0 ? NAMES[id] : this.objects.get(i)!.name
  }

  /** outcomeClass of call i as a number (classOf). */
  outcomeClass(i: number): number {
    const o = this.outcomeAt(i)
    if (o >= 0) return outcomeClasses[o]
    return o === OUTCOME_OK ? CLASS_OK : classOf(this.objects.get(i)!.outcome)
  }

  outcome(i: number): CallOutcome {
    const o = this.outcomeAt(i)
    if (o >= 0) return outcomes[o]
    if (o === OUTCOME_OBJECT) return this.objects.get(i)!.outcome
    const u = this.pages[i >> PAGE_BITS].u16
    const k = 6 * (i & (PAGE - 1))
    return okValue(clipHead(this.piece(i, u[k + 4], u[k + 5]), VALUE_MAX))
  }

  /** `len` characters of call i's text from `from`. */
  private piece(i: number, from: number, len: number): string {
    const at = this.pages[i >> PAGE_BITS].f64[2 * (i & (PAGE - 1)) + 1] + from
    if (this.source !== null) return this.source.slice(at, at + len)
    const block = this.blocks[Math.floor(at / BLOCK)]
    const off = at % BLOCK
    return block.toString('latin1', off, off + len)
  }

  /** Call i as a TracedCall (a new object each time, but for calls kept whole). */
  get(i: number): TracedCall {
    const page = this.pages[i >> PAGE_BITS]
    const j = i & (PAGE - 1)
    const o = page.i32[2 * j + 1]
    if (o === OUTCOME_OBJECT) return this.objects.get(i)!
    const u = page.u16
    const k = 6 * j
    const text = this.piece(i, 0, u[k + 1])
    const args = u[k + 3] === 0 ? '' : clipHead(text.slice(u[k + 2], u[k + 2] + u[k + 3]), ARGS_MAX)
    const outcome =
      o >= 0 ? outcomes[o] : okValue(clipHead(text.slice(u[k + 4], u[k + 4] + u[k + 5]), VALUE_MAX))
    const pid = page.i32[2 * j]
    return { name: NAMES[u[k]], args, outcome, line: page.f64[2 * j], text, pid: pid < 0 ? null : pid }
  }

  toArray(): TracedCall[] {
    const out = new Array<TracedCall>(this.n)
    for (let i = 0; i < this.n; i++) out[i] = this.get(i)
    return out
  }
}
