// Checks a VmSpec before anything starts, so bad input ends with one clear error naming the input
// and nothing is left running: kernel and initrd files, memory, ports, deadlines, command.
import { ConfigurationError, badInput } from '../errors.js'
import { openRegularFile } from './input-file.js'
import { inspectKernelImage } from './kernel-image.js'
import { assertMemoryMiB } from './memory.js'
import { validatePortForwards } from './port-forwards.js'
import type { VmSpec } from './vm-types.js'

async function readHead(path: string, input: string, what: string): Promise<Buffer> {
  const refuse = (why: string): ConfigurationError =>
    new ConfigurationError(input, `Input '${input}' must be a readable ${what} file, got '${path}' (${why})`)
  const fh = await openRegularFile(path, refuse)
  try {
    if ((await fh.stat()).size === 0) throw refuse('empty')
    const head = Buffer.alloc(6)
    const { bytesRead } = await fh.read(head, 0, 6, 0)
    return head.subarray(0, bytesRead)
  } finally {
    await fh.close()
  }
}

export async function checkKernelFile(path: string, input = 'kernel'): Promise<void> {
  await inspectKernelImage(path, input)
}

/** Returns the archive's form; a gzip archive is accepted for the Linux baseline only. */
export async function checkInitrdFile(
  path: string,
  guest: VmSpec['guest'],
  input = 'initrd'
): Promise<'cpio' | 'gzip'> {
  const head = await readHead(path, input, 'cpio archive')
  const magic = head.toString('latin1')
  if (magic === '070701' || magic === '070702') return 'cpio'
  if (head[0] === 0x1f && head[1] === 0x8b) {
    if (guest === 'linux') return 'gzip'
    throw new ConfigurationError(
      input,
      `Input '${input}' must be an uncompressed cpio archive (newc) for Unikraft, got a gzip file '${path}'`
    )
  }
  const shown = JSON.stringify(magic.replace(/[^\x20-\x7e]/g, '.'))
  throw new ConfigurationError(
    input,
    `Input '${input}' must be a cpio archive (newc, magic 070701), got '${path}' starting with ${shown}`
  )
}

/** What every runner of a guest takes (startVm, and `runner: kraft` through kraft run). */
export type RunShape = Pick<
  VmSpec,
  'memoryMiB' | 'ports' | 'timeoutMs' | 'bootTimeoutMs' | 'consoleCap' | 'env' | 'cmd'
>

/** Memory, ports, deadlines, console cap, env and cmd: the same errors whichever runner boots the guest. */
export function checkRunShape(spec: RunShape): void {
  assertMemoryMiB(spec.memoryMiB)
  validatePortForwards(spec.ports)
  if (!Number.isFinite(spec.timeoutMs) || spec.timeoutMs <= 0) {
    throw badInput('timeout', 'a positive duration like 60s', String(spec.timeoutMs))
  }
  if (spec.bootTimeoutMs !== undefined && (!Number.isFinite(spec.bootTimeoutMs) || spec.bootTimeoutMs <= 0)) {
    throw badInput('boot-timeout', 'a positive duration like 30s', String(spec.bootTimeoutMs))
  }
  if (spec.consoleCap !== undefined && (!Number.isInteger(spec.consoleCap) || spec.consoleCap < 1024)) {
    throw badInput('console-cap', 'a size of at least 1 KiB', String(spec.consoleCap))
  }
  for (const [k, v] of Object.entries(spec.env)) {
    if (k === '' || k.includes('=') || /[\0]/.test(k + v)) {
      throw new ConfigurationError(
        'env',
        `Input 'env' must be NAME=value pairs without NUL bytes, got '${k}'`
      )
    }
  }
  spec.cmd.forEach((a, i) => {
    if (a.includes('\0'))
      throw new ConfigurationError('cmd', `Input 'cmd': argument ${i} contains a NUL byte`)
  })
}

/** The parts of a spec that need no file system. */
export function checkSpecShape(spec: VmSpec): void {
  checkRunShape(spec)
  if (spec.guest === 'unikraft' && spec.initrd !== undefined && spec.cmd.length === 0) {
    throw new ConfigurationError(
      'cmd',
      "Input 'cmd' must name the program to run in the root filesystem, got nothing"
    )
  }
}
