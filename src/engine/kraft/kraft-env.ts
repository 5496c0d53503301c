// How every kraft command is run: never interactive, no update checks, no sudo nagging, plain logs
// (the flags for that are part of every argv, see kraft-argv.ts).

/** Environment for kraft: merged over the process environment by the command runner. */
export function kraftEnv(opts: { runtimeDir?: string } = {}): Record<string, string> {
  return {
    KRAFTKIT_NO_CHECK_UPDATES: 'true',
    KRAFTKIT_NO_WARN_SUDO: 'true',
    KRAFTKIT_NO_PROMPT: 'true',
    ...(opts.runtimeDir ? { KRAFTKIT_RUNTIME_DIR: opts.runtimeDir } : {})
  }
}
