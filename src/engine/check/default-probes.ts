// The probes of a run when the user configured none, built as specs (never text parsed back).
import type { CheckOptions } from '../config/check-options.js'
import { DEFAULT_ATTEMPT_TIMEOUT_MS, type ProbeSpec } from '../probe/index.js'
import type { GuestKind } from '../vm/vm-types.js'

/**
 * With no probe configured: each forwarded port must be accepted by the guest (tcp), else the
 * program must run to completion with status 0 on Linux. On Unikraft with neither, the run waits for
 * the guest to end (the deadline bounds it) and the verdict rests on the findings.
 */
export function probesFor(options: Pick<CheckOptions, 'probes' | 'ports'>, guest: GuestKind): ProbeSpec[] {
  if (options.probes.length > 0) return [...options.probes]
  if (options.ports.length > 0)
    return options.ports.map((p, i) => ({
      kind: 'tcp',
      input: `default probe ${i + 1}`,
      target: `tcp:${p.guest}`,
      port: p.guest,
      attemptTimeoutMs: DEFAULT_ATTEMPT_TIMEOUT_MS.tcp
    }))
  return guest === 'linux' ? [{ kind: 'exit', input: 'default probe', target: 'exit:0', code: 0 }] : []
}
