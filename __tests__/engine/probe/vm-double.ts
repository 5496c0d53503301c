// A stand-in for our own VmHandle interface (not a third party's): console lines, ports, ending and
// stopping are driven by the test. guestAccepted asks a callback the test wires to a real local
// server, so "the guest accepted" means a real accept happened.
import type { ConsoleLine, VmEndReason, VmHandle, VmResult } from '../../../src/engine/vm/vm-types.js'

export class VmDouble implements VmHandle {
  readonly hostAddress = '127.0.0.1'
  readonly ports: Record<number, number>
  readonly done: Promise<VmResult>
  ended = false
  readyMarks: number[] = []
  stopCalls = 0
  guestAcceptedCalls = 0
  private readonly lines: ConsoleLine[] = []
  private readonly subscribers = new Set<(line: ConsoleLine) => void>()
  private readonly t0 = performance.now()
  private resolveDone!: (r: VmResult) => void

  constructor(
    ports: Record<number, number> = {},
    private readonly accepted: (guestPort: number) => boolean | Promise<boolean> = () => false
  ) {
    this.ports = ports
    this.done = new Promise(resolve => (this.resolveDone = resolve))
  }

  print(...texts: string[]): void {
    for (const text of texts) {
      const line = { n: this.lines.length + 1, text, atMs: this.elapsedMs() }
      this.lines.push(line)
      for (const cb of this.subscribers) cb(line)
    }
  }

  /** Text that reaches consoleText() without being streamed (a last line QEMU flushed as it exited). */
  printUnstreamed(text: string): void {
    this.lines.push({ n: this.lines.length + 1, text, atMs: this.elapsedMs() })
  }

  end(reason: VmEndReason, extra: Partial<VmResult> = {}): void {
    if (this.ended) return
    this.ended = true
    this.resolveDone({
      reason,
      qemuExit: 0,
      qemuSignal: null,
      killedFromOutside: false,
      guestExit: null,
      debugExit: null,
      accel: 'tcg',
      accelReason: 'test double',
      qemuVersion: null,
      qmpEvents: [],
      timeline: {
        spawnMs: 0,
        firstOutputMs: this.lines[0]?.atMs ?? null,
        bannerMs: null,
        readyMs: this.readyMarks[0] ?? null,
        exitMs: this.elapsedMs()
      },
      ports: this.ports,
      consoleLog: '/tmp/vm-double/console.log',
      qemuStderrLog: '',
      consoleTruncated: false,
      argv: [],
      networkProblem: null,
      ...extra
    })
  }

  onConsoleLine(cb: (line: ConsoleLine) => void): () => void {
    for (const line of [...this.lines]) cb(line)
    this.subscribers.add(cb)
    return () => this.subscribers.delete(cb)
  }

  consoleText(): string {
    return this.lines.map(l => `${l.text}\r\n`).join('')
  }

  elapsedMs(): number {
    return performance.now() - this.t0
  }

  async guestAccepted(guestPort: number): Promise<boolean> {
    this.guestAcceptedCalls++
    return this.accepted(guestPort)
  }

  markReady(): void {
    this.readyMarks.push(this.elapsedMs())
  }

  stop(): Promise<VmResult> {
    this.stopCalls++
    this.end('killed')
    return this.done
  }
}
