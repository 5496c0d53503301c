// How every kraft command is run: never interactive, no update checks, no sudo nagging, plain logs.
// `--no-prompt` and `--log-type` are persistent flags of kraft's root command (unikraft/kraftkit:
// config/config.go, registered by cmdfactory.AttributeFlags on the root), so every subcommand takes them.

/** Global flags, placed after the subcommand path (`kraft run --no-prompt --log-type basic ...`). */
export const KRAFT_GLOBAL_FLAGS: readonly string[] = ['--no-prompt', '--log-type', 'basic']

/** Environment for kraft: merged over the process environment by the command runner. */
export function kraftEnv(opts: { runtimeDir?: string } = {}): Record<string, string> {
  return {
    KRAFTKIT_NO_CHECK_UPDATES: 'true',
    KRAFTKIT_NO_WARN_SUDO: 'true',
    KRAFTKIT_NO_PROMPT: 'true',
    ...(opts.runtimeDir ? { KRAFTKIT_RUNTIME_DIR: opts.runtimeDir } : {})
  }
}

/** `[kraft, ...command, --no-prompt, --log-type, basic, ...args]`. */
export function kraftArgv(kraftPath: string, command: readonly string[], args: readonly string[]): string[] {
  return [kraftPath, ...command, ...KRAFT_GLOBAL_FLAGS, ...args]
}
