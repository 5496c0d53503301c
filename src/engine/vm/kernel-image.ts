// What a kernel file is, read from its bytes before QEMU sees it: QEMU's x86 `-kernel` boots a
// multiboot image (Unikraft's qemu/x86_64 images, ELF or a.out kludge), an x86 ELF with a PVH note,
// or a Linux bzImage (the baseline). Anything else (an ARM image, a Linux program, a text file, a
// truncated download) is named here as a mistake in the input, instead of a guest that "failed".
import { ConfigurationError } from '../errors.js'
import { openRegularFile } from './input-file.js'

export type KernelFormat = 'multiboot' | 'multiboot2' | 'pvh-elf' | 'bzimage'

export interface KernelImageInfo {
  format: KernelFormat
  /** 'ELF64', 'ELF32' or 'raw' (an a.out-kludge multiboot image, a bzImage). */
  container: 'ELF64' | 'ELF32' | 'raw'
  bytes: number
}

/** Multiboot 1 looks in the first 8 KiB, multiboot 2 in the first 32 KiB. */
const MB1_MAGIC = 0x1badb002
const MB2_MAGIC = 0xe85250d6
const SCAN_BYTES = 32 * 1024
const MB1_AOUT_KLUDGE = 1 << 16
const XEN_ELFNOTE_PHYS32_ENTRY = 18
const PT_LOAD = 1
const PT_NOTE = 4
const EM_386 = 3
const EM_X86_64 = 62

const ARCH_NAMES: Record<number, string> = {
  40: 'ARM (32-bit)',
  183: 'ARM64 (aarch64)',
  243: 'RISC-V',
  21: 'PowerPC 64',
  22: 's390x',
  8: 'MIPS'
}

const ACCEPTED =
  'a Unikraft kernel image for qemu/x86_64 (a multiboot ELF such as <app>_qemu-x86_64 from a Unikraft build, or .unikraft/build/... from kraft build)'

function refuse(input: string, path: string, why: string, what = ACCEPTED): ConfigurationError {
  return new ConfigurationError(input, `Input '${input}' must be ${what}, got '${path}': ${why}`)
}

/** The offset of a valid multiboot 1 header (magic + flags + checksum = 0), or -1. */
function findMultiboot1(head: Buffer): number {
  for (let o = 0; o + 12 <= Math.min(head.length, 8192); o += 4) {
    if (head.readUInt32LE(o) !== MB1_MAGIC) continue
    const flags = head.readUInt32LE(o + 4)
    if ((MB1_MAGIC + flags + head.readUInt32LE(o + 8)) >>> 0 === 0) return o
  }
  return -1
}

function findMultiboot2(head: Buffer): number {
  for (let o = 0; o + 16 <= Math.min(head.length, SCAN_BYTES); o += 8) {
    if (head.readUInt32LE(o) !== MB2_MAGIC) continue
    const arch = head.readUInt32LE(o + 4)
    const len = head.readUInt32LE(o + 8)
    if ((MB2_MAGIC + arch + len + head.readUInt32LE(o + 12)) >>> 0 === 0) return o
  }
  return -1
}

interface ElfSegments {
  cls: 32 | 64
  machine: number
  /** [offset, filesz] of PT_LOAD segments; PT_NOTE contents are read separately. */
  loads: Array<[number, number]>
  notes: Array<[number, number]>
}

function readElfSegments(
  head: Buffer,
  readAt: (o: number, n: number) => Promise<Buffer>
): Promise<ElfSegments | string> {
  return (async () => {
    const cls = head[4] === 2 ? 64 : head[4] === 1 ? 32 : 0
    if (cls === 0 || head[5] !== 1) return 'an ELF file that is not little-endian 32- or 64-bit'
    const machine = head.readUInt16LE(18)
    const phoff = cls === 64 ? Number(head.readBigUInt64LE(32)) : head.readUInt32LE(28)
    const phentsize = head.readUInt16LE(cls === 64 ? 54 : 42)
    const phnum = head.readUInt16LE(cls === 64 ? 56 : 44)
    if (phnum === 0 || phnum > 4096 || phentsize < (cls === 64 ? 56 : 32))
      return 'an ELF file without program headers'
    const table = await readAt(phoff, phnum * phentsize)
    if (table.length < phnum * phentsize) return 'truncated: its program headers run past the end of the file'
    const loads: Array<[number, number]> = []
    const notes: Array<[number, number]> = []
    for (let i = 0; i < phnum; i++) {
      const e = i * phentsize
      const type = table.readUInt32LE(e)
      const offset = cls === 64 ? Number(table.readBigUInt64LE(e + 8)) : table.readUInt32LE(e + 4)
      const filesz = cls === 64 ? Number(table.readBigUInt64LE(e + 32)) : table.readUInt32LE(e + 16)
      if (type === PT_LOAD) loads.push([offset, filesz])
      if (type === PT_NOTE) notes.push([offset, filesz])
    }
    return { cls, machine, loads, notes }
  })()
}

/** Whether a PT_NOTE block holds Xen's PHYS32_ENTRY note (what QEMU's PVH boot looks for). */
function hasPvhNote(note: Buffer): boolean {
  let o = 0
  while (o + 12 <= note.length) {
    const namesz = note.readUInt32LE(o)
    const descsz = note.readUInt32LE(o + 4)
    const type = note.readUInt32LE(o + 8)
    const name = note.subarray(o + 12, o + 12 + namesz).toString('latin1')
    if (type === XEN_ELFNOTE_PHYS32_ENTRY && name.startsWith('Xen')) return true
    o += 12 + Math.ceil(namesz / 4) * 4 + Math.ceil(descsz / 4) * 4
  }
  return false
}

/**
 * Reads the kernel's headers and says what QEMU will make of it, or throws a ConfigurationError
 * naming `input`, the file and what is wrong (empty, another architecture, a program, truncated).
 */
export async function inspectKernelImage(path: string, input = 'kernel'): Promise<KernelImageInfo> {
  const fh = await openRegularFile(path, why => refuse(input, path, why, 'a readable kernel image file'))
  try {
    const size = (await fh.stat()).size
    if (size === 0) throw refuse(input, path, 'the file is empty')
    const readAt = async (o: number, n: number): Promise<Buffer> => {
      if (o >= size) return Buffer.alloc(0)
      const b = Buffer.alloc(Math.min(n, size - o))
      const { bytesRead } = await fh!.read(b, 0, b.length, o)
      return b.subarray(0, bytesRead)
    }
    const head = await readAt(0, SCAN_BYTES)
    const isElf = head.length >= 64 && head.readUInt32BE(0) === 0x7f454c46
    if (!isElf) {
      if (head.length >= 0x206 && head.toString('latin1', 0x202, 0x206) === 'HdrS') {
        return { format: 'bzimage', container: 'raw', bytes: size }
      }
      if (head.length >= 0x3c && head.toString('latin1', 0x38, 0x3c) === 'ARM\x64') {
        throw refuse(input, path, 'an ARM64 Linux/Unikraft image (built for arm64, not x86_64)')
      }
      const mb1 = findMultiboot1(head)
      if (mb1 >= 0) {
        const flags = head.readUInt32LE(mb1 + 4)
        if (flags & MB1_AOUT_KLUDGE && mb1 + 32 <= head.length) {
          // header_addr, load_addr, load_end_addr: the loaded bytes must all be in the file.
          const headerAddr = head.readUInt32LE(mb1 + 12)
          const loadAddr = head.readUInt32LE(mb1 + 16)
          const loadEnd = head.readUInt32LE(mb1 + 20)
          const start = mb1 - (headerAddr - loadAddr)
          if (loadEnd !== 0 && start + (loadEnd - loadAddr) > size) {
            throw refuse(
              input,
              path,
              `truncated: its multiboot header loads ${loadEnd - loadAddr} bytes, the file has ${size - start}`
            )
          }
        }
        return { format: 'multiboot', container: 'raw', bytes: size }
      }
      if (findMultiboot2(head) >= 0) return { format: 'multiboot2', container: 'raw', bytes: size }
      const text = /^[\x09\x0a\x0d\x20-\x7e]*$/.test(head.toString('latin1', 0, Math.min(64, head.length)))
      throw refuse(
        input,
        path,
        text ? 'a text file, not a kernel image' : 'no multiboot header and not an ELF file or a bzImage'
      )
    }
    const seg = await readElfSegments(head, readAt)
    if (typeof seg === 'string') throw refuse(input, path, seg)
    if (seg.machine !== EM_X86_64 && seg.machine !== EM_386) {
      const arch = ARCH_NAMES[seg.machine] ?? `machine ${seg.machine}`
      throw refuse(input, path, `an ELF file for ${arch}, not x86_64`)
    }
    for (const [offset, filesz] of seg.loads) {
      if (offset + filesz > size) {
        throw refuse(
          input,
          path,
          `truncated: a loadable segment ends at byte ${offset + filesz}, the file has ${size}`
        )
      }
    }
    const container = seg.cls === 64 ? 'ELF64' : 'ELF32'
    const mb1 = findMultiboot1(head)
    if (mb1 >= 0) {
      // QEMU's multiboot loader reads ELF32 only, unless the header gives the load addresses itself.
      if (seg.cls === 64 && !(head.readUInt32LE(mb1 + 4) & MB1_AOUT_KLUDGE)) {
        throw refuse(
          input,
          path,
          "an ELF64 multiboot image, which QEMU's multiboot loader refuses ('give a 32bit one'): use the image Unikraft's build leaves as <app>_qemu-x86_64, not its .dbg file"
        )
      }
      return { format: 'multiboot', container, bytes: size }
    }
    if (findMultiboot2(head) >= 0) return { format: 'multiboot2', container, bytes: size }
    for (const [offset, filesz] of seg.notes) {
      if (hasPvhNote(await readAt(offset, Math.min(filesz, 1 << 20))))
        return { format: 'pvh-elf', container, bytes: size }
    }
    const type = head.readUInt16LE(16)
    throw refuse(
      input,
      path,
      type === 3
        ? 'an x86_64 Linux program or library, not a kernel (give a program as the root filesystem and cmd instead)'
        : 'an x86 ELF file with neither a multiboot header nor a PVH note, which QEMU cannot boot'
    )
  } finally {
    await fh.close()
  }
}
