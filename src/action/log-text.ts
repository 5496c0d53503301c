// The one way text reaches the Actions log as plain output. The runner reads a line as a workflow
// command when, after leading blanks, it starts with `::` (`::add-mask::`, `::stop-commands::`,
// `::warning::`...), or when it holds `##[` anywhere (the older form); see actions/runner,
// ActionCommand.TryParseV2 and TryParse. User-controlled text (paths, commands, app names, console
// lines) must never become one: a zero-width space (U+200B, not a blank to .NET's TrimStart) goes
// before a leading `::` and inside every `##[`, so the line reads the same and means nothing.
const ZWSP = '\u200b'

export function escapeLogText(text: string): string {
  return text
    .split(/(\r\n|\r|\n)/)
    .map(part => {
      if (part === '\r\n' || part === '\r' || part === '\n') return part
      const safe = part.split('##[').join(`##${ZWSP}[`)
      return /^\s*::/.test(safe) ? safe.replace(/^(\s*)::/, `$1${ZWSP}::`) : safe
    })
    .join('')
}
