// The boot: the init table, the hardware RNG, the root filesystem (initrd found, unpacked, mounted),
// and the application's entry point.
import type { BannerInfo } from './banner.js'
import { describeErrno } from './errno.js'
import type { Finding } from '../finding.js'
import { bannerData, lowerOf, seenOf, type FindingSink, type Segment } from './rule-support.js'

// Unikraft's own root mount (lib/vfscore): `Failed to mount /: <n>` (0.5, app-python3#5),
// `Failed to mount <dev> (<fs>) at /: <n>` (0.7 to 0.14), `Parameter 'vfs.rootfs' is invalid`.
// `Failed to mount ramfs to "/"` is the initrd's extraction step: boot.initrd-failed.
const ROOT_MOUNT = /\bFailed to mount (?:\/|([^\s()]{1,64}) \(([^\s()]{1,32})\) at \/): ?(-?\d{1,5})?/
const ROOTFS_PARAM = /Parameter 'vfs\.rootfs' is invalid/

export class BootRules {
  initFailed = false
  private oomSeen = false

  /** `info`: the version from the Info line, when seen (recorded with an init failure). */
  constructor(
    private readonly sink: FindingSink,
    private readonly info: () => BannerInfo | null
  ) {}

  rule(seg: Segment): boolean {
    const { msg } = seg
    // `Init function at 0x... returned error -95` (0.16, 0.17); `Early init function ...` and
    // similar wordings of other releases.
    const init =
      seg.level !== null && /init/i.test(msg)
        ? (/\binit function at (0x[0-9a-fA-F]{1,16}) returned error (-?\d{1,5})/i.exec(msg) ??
          /\binit[^\n]{0,60}? returned (?:error )?()(-\d{1,5})\b/i.exec(msg))
        : null
    if (init) {
      this.initFailed = true
      const data: Finding['data'] = { error: Number(init[2]) }
      if (init[1]) data.function = init[1]
      const info = this.info()
      if (info) Object.assign(data, bannerData(info))
      this.sink.add('boot.init-failed', seenOf(seg), describeErrno(init[2]), { once: true, data })
      if (init[2] === '-12')
        this.sink.add('memory.out-of-memory', seenOf(seg), 'an init function ran out (ENOMEM)', {
          once: true
        })
      return true
    }
    if (this.isRngFailure(seg)) {
      const code = /\((-\d{1,5})\)/.exec(msg)?.[1] ?? null
      this.sink.add('boot.rng-unavailable', seenOf(seg), code ? describeErrno(code) : null, { once: true })
      return true
    }
    if (msg.includes('Failed to load content')) {
      // libukcpio could not write a file into the RAM filesystem: memory ran out while unpacking.
      this.oomSeen = true
      const file = /^(\/[^\s:]{1,256}): Failed to load content/.exec(msg)?.[1]
      this.sink.add('memory.out-of-memory', seenOf(seg), 'unpacking the initrd', {
        once: true,
        data: file ? { file } : undefined
      })
      return true
    }
    if (this.rootMount(seg)) return true
    if (this.isInitrdFailure(seg)) {
      // After an out-of-memory while unpacking, the extraction failure is its consequence.
      if (!this.oomSeen) this.sink.add('boot.initrd-failed', seenOf(seg), null, { once: true })
      return true
    }
    if (msg.includes('weak main() called')) {
      this.sink.add('entry.weak-main', seenOf(seg), null, { once: true })
      return true
    }
    return false
  }

  private rootMount(seg: Segment): boolean {
    if (seg.level === null) return false
    const { msg } = seg
    if (msg.includes('Failed to mount') && !msg.includes('Failed to mount ramfs to')) {
      const m = ROOT_MOUNT.exec(msg)
      if (!m) return false
      const data: Finding['data'] = {}
      if (m[3] !== undefined) data.error = Number(m[3])
      if (m[2]) Object.assign(data, { device: m[1], filesystem: m[2] })
      this.sink.add('boot.root-mount-failed', seenOf(seg), m[2] ? `${m[1]} (${m[2]})` : null, {
        once: true,
        data
      })
      return true
    }
    if (msg.includes('vfs.rootfs') && ROOTFS_PARAM.test(msg)) {
      this.sink.add('boot.root-mount-failed', seenOf(seg), 'no root filesystem type (vfs.rootfs)', {
        once: true
      })
      return true
    }
    return false
  }

  private isRngFailure(seg: Segment): boolean {
    if (seg.msg.includes('Could not initialize the HWRNG')) return true
    // Other wordings, only from Unikraft's ERR/CRIT lines (a Linux guest's dmesg talks about RDRAND
    // too, and newer releases only warn when RDSEED is missing): `The CPU does not implement
    // RDRAND`, `Could not initialize: No entropy source available`.
    if (seg.level !== 'ERR' && seg.level !== 'CRIT') return false
    const lower = lowerOf(seg)
    if (lower.includes('no entropy source') || lower.includes('collect entropy')) return true
    if (!lower.includes('rng') && !lower.includes('rdseed') && !lower.includes('rdrand')) return false
    return (
      /\b(?:HWRNG|hardware RNG|RDSEED|RDRAND)\b/i.test(seg.msg) &&
      /\b(?:could not|cannot|failed|not supported|not available|unavailable|does not implement)\b/i.test(
        seg.msg
      )
    )
  }

  private isInitrdFailure(seg: Segment): boolean {
    const lower = lowerOf(seg)
    if (!lower.includes('initrd') && !lower.includes('cpio') && !lower.includes('ramfs')) return false
    const msg = seg.msg
    if (/Could not find an initrd|Bad magic number in CPIO header|Failed to extract cpio archive/i.test(msg))
      return true
    // Other wordings, only from Unikraft itself (its lines name the library, e.g. [libukcpio]).
    return (
      seg.level !== null &&
      /\b(?:initrd|cpio|ramfs)\b/i.test(msg) &&
      /\b(?:failed|could not|cannot|missing|not found|no image)\b/i.test(msg)
    )
  }
}
