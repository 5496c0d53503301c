// Reads `kraft ps -a -o json`: kraft's table printer turns each row into a flat map of lower-cased
// column names to strings (unikraft/kraftkit: internal/tableprinter/render_json.go), `null` when
// there are no machines. With `-l` it adds `machine id`, `ip`, `pid` and a separate `arch` column.
import { InfrastructureError } from '../errors.js'

export type KraftMachineState =
  'created' | 'running' | 'exited' | 'errored' | 'failed' | 'restarting' | 'paused' | 'suspended' | 'unknown'

const STATES: ReadonlySet<string> = new Set([
  'created',
  'running',
  'exited',
  'errored',
  'failed',
  'restarting',
  'paused',
  'suspended',
  'unknown'
])

export interface KraftPort {
  hostIp: string
  host: number
  guest: number
  protocol: string
}

export interface KraftMachine {
  name: string
  kernel: string
  args: string
  /** Humanized, e.g. `3 seconds ago`. */
  created: string
  state: KraftMachineState
  /** The status text as kraft printed it. */
  status: string
  /** e.g. `256Mi`. */
  mem: string
  ports: KraftPort[]
  plat: string
  arch: string | null
  /** `-l` only. */
  id: string | null
  pid: number | null
}

/** `0.0.0.0:8080->80/tcp, :8443->443/tcp` (MachinePorts.String in api/machine/v1alpha1/port.go). */
export function parseKraftPorts(text: string): KraftPort[] {
  const out: KraftPort[] = []
  for (const part of text.split(',')) {
    const m = /^\s*(.*):(\d+)->(\d+)(?:\/(\w+))?\s*$/.exec(part)
    if (m)
      out.push({
        hostIp: m[1],
        host: Number(m[2]),
        guest: Number(m[3]),
        protocol: (m[4] ?? 'tcp').toLowerCase()
      })
  }
  return out
}

function str(row: Record<string, unknown>, key: string): string {
  const v = row[key]
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v)
}

function jsonPart(stdout: string): unknown {
  const text = stdout.trim()
  try {
    return JSON.parse(text)
  } catch {
    // kraft may print log lines before the JSON (older versions log to stdout): take the JSON line.
    const line = text
      .split('\n')
      .reverse()
      .find(l => /^\s*(\[|null\s*$)/.test(l))
    if (line === undefined) throw new Error('no JSON array in the output')
    return JSON.parse(line)
  }
}

export function parseKraftPs(stdout: string): KraftMachine[] {
  let data: unknown
  try {
    data = jsonPart(stdout)
  } catch (err) {
    throw new InfrastructureError(
      `could not read the output of 'kraft ps -o json': ${(err as Error).message}: ${stdout.trim().slice(0, 200)}`
    )
  }
  if (data === null) return []
  if (!Array.isArray(data)) {
    throw new InfrastructureError(`'kraft ps -o json' printed ${typeof data}, expected an array of machines`)
  }
  return data
    .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
    .map(row => {
      const status = str(row, 'status')
      const platText = str(row, 'plat')
      const [plat, archFromPlat] = platText.includes('/') ? platText.split('/', 2) : [platText, '']
      const arch = str(row, 'arch') || archFromPlat || null
      const pidText = str(row, 'pid')
      return {
        name: str(row, 'name'),
        kernel: str(row, 'kernel'),
        args: str(row, 'args'),
        created: str(row, 'created'),
        status,
        state: (STATES.has(status) ? status : 'unknown') as KraftMachineState,
        mem: str(row, 'mem'),
        ports: parseKraftPorts(str(row, 'ports')),
        plat,
        arch,
        id: str(row, 'machine id') || null,
        pid: /^\d+$/.test(pidText) && pidText !== '0' ? Number(pidText) : null
      }
    })
}
