// Test helper: a CommandRunner standing in for kraft where no VM must start. It records every argv;
// `kraft run` fails (as a kraft that cannot start QEMU does), `ps` lists nothing, `stop` / `rm` succeed.
import type { CommandRunner, RunResult } from '../../../src/engine/command-runner.js'

export interface StubKraft {
  runner: CommandRunner
  calls: string[][]
}

export function stubKraft(): StubKraft {
  const calls: string[][] = []
  const runner: CommandRunner = {
    run(argv) {
      calls.push([...argv])
      const sub = argv[1]
      const result: RunResult = {
        argv,
        code: sub === 'run' ? 1 : 0,
        signal: null,
        stdout: sub === 'ps' ? 'null' : '',
        stderr: sub === 'run' ? ' E  stub kraft: no VM here\n' : '',
        timedOut: false,
        durationMs: 1
      }
      return Promise.resolve(result)
    }
  }
  return { runner, calls }
}
