// ELF header, program headers and the dynamic section, read from the file's bytes (a program is
// never run to learn about it): class, machine, type, PT_INTERP, DT_NEEDED, DT_RPATH/RUNPATH,
// DT_FLAGS_1, and what the loader will make of it (static, static-PIE, PIE, fixed-address).
import { closeSync, openSync, readSync } from 'node:fs'

export class ElfFormatError extends Error {
  override name = 'ElfFormatError'
}

export const EM = {
  X86_64: 62,
  I386: 3,
  ARM: 40,
  AARCH64: 183,
  RISCV: 243,
  PPC64: 21,
  S390: 22,
  MIPS: 8
} as const
const MACHINE_NAMES: Record<number, string> = {
  [EM.X86_64]: 'x86-64',
  [EM.I386]: 'i386',
  [EM.ARM]: 'arm',
  [EM.AARCH64]: 'aarch64',
  [EM.RISCV]: 'riscv',
  [EM.PPC64]: 'ppc64',
  [EM.S390]: 's390',
  [EM.MIPS]: 'mips',
  20: 'ppc',
  2: 'sparc',
  43: 'sparcv9',
  258: 'loongarch'
}

export const ET = { REL: 1, EXEC: 2, DYN: 3, CORE: 4 } as const
const PT_LOAD = 1
const PT_DYNAMIC = 2
const PT_INTERP = 3
const DT = {
  NULL: 0,
  NEEDED: 1,
  STRTAB: 5,
  STRSZ: 10,
  SONAME: 14,
  RPATH: 15,
  RUNPATH: 29,
  FLAGS: 30,
  FLAGS_1: 0x6ffffffb
} as const
export const DF_1_PIE = 0x08000000

/**
 * - `static`: fixed-address, no interpreter (gcc -static, -no-pie)
 * - `fixed-address`: fixed-address with an interpreter (gcc -no-pie)
 * - `static-pie`: position-independent, no interpreter (gcc -static-pie)
 * - `pie`: position-independent with an interpreter (gcc's default)
 * - `shared-library`: ET_DYN, no interpreter, not marked PIE
 * - `relocatable` / `core`: object files and core dumps
 */
export type ElfKind =
  'static' | 'fixed-address' | 'static-pie' | 'pie' | 'shared-library' | 'relocatable' | 'core' | 'unknown'

export interface ElfInfo {
  elfClass: 32 | 64
  endian: 'little' | 'big'
  machine: number
  /** 'x86-64', 'aarch64', ... or 'EM_<n>'. */
  machineName: string
  type: number
  kind: ElfKind
  /** ET_DYN: the loader may place it anywhere (what Unikraft's ELF loader requires). */
  positionIndependent: boolean
  entry: number
  interpreter: string | null
  hasDynamic: boolean
  needed: string[]
  soname: string | null
  rpath: string[] | null
  runpath: string[] | null
  flags1: number
}

/** Reads `length` bytes at `offset` (fewer at the end of the file). */
type ReadAt = (offset: number, length: number) => Buffer

const MAX_PHNUM = 4096
const MAX_DYN_BYTES = 1 << 20
const MAX_STRTAB_BYTES = 64 << 20

export function isElfMagic(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46
}

function parse(readAt: ReadAt, what: string): ElfInfo {
  const fail = (why: string): never => {
    throw new ElfFormatError(`${what}: ${why}`)
  }
  const ident = readAt(0, 64)
  if (!isElfMagic(ident)) fail('not an ELF file')
  const cls = ident[4]
  const data = ident[5]
  if (cls !== 1 && cls !== 2) fail(`unknown ELF class ${cls}`)
  if (data !== 1 && data !== 2) fail(`unknown ELF data encoding ${data}`)
  const is64 = cls === 2
  const le = data === 1
  if (ident.length < (is64 ? 64 : 52)) fail('truncated ELF header')
  const u16 = (b: Buffer, o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o))
  const u32 = (b: Buffer, o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o))
  const u64 = (b: Buffer, o: number): number => Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o))
  const addr = (b: Buffer, o: number): number => (is64 ? u64(b, o) : u32(b, o))
  const sword = (b: Buffer, o: number): number =>
    is64 ? Number(le ? b.readBigInt64LE(o) : b.readBigInt64BE(o)) : le ? b.readInt32LE(o) : b.readInt32BE(o)

  const type = u16(ident, 16)
  const machine = u16(ident, 18)
  const entry = addr(ident, 24)
  const phoff = addr(ident, is64 ? 32 : 28)
  const phentsize = u16(ident, is64 ? 54 : 42)
  const phnum = u16(ident, is64 ? 56 : 44)

  const segs: { type: number; offset: number; vaddr: number; filesz: number }[] = []
  if (phnum > 0) {
    if (phnum > MAX_PHNUM) fail(`implausible program header count ${phnum}`)
    if (phentsize < (is64 ? 56 : 32)) fail(`program header entries of ${phentsize} bytes`)
    const ph = readAt(phoff, phnum * phentsize)
    if (ph.length < phnum * phentsize) fail('truncated program headers')
    for (let i = 0; i < phnum; i++) {
      const o = i * phentsize
      segs.push(
        is64
          ? { type: u32(ph, o), offset: u64(ph, o + 8), vaddr: u64(ph, o + 16), filesz: u64(ph, o + 32) }
          : { type: u32(ph, o), offset: u32(ph, o + 4), vaddr: u32(ph, o + 8), filesz: u32(ph, o + 16) }
      )
    }
  }

  let interpreter: string | null = null
  const interp = segs.find(s => s.type === PT_INTERP)
  if (interp) {
    const b = readAt(interp.offset, Math.min(interp.filesz, 4096))
    const z = b.indexOf(0)
    interpreter = (z >= 0 ? b.subarray(0, z) : b).toString('utf8')
  }

  const info: ElfInfo = {
    elfClass: is64 ? 64 : 32,
    endian: le ? 'little' : 'big',
    machine,
    machineName: MACHINE_NAMES[machine] ?? `EM_${machine}`,
    type,
    kind: 'unknown',
    positionIndependent: type === ET.DYN,
    entry,
    interpreter,
    hasDynamic: false,
    needed: [],
    soname: null,
    rpath: null,
    runpath: null,
    flags1: 0
  }

  const dyn = segs.find(s => s.type === PT_DYNAMIC)
  if (dyn && dyn.filesz > 0) {
    info.hasDynamic = true
    const d = readAt(dyn.offset, Math.min(dyn.filesz, MAX_DYN_BYTES))
    const entSize = is64 ? 16 : 8
    const tags: { tag: number; val: number }[] = []
    for (let o = 0; o + entSize <= d.length; o += entSize) {
      const tag = sword(d, o)
      if (tag === DT.NULL) break
      tags.push({ tag, val: addr(d, o + (is64 ? 8 : 4)) })
    }
    const strtabAddr = tags.find(t => t.tag === DT.STRTAB)?.val
    const strsz = tags.find(t => t.tag === DT.STRSZ)?.val ?? 0
    let strtab: Buffer | null = null
    if (strtabAddr !== undefined) {
      // DT_STRTAB is an address: map it to a file offset through the PT_LOAD segments.
      const load = segs.find(
        s => s.type === PT_LOAD && strtabAddr >= s.vaddr && strtabAddr < s.vaddr + s.filesz
      )
      if (load)
        strtab = readAt(load.offset + (strtabAddr - load.vaddr), Math.min(strsz || 1 << 16, MAX_STRTAB_BYTES))
    }
    const str = (off: number): string => {
      if (!strtab || off >= strtab.length) fail(`dynamic string at ${off} lies outside the string table`)
      const t = strtab as Buffer
      const z = t.indexOf(0, off)
      return t.subarray(off, z >= 0 ? z : t.length).toString('utf8')
    }
    for (const t of tags) {
      switch (t.tag) {
        case DT.NEEDED:
          info.needed.push(str(t.val))
          break
        case DT.SONAME:
          info.soname = str(t.val)
          break
        case DT.RPATH:
          info.rpath = [...(info.rpath ?? []), ...str(t.val).split(':')]
          break
        case DT.RUNPATH:
          info.runpath = [...(info.runpath ?? []), ...str(t.val).split(':')]
          break
        case DT.FLAGS_1:
          info.flags1 = t.val >>> 0
          break
      }
    }
  }

  info.kind = classify(info)
  return info
}

function classify(i: ElfInfo): ElfKind {
  switch (i.type) {
    case ET.EXEC:
      return i.interpreter ? 'fixed-address' : 'static'
    case ET.DYN:
      if (i.interpreter) return 'pie'
      // gcc -static-pie sets DF_1_PIE; a shared library does not (and usually has a soname).
      if (i.flags1 & DF_1_PIE) return 'static-pie'
      return 'shared-library'
    case ET.REL:
      return 'relocatable'
    case ET.CORE:
      return 'core'
    default:
      return 'unknown'
  }
}

/** Parses ELF bytes already in memory. */
export function parseElf(bytes: Buffer, what = 'ELF'): ElfInfo {
  return parse((o, n) => bytes.subarray(Math.min(o, bytes.length), Math.min(o + n, bytes.length)), what)
}

/** Reads only the parts it needs (header, program headers, dynamic section, string table) from the file. */
export function readElf(path: string): ElfInfo {
  const fd = openSync(path, 'r')
  try {
    return parse((o, n) => {
      const b = Buffer.allocUnsafe(n)
      let got = 0
      while (got < n) {
        const k = readSync(fd, b, got, n - got, o + got)
        if (k === 0) break
        got += k
      }
      return b.subarray(0, got)
    }, path)
  } finally {
    closeSync(fd)
  }
}

/** First bytes of a file (to tell ELF from a `#!` script from anything else). */
export function readHead(path: string, n = 256): Buffer {
  const fd = openSync(path, 'r')
  try {
    const b = Buffer.alloc(n)
    const k = readSync(fd, b, 0, n, 0)
    return b.subarray(0, k)
  } finally {
    closeSync(fd)
  }
}

/** `#!/bin/sh -e` -> { interpreter: '/bin/sh', arg: '-e' }, as the kernel splits it. */
export function parseShebang(head: Buffer): { interpreter: string; arg: string | null } | null {
  if (head.length < 2 || head[0] !== 0x23 || head[1] !== 0x21) return null
  const nl = head.indexOf(0x0a)
  const line = head
    .subarray(2, nl >= 0 ? nl : head.length)
    .toString('utf8')
    .replace(/\r$/, '')
    .trim()
  if (!line) return null
  const m = /^(\S+)(?:\s+(.*))?$/.exec(line)
  if (!m) return null
  return { interpreter: m[1], arg: m[2]?.trim() || null }
}
