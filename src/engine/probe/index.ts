// Probes and verdicts: parse what the user asked for, probe a running VM until it is ready, decide.
export type * from './probe-types.js'
export {
  parseProbe,
  parseProbes,
  guestPortsOf,
  STRING_FORMS,
  OBJECT_FORMS,
  DEFAULT_ATTEMPT_TIMEOUT_MS
} from './parse-probe.js'
export { runProbes, isReadinessProbe, type RunProbesOptions } from './run-probes.js'
export {
  computeVerdict,
  applyAllowList,
  type Verdict,
  type VerdictInput,
  type VerdictResult
} from './verdict.js'
