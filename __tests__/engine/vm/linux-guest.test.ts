import { describe, expect, it } from '@jest/globals'
import { LINUX_MIN_MEMORY_MIB, linuxMemoryMiB } from '../../../src/engine/vm/linux-guest.js'

describe('the memory of a Linux guest', () => {
  it.each([
    [64, LINUX_MIN_MEMORY_MIB],
    [LINUX_MIN_MEMORY_MIB, LINUX_MIN_MEMORY_MIB],
    [256, 256]
  ])(
    'asked %i MiB, QEMU gives %i MiB: never below what a Linux kernel needs to print at all',
    (asked, got) => {
      expect(linuxMemoryMiB(asked)).toBe(got)
    }
  )
})
