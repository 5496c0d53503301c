// What one attempt of a polled probe (redis, http, tcp, command) gets and gives back.
import type { ProbeEvidence, ProbeResult } from './probe-types.js'

export interface AttemptContext {
  host: string
  /** The forwarded host port (protocol probes). */
  hostPort: number
  /** This attempt's time limit (already capped by the overall deadline). */
  timeoutMs: number
  /** Aborted when the probe no longer needs this attempt (another one passed, the VM ended). */
  signal: AbortSignal
}

export interface AttemptOutcome {
  passed: boolean
  evidence: Omit<ProbeEvidence, 'atMs'>
  output?: ProbeResult['output']
}

/** Why an exchange that produced no reply ended, in words for the evidence. */
export function noReplyNote(
  end: 'timeout' | 'closed' | 'error' | 'aborted' | 'complete',
  connected: boolean,
  timeoutMs: number,
  error?: string
): string {
  if (!connected) {
    if (end === 'error')
      return `connect failed (${error ?? 'error'}): nothing listens on the forwarded host port`
    if (end === 'timeout') return `connect did not complete within ${timeoutMs} ms`
    return 'connection not made'
  }
  switch (end) {
    case 'timeout':
      return `connected, but no reply within ${timeoutMs} ms (QEMU accepts host-side connections itself; the guest did not answer)`
    case 'closed':
      return 'connection closed without a reply (nothing accepted it in the guest)'
    case 'error':
      return `connection failed (${error ?? 'error'}) without a reply`
    case 'aborted':
      return 'attempt abandoned'
    default:
      return 'no reply'
  }
}
