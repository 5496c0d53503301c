// Terminal control removal for one console line: ANSI/VT escape sequences (SeaBIOS's `ESC c ESC[2J`,
// Unikraft's coloured level tags) and stray control bytes (NULs from the serial port).
// Every pattern is linear: character classes are disjoint, nothing nests, no sequence spans lines.

// CSI (ESC [ params intermediates final), OSC (ended by BEL or ESC \), 8-bit CSI, and the two-byte
// forms (ESC c, ESC ( B, ...). A lone ESC that starts none of them is dropped by the last branch.
const CONTROL_SEQUENCE =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]|\x1b|\x9b[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g

// Anything worth removing: ESC, 8-bit CSI or a control byte other than tab and CR.
const HAS_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x9b]/

/** The line without escape sequences and control bytes; tab and carriage return are kept. */
export function stripControls(line: string): string {
  return HAS_CONTROL.test(line) ? line.replace(CONTROL_SEQUENCE, '') : line
}
