// A sleep that something else can cut short (a console line, an attempt finishing, the VM ending).
// A wake that comes while nobody sleeps is remembered, so the next wait returns at once.
import type { Clock } from '../clock.js'

export class Waker {
  private pending = false
  private ctrl: AbortController | null = null
  constructor(private readonly clock: Clock) {}

  wake(): void {
    if (this.ctrl) this.ctrl.abort()
    else this.pending = true
  }

  async wait(ms: number): Promise<void> {
    if (this.pending || ms <= 0) {
      this.pending = false
      return
    }
    const ctrl = new AbortController()
    this.ctrl = ctrl
    try {
      await this.clock.sleep(ms, ctrl.signal)
    } finally {
      this.ctrl = null
    }
  }
}
