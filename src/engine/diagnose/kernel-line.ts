// Reads the ukdebug prefix of a console segment (lib/ukdebug/print.c):
//   [<secs>.<usecs>] <LEVEL>: [<library>] <file.c @ line> message
// Timestamp, library and source name are each optional (build options), and the source line number
// changes between releases, so rules match the message only, never the prefix.

export type KernelLevel = 'dbg' | 'Info' | 'Warn' | 'ERR' | 'CRIT'

export interface KernelLine {
  /** The level tag, or null for plain output (printf of the app, banner, strace lines). */
  level: KernelLevel | null
  /** The library in brackets, e.g. `libukboot`, when printed. */
  lib: string | null
  /** The text after the prefix (the whole segment when there is no prefix). */
  msg: string
}

// One anchored attempt per segment; every part is bounded, so no backtracking blow-up. Also read:
// the caller `{r:0x126aaf,f:0x11f50}` (CONFIG_LIBUKDEBUG_PRINT_CALLER) and the old source name
// without brackets, `rootfs.c @ 85   : ` (older releases: the 2020-21 logs of app-python3#1 and #5).
const PREFIX =
  /^(?:\[ *\d{1,12}\.\d{1,9}\] ?)?(dbg|Info|Warn|ERR|CRIT): *(?:\{[^{}\s]{1,64}\} *)?(?:\[([^\]\s]{1,64})\] *)?(?:<[^<>\s]{1,128} @ *\d{1,7}> ?|[\w.-]{1,64}\.c @ *\d{1,7} *: ?)?/

export function parseKernelLine(text: string): KernelLine {
  const m = PREFIX.exec(text)
  if (!m) return { level: null, lib: null, msg: text }
  return { level: m[1] as KernelLevel, lib: m[2] ?? null, msg: text.slice(m[0].length) }
}
