// Guest memory sizes: `256M`, `1G`, `512` (MiB, as QEMU reads a bare -m). Unikraft images need some
// memory to unpack their root filesystem; below 8 MiB nothing boots at all.
import { totalmem } from 'node:os'
import { badInput } from '../errors.js'

export const MIN_MEMORY_MIB = 8
const ACCEPTED = 'a size like 256M or 1G (at least 8M)'

/** A guest never gets more than the machine has: QEMU would refuse it or the host would swap to death. */
export function maxMemoryMiB(): number {
  return Math.floor(totalmem() / (1024 * 1024))
}

/** Returns MiB; throws a ConfigurationError naming `input` otherwise. */
export function parseMemory(value: string, input = 'memory'): number {
  const m = /^\s*(\d+)\s*(?:([MG])(?:i?B?)?)?\s*$/i.exec(value)
  if (!m) throw badInput(input, ACCEPTED, value)
  const n = Number(m[1])
  const mib = (m[2] ?? 'M').toUpperCase() === 'G' ? n * 1024 : n
  if (!Number.isSafeInteger(mib) || mib < MIN_MEMORY_MIB) throw badInput(input, ACCEPTED, value)
  assertMemoryMiB(mib, input, value)
  return mib
}

/** For sizes that arrive as numbers (VmSpec.memoryMiB). */
export function assertMemoryMiB(mib: number, input = 'memory', shown: string = String(mib)): void {
  if (!Number.isSafeInteger(mib) || mib < MIN_MEMORY_MIB) {
    throw badInput(input, `a whole number of MiB, at least ${MIN_MEMORY_MIB}`, shown)
  }
  const max = maxMemoryMiB()
  if (mib > max) throw badInput(input, `a size like 256M or 1G, at most this machine's ${max}M`, shown)
}
