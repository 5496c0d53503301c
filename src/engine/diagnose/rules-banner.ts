// The banner: `Powered by` and its art (the version comes seven lines later), the MINIMAL one-liner,
// and the Info-level `Unikraft <Codename> (<version>)` line. The banner is printed after the init
// table, so the Info line alone proves a boot only when no init function failed.
import {
  BANNER_ART_LINES,
  isBannerStart,
  parseBannerVersionLine,
  parseInfoVersion,
  parseMinimalBanner,
  type BannerInfo
} from './banner.js'
import { bannerData, seenOf, type FindingSink, type Seen, type Segment } from './rule-support.js'

export class BannerRules {
  /** Lines of art still expected before the version line. */
  pending = 0
  private banner: BannerInfo | null = null
  private infoLine: (Seen & { version: BannerInfo }) | null = null

  constructor(private readonly sink: FindingSink) {}

  /** The version the Info line showed, when it did. */
  get info(): BannerInfo | null {
    return this.infoLine?.version ?? null
  }

  /** The version, when the banner or the Info line showed it. */
  get version(): BannerInfo | null {
    return this.banner ?? this.info
  }

  /** A line while the banner's art is pending: true when it was the version line. */
  versionLine(line: number, text: string): boolean {
    const version = parseBannerVersionLine(text)
    if (version) {
      this.pending = 0
      this.setBanner(version, line, text)
      return true
    }
    this.pending--
    return false
  }

  rule(seg: Segment): boolean {
    if (seg.text.includes('Powered by') || seg.text.includes('Welcome to')) {
      if (isBannerStart(seg.text)) {
        this.pending = BANNER_ART_LINES
        return true
      }
      const minimal = parseMinimalBanner(seg.text)
      if (minimal) {
        this.setBanner(minimal, seg.line, seg.text)
        return true
      }
    }
    if (!seg.msg.includes('Unikraft')) return false
    const info = parseInfoVersion(seg.msg)
    if (info) {
      this.infoLine ??= { ...seenOf(seg), version: info }
      return true
    }
    return false
  }

  private setBanner(version: BannerInfo, line: number, text: string): void {
    if (this.banner) return
    this.banner = version
    this.sink.add('boot.banner', { line, evidence: text.trim() }, `${version.codename} ${version.full}`, {
      once: true,
      data: bannerData(version)
    })
  }

  /** Without the banner, the Info line still proves the boot when no init function failed. */
  finish(initFailed: boolean): void {
    if (this.banner || !this.infoLine || initFailed) return
    const v = this.infoLine.version
    this.sink.add('boot.banner', this.infoLine, `${v.codename} ${v.full}`, {
      once: true,
      data: bannerData(v)
    })
  }
}
