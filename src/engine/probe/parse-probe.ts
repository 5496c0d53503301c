// Turns the user's probes (the one-string form of `--probe`/`probe`, or a config-file object) into
// validated ProbeSpecs. Every mistake is one ConfigurationError naming the input and the accepted form,
// raised before anything boots. docs/probes.md documents both forms: parse-probe-string.ts and
// parse-probe-object.ts read them, probe-specs.ts builds the specs, probe-forms.ts words the errors.
import { parseProbeObject } from './parse-probe-object.js'
import { parseProbeString } from './parse-probe-string.js'
import { wrong } from './probe-forms.js'
import type { ProbeSpec } from './probe-types.js'

export {
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_HTTP_PORT,
  DEFAULT_REDIS_PORT,
  OBJECT_FORMS,
  STRING_FORMS
} from './probe-forms.js'
export { quoteWord } from './probe-specs.js'

/** Parses one probe, from the string form or a config-file object. */
export function parseProbe(input: string | object, inputName: string): ProbeSpec {
  if (typeof input === 'string') return parseProbeString(input, inputName)
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    return parseProbeObject(input as Record<string, unknown>, inputName)
  }
  throw wrong(
    inputName,
    null,
    input,
    `a probe is a string or an object, got ${Array.isArray(input) ? 'a list' : typeof input}`
  )
}

/** Parses a list of probes, naming each `<listName>[i]` (1-based) in errors. */
export function parseProbes(inputs: readonly (string | object)[], listName = 'probe'): ProbeSpec[] {
  return inputs.map((p, i) => parseProbe(p, `${listName}[${i + 1}]`))
}

/** The guest ports the probes talk to, in first-use order: the runner forwards them automatically. */
export function guestPortsOf(specs: readonly ProbeSpec[]): number[] {
  const ports: number[] = []
  for (const s of specs) {
    if ((s.kind === 'redis' || s.kind === 'http' || s.kind === 'tcp') && !ports.includes(s.port))
      ports.push(s.port)
  }
  return ports
}
