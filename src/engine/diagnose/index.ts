// Diagnosis: console log (and the rest of a run) in, named findings with evidence and a hint out.
export { diagnose, diagnoseFile, diagnoseStream, ConsoleDiagnoser, type DiagnoseInput } from './diagnose.js'
export type { ProbeOutcome, RunContext } from './run-rules.js'
export { parseBanner, type BannerInfo } from './banner.js'
export {
  differential,
  type DifferentialKind,
  type DifferentialVerdict,
  type SideOutcome
} from './differential.js'
export { exitCodeFor, formatFindingsJson, formatFindingsText } from './format.js'
export {
  ConsoleNormalizer,
  normalizeConsole,
  normalizeLine,
  type ConsoleSegment
} from './console-normalizer.js'
export { FINDINGS, FINDING_IDS, type FindingId } from './catalog.js'
export type { Finding, Severity } from '../finding.js'
