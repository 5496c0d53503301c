// Is this file a statically linked x86-64 ELF executable? The baseline's busybox runs before any
// library exists in the guest, so a dynamically linked one would fail as init.
import { open } from 'node:fs/promises'

const PT_INTERP = 3

export async function isStaticX8664Elf(path: string): Promise<boolean> {
  const fh = await open(path, 'r')
  try {
    const head = Buffer.alloc(64)
    const { bytesRead } = await fh.read(head, 0, 64, 0)
    if (bytesRead < 64 || head.readUInt32BE(0) !== 0x7f454c46) return false
    if (head[4] !== 2 || head[5] !== 1 || head.readUInt16LE(0x12) !== 0x3e) return false
    const phoff = Number(head.readBigUInt64LE(0x20))
    const phentsize = head.readUInt16LE(0x36)
    const phnum = head.readUInt16LE(0x38)
    if (phentsize < 4 || phnum === 0) return false
    const table = Buffer.alloc(phentsize * phnum)
    await fh.read(table, 0, table.length, phoff)
    for (let i = 0; i < phnum; i++) {
      if (table.readUInt32LE(i * phentsize) === PT_INTERP) return false
    }
    return true
  } finally {
    await fh.close()
  }
}
