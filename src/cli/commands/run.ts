// `unikraft-compat run [APP_DIR] [options]`: the same check as the action, in a terminal.
import { resolve } from 'node:path'
import { runCheck } from '../../engine/check/run-check.js'
import { resolveCheckOptions } from '../../engine/config/resolve.js'
import { ExitCode, interruptedExitCode } from '../../engine/errors.js'
import { renderTextReport } from '../../engine/report/text-report.js'
import { shippedKernelStoreDir } from '../../engine/version.js'
import { stopAllVms } from '../../engine/vm/index.js'
import { parse, RUN_OPTIONS, runInputs } from '../args.js'
import { cliEngineDeps } from '../engine-deps.js'
import { createProgress } from '../progress.js'
import type { Terminal } from '../terminal.js'

export async function runCommand(args: string[], term: Terminal): Promise<number> {
  const parsed = parse('run', args, RUN_OPTIONS, 1)
  const raw = runInputs(parsed)
  const options = await resolveCheckOptions(raw, {
    cwd: process.cwd(),
    shippedKernelStore: shippedKernelStoreDir()
  })
  const json = parsed.values.json === true
  const outDir = resolve(
    typeof parsed.values.out === 'string'
      ? parsed.values.out
      : `unikraft-compat-out/${options.appId}-${options.guest === 'linux' ? 'linux' : options.unikraftVersion}`
  )
  const progress = createProgress(term, {
    quiet: json || parsed.values.quiet === true,
    verbose: parsed.values.verbose === true
  })
  const abort = new AbortController()
  // Ctrl-C / SIGTERM: stop the VM and any build, start nothing new, still write the result (verdict
  // error, kind interrupted), then exit 130/143. A second signal exits at once.
  const onSignal = (sig: NodeJS.Signals): void => {
    if (abort.signal.aborted) process.exit(interruptedExitCode(sig))
    progress.logger.warning(`${sig}: stopping the check (the result is still written)`)
    abort.abort(sig)
    void stopAllVms()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    const { result } = await runCheck(
      options,
      outDir,
      cliEngineDeps(progress.logger, e => progress.onEvent(e), abort.signal)
    )
    progress.stop()
    if (json) term.out(`${JSON.stringify(result, null, 2)}\n`)
    else term.out(renderTextReport(result, { colour: term.colour, outDir }))
    if (result.verdict === 'pass') return ExitCode.pass
    if (result.verdict === 'fail') return ExitCode.fail
    if (result.error?.kind === 'interrupted')
      return interruptedExitCode(abort.signal.reason as NodeJS.Signals)
    return result.error?.kind === 'configuration' ? ExitCode.usage : ExitCode.infrastructure
  } finally {
    progress.stop()
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
