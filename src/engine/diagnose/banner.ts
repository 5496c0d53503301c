// The Unikraft version, from the banner (lib/ukboot/banner.c) or the Info-level boot line:
//   ASCII art ("Powered by" + 5 lines of art + right-aligned `Calypso 0.17.0~484ff209`),
//   the classic art ("Welcome to" + 4 lines), MINIMAL (`Powered by Unikraft Calypso (0.17.0~484ff209)`),
//   and `Unikraft Calypso (0.17.0~484ff209)` printed by the platform at Info level.
import { normalizeConsole } from './console-normalizer.js'
import { parseKernelLine } from './kernel-line.js'

export type BannerForm = 'ascii' | 'minimal' | 'info'

export interface BannerInfo {
  /** `0.17.0` */
  version: string
  /** `Calypso` */
  codename: string
  /** `484ff209`, when the build recorded one. */
  commit: string | null
  /** The version as printed, e.g. `0.17.0~484ff209`. */
  full: string
  form: BannerForm
}

/** Lines of art between `Powered by` (or `Welcome to`) and the version line. */
export const BANNER_ART_LINES = 7

// UK_FULLVERSION: <maj>.<min>.<patch>[extra][~<sha>[-dirty...]]
const FULL_VERSION = /^(\d{1,4}\.\d{1,4}\.\d{1,4})([^~\s()]{0,32})(?:~([0-9A-Za-z]{1,64})[^\s()]{0,32})?$/
const CODENAME = /^[A-Za-z][\w-]{0,31}$/

function fromParts(codename: string, full: string, form: BannerForm): BannerInfo | null {
  const v = FULL_VERSION.exec(full)
  if (!v || !CODENAME.test(codename)) return null
  return { version: v[1], codename, commit: v[3] ?? null, full, form }
}

/** `Calypso` and `0.17.0~484ff209` as printed elsewhere (the crash screen), when they are a version. */
export function parseVersionParts(codename: string, full: string): BannerInfo | null {
  return fromParts(codename, full, 'info')
}

/** `Powered by` alone, or the classic `Welcome to  _ __` art: a banner whose version comes later. */
export function isBannerStart(text: string): boolean {
  const t = text.trim()
  return t === 'Powered by' || /^Welcome to +_/.test(t)
}

// One anchored attempt: the codename, one space, the version, nothing else on the line.
const VERSION_LINE = /^\s*([A-Za-z][\w-]{0,31}) (\d{1,4}\.\d{1,4}\.\d{1,4}[^\s()]{0,100})\s*$/

/** The right-aligned `Calypso 0.17.0~484ff209` line that ends the ASCII-art banner. */
export function parseBannerVersionLine(text: string): BannerInfo | null {
  const m = VERSION_LINE.exec(text)
  return m ? fromParts(m[1], m[2], 'ascii') : null
}

const MINIMAL = /^Powered by Unikraft ([^\s()]{1,32}) \(([^\s()]{1,100})\)/
const INFO = /\bUnikraft ([A-Z][\w-]{0,31}) \(([^\s()]{1,100})\)/

/** `Powered by Unikraft Calypso (0.17.0~484ff209)` */
export function parseMinimalBanner(text: string): BannerInfo | null {
  const m = MINIMAL.exec(text.trim())
  return m ? fromParts(m[1], m[2], 'minimal') : null
}

/** `Info: [libkvmplat] <bootinfo.c @ 56> Unikraft Calypso (0.17.0~484ff209)` (message part). */
export function parseInfoVersion(msg: string): BannerInfo | null {
  if (msg.startsWith('Powered by')) return null
  const m = INFO.exec(msg)
  return m ? fromParts(m[1], m[2], 'info') : null
}

/**
 * The first banner in a console text (any number of lines). The banner proper wins over the
 * Info-level line printed before it, since only the banner proves the boot got past init.
 */
export function parseBanner(text: string | Buffer): BannerInfo | null {
  let info: BannerInfo | null = null
  let pending = 0
  for (const seg of normalizeConsole(text)) {
    if (pending > 0) {
      const b = parseBannerVersionLine(seg.text)
      if (b) return b
      pending--
    }
    if (isBannerStart(seg.text)) {
      pending = BANNER_ART_LINES
      continue
    }
    const minimal = parseMinimalBanner(seg.text)
    if (minimal) return minimal
    info ??= parseInfoVersion(parseKernelLine(seg.text).msg)
  }
  return info
}
