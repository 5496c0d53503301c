// The kernel file check, on real files: multiboot kernels assembled and linked here with GNU as/ld
// (ELF32, ELF64 with and without the a.out kludge, a PVH note), the tiny probe kernel, a real
// program built by gcc, the same program relabelled for aarch64, an ARM64 Image header, text,
// empty and truncated files. What it accepts, real QEMU boots; what it refuses, QEMU could not.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFile, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ConfigurationError } from '../../../src/engine/errors.js'
import { createMemoryLogger } from '../../../src/engine/logger.js'
import { inspectKernelImage } from '../../../src/engine/vm/kernel-image.js'
import { buildProbeKernel } from '../../../src/engine/vm/probe-kernel.js'
import { startVm } from '../../../src/engine/vm/start-vm.js'
import { gcc, HELLO_C, mustRun, run } from '../rootfs/helpers.js'
import { removeDir, tempDir, tinyGuestSpec } from './vm-test-support.js'

let dir: string
beforeAll(async () => {
  dir = await tempDir('kimg')
})
afterAll(() => removeDir(dir))

const MB_FLAGS_AOUT = 0x10000

/** A multiboot guest that prints `K` and exits through isa-debug-exit (QEMU status 83). */
function multibootSource(o: { flags: number; pvh?: boolean }): string {
  const lines = [
    '.section .multiboot, "a"',
    '.align 4',
    '.long 0x1BADB002',
    `.long ${o.flags}`,
    `.long -(0x1BADB002 + ${o.flags})`
  ]
  if (o.flags & MB_FLAGS_AOUT) {
    // header_addr, load_addr, load_end_addr (0: to the end of the file), bss_end_addr, entry_addr
    lines.push('.long 0x100000', '.long 0x100000', '.long 0', '.long 0', '.long _start')
  }
  if (o.pvh) {
    lines.push(
      '.section .note.Xen, "a"',
      '.align 4',
      '.long 4', // namesz
      '.long 4', // descsz
      '.long 18', // XEN_ELFNOTE_PHYS32_ENTRY
      '.asciz "Xen"',
      '.long _start'
    )
  }
  lines.push(
    '.text',
    '.code32',
    '.globl _start',
    '_start:',
    'mov $0x3f8, %dx',
    "mov $'K', %al",
    'out %al, %dx',
    'mov $0x501, %dx',
    'mov $41, %eax',
    'out %eax, %dx',
    '1: jmp 1b',
    ''
  )
  return lines.join('\n')
}

async function link(name: string, source: string, bits: 32 | 64): Promise<string> {
  const s = join(dir, `${name}.s`)
  const o = join(dir, `${name}.o`)
  const out = join(dir, name)
  await writeFile(s, source)
  await mustRun(['as', bits === 32 ? '--32' : '--64', '-o', o, s])
  await mustRun([
    'ld',
    '-m',
    bits === 32 ? 'elf_i386' : 'elf_x86_64',
    '-nostdlib',
    '--section-start=.multiboot=0x100000',
    '-Ttext=0x100400',
    '-e',
    '_start',
    '-o',
    out,
    o
  ])
  return out
}

async function refusal(path: string): Promise<string> {
  try {
    await inspectKernelImage(path)
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError)
    expect((e as ConfigurationError).input).toBe('kernel')
    return (e as Error).message
  }
  throw new Error(`${path} was accepted`)
}

describe('inspectKernelImage', () => {
  it('accepts an ELF32 multiboot kernel, and real QEMU boots it to its debug exit', async () => {
    const k = await link('mb32', multibootSource({ flags: 0 }), 32)
    expect(await inspectKernelImage(k)).toMatchObject({ format: 'multiboot', container: 'ELF32' })
    const vm = await startVm(tinyGuestSpec(k, join(dir, 'out-mb32'), { timeoutMs: 60_000 }), {
      logger: createMemoryLogger()
    })
    const r = await vm.done
    expect(r).toMatchObject({ reason: 'exited', qemuExit: 83 })
    expect(await readFile(r.consoleLog, 'latin1')).toContain('K')
  }, 90_000)

  it('refuses an ELF64 multiboot kernel without load addresses, which QEMU itself refuses', async () => {
    const k = await link('mb64', multibootSource({ flags: 0 }), 64)
    expect(await refusal(k)).toMatch(/an ELF64 multiboot image, which QEMU's multiboot loader refuses/)
    const q = await run([
      'qemu-system-x86_64',
      '-M',
      'pc',
      '-accel',
      'tcg',
      '-display',
      'none',
      '-nodefaults',
      '-no-reboot',
      '-kernel',
      k
    ])
    expect(q.code).not.toBe(0)
    expect(q.stderr).toMatch(/give a 32bit one/)
  }, 60_000)

  it('accepts an ELF64 multiboot kernel with the a.out kludge and one with a PVH note', async () => {
    const kludge = await link('mb64k', multibootSource({ flags: MB_FLAGS_AOUT }), 64)
    expect(await inspectKernelImage(kludge)).toMatchObject({ format: 'multiboot', container: 'ELF64' })
    const pvh = await link('pvh', multibootSource({ flags: 0, pvh: true }).replace('0x1BADB002', '0x0'), 64)
    // The multiboot magic is gone (its checksum no longer matches): only the PVH note remains.
    expect(await inspectKernelImage(pvh)).toMatchObject({ format: 'pvh-elf', container: 'ELF64' })
  }, 60_000)

  it('accepts the raw a.out-kludge probe kernel; one whose header loads more than the file holds is truncated', async () => {
    const k = join(dir, 'probe.bin')
    const bytes = buildProbeKernel({ message: 'hello from a long enough message\r\n', then: 'exit' })
    await writeFile(k, bytes)
    expect(await inspectKernelImage(k)).toEqual({
      format: 'multiboot',
      container: 'raw',
      bytes: bytes.length
    })
    // The probe kernel loads to the end of the file (load_end_addr 0); name the end, then cut the file.
    const sized = Buffer.from(bytes)
    sized.writeUInt32LE(0x100000 + bytes.length, 20)
    await writeFile(k, sized.subarray(0, bytes.length - 8))
    expect(await refusal(k)).toBe(
      `Input 'kernel' must be a Unikraft kernel image for qemu/x86_64 (a multiboot ELF such as <app>_qemu-x86_64 from a Unikraft build, or .unikraft/build/... from kraft build), got '${k}': truncated: its multiboot header loads ${bytes.length} bytes, the file has ${bytes.length - 8}`
    )
  })

  it('refuses a Linux program, the same program relabelled for aarch64, and a truncated ELF', async () => {
    const prog = await gcc(dir, 'hello', HELLO_C, [])
    expect(await refusal(prog)).toMatch(/an x86_64 Linux program or library, not a kernel/)
    const bytes = await readFile(prog)
    const arm = Buffer.from(bytes)
    arm.writeUInt16LE(183, 18) // e_machine = EM_AARCH64
    await writeFile(join(dir, 'hello-arm'), arm)
    expect(await refusal(join(dir, 'hello-arm'))).toMatch(/an ELF file for ARM64 \(aarch64\), not x86_64/)
    const k = await link('mb32t', multibootSource({ flags: 0 }), 32)
    // Cut inside the last loadable segment, as a broken download would.
    const segments = (await mustRun(['readelf', '-lW', k])).matchAll(
      /^\s+LOAD\s+0x([0-9a-f]+)\s+\S+\s+\S+\s+0x([0-9a-f]+)/gm
    )
    const end = Math.max(...[...segments].map(m => parseInt(m[1], 16) + parseInt(m[2], 16)))
    await truncate(k, end - 2)
    expect(await refusal(k)).toMatch(/truncated: a loadable segment ends at byte \d+, the file has \d+/)
  }, 60_000)

  it('refuses an ARM64 Image, a text file, an empty file, a missing file and a directory', async () => {
    const image = Buffer.alloc(4096)
    image.write('ARM\x64', 0x38, 'latin1')
    await writeFile(join(dir, 'Image'), image)
    expect(await refusal(join(dir, 'Image'))).toMatch(/an ARM64 Linux\/Unikraft image/)
    expect(await refusal('/etc/passwd')).toBe(
      "Input 'kernel' must be a Unikraft kernel image for qemu/x86_64 (a multiboot ELF such as <app>_qemu-x86_64 from a Unikraft build, or .unikraft/build/... from kraft build), got '/etc/passwd': a text file, not a kernel image"
    )
    await writeFile(join(dir, 'empty'), '')
    expect(await refusal(join(dir, 'empty'))).toMatch(/: the file is empty$/)
    expect(await refusal(join(dir, 'nope'))).toMatch(
      /must be a readable kernel image file, got '.*nope': no such file$/
    )
    expect(await refusal(dir)).toMatch(/: not a regular file$/)
  })
})
