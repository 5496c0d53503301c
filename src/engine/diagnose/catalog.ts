// Every finding id diagnosis can produce: default severity, meaning, a typical evidence line and the
// hint shown to the user, assembled from one table per family. docs/findings.md documents the same
// table (a test keeps them in step).
import { BOOT_FINDINGS } from './catalog-boot.js'
import { CRASH_MEMORY_FINDINGS } from './catalog-crash-memory.js'
import { HOST_APP_FINDINGS } from './catalog-host-app.js'
import { LOADER_FINDINGS } from './catalog-loader.js'
import { PIPELINE_FINDINGS } from './catalog-pipeline.js'
import { RUNTIME_FINDINGS } from './catalog-runtime.js'
import { TRACE_FINDINGS } from './catalog-trace.js'

export type { CatalogEntry } from './catalog-entry.js'

export const FINDINGS = {
  ...BOOT_FINDINGS,
  ...LOADER_FINDINGS,
  ...RUNTIME_FINDINGS,
  ...CRASH_MEMORY_FINDINGS,
  ...HOST_APP_FINDINGS,
  ...PIPELINE_FINDINGS,
  ...TRACE_FINDINGS
}

export type FindingId = keyof typeof FINDINGS

export const FINDING_IDS = Object.keys(FINDINGS) as FindingId[]

export function hintFor(id: FindingId, detail: string | null): string {
  return FINDINGS[id].hint(detail)
}
