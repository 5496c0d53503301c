// No QEMU outlives its runner: SIGTERM of the Node process stops its VMs, and a VM left behind by a
// process that was killed outright is found and stopped through its pid file.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { buildProbeKernel } from '../../../src/engine/vm/probe-kernel.js'
import { killFromPidFile, killVmFromPidFile } from '../../../src/engine/vm/vm-registry.js'
import { qemuProcessesMentioning, removeDir, tempDir } from './vm-test-support.js'

const ROOT = new URL('../../../', import.meta.url).pathname
const CHILD = new URL('./vm-child.ts', import.meta.url).pathname

async function gone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
      if (/^\d+ \(.*\) Z /.test(stat)) return true
    } catch {
      return true
    }
    await new Promise(r => setTimeout(r, 50))
  }
  return false
}

describe('VM registry', () => {
  let dir: string
  let child: ChildProcess | undefined
  beforeEach(async () => {
    dir = await tempDir('registry')
  })
  afterEach(async () => {
    child?.kill('SIGKILL')
    for (const pid of await qemuProcessesMentioning(dir)) process.kill(pid, 'SIGKILL')
    await removeDir(dir)
  })

  /** Starts the child runner and resolves with QEMU's pid once the VM runs. */
  async function startChild(): Promise<{ node: ChildProcess; qemu: number; outDir: string }> {
    const kernel = join(dir, 'spin.bin')
    await writeFile(kernel, buildProbeKernel({ message: 'up\n', then: 'spin' }))
    const outDir = join(dir, 'out')
    // One Node process (tsx as a loader, not its CLI, which would add a process in between).
    const node = spawn(process.execPath, ['--import', 'tsx', CHILD, outDir, kernel], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit']
    })
    child = node
    const qemu = await new Promise<number>((resolve, reject) => {
      let out = ''
      node.stdout?.on('data', (d: Buffer) => {
        out += d.toString()
        const m = /READY (\d+)/.exec(out)
        if (m) resolve(Number(m[1]))
      })
      node.once('exit', code => reject(new Error(`child exited early (${code})`)))
    })
    return { node, qemu, outDir }
  }

  it('SIGTERM to the Node process stops its QEMU, and the process still ends as a SIGTERM would end it', async () => {
    const { node, qemu } = await startChild()
    expect(await qemuProcessesMentioning(dir)).toEqual([qemu])
    const exited = new Promise<NodeJS.Signals | null>(r => node.once('exit', (_c, s) => r(s)))
    node.kill('SIGTERM')
    expect(await exited).toBe('SIGTERM')
    expect(await gone(qemu, 3000)).toBe(true)
  }, 60_000)

  it('a QEMU orphaned by a killed runner is stopped through its pid file; a second call finds nothing', async () => {
    const { node, qemu, outDir } = await startChild()
    const exited = new Promise(r => node.once('exit', r))
    node.kill('SIGKILL')
    await exited
    // SIGKILL leaves no chance to clean up: the VM is still there.
    expect(await qemuProcessesMentioning(dir)).toEqual([qemu])
    const first = await killVmFromPidFile(join(outDir, 'qemu.pid'))
    expect(first).toMatchObject({ killed: true, pid: qemu })
    expect(await gone(qemu, 3000)).toBe(true)
    expect(await killVmFromPidFile(join(outDir, 'qemu.pid'))).toMatchObject({ killed: false, pid: null })
  }, 60_000)

  it('a pid file naming a process that is not our QEMU kills nothing', async () => {
    const pidFile = join(dir, 'qemu.pid')
    await writeFile(pidFile, `${process.pid}\n/tmp/some/qmp.sock\n`)
    expect(await killVmFromPidFile(pidFile)).toMatchObject({ killed: false, pid: process.pid })
  })

  it('killFromPidFile ends another program of ours that is not a group leader (the docker build client), and only it', async () => {
    const marker = join(dir, 'Dockerfile-marker')
    const child = spawn('sleep', ['300'], { stdio: 'ignore' })
    await new Promise(r => child.once('spawn', r))
    const pidFile = join(dir, 'docker-build.pid')
    // The marker must be in its command line: one that is not makes it someone else's process.
    await writeFile(pidFile, `${child.pid}\n${marker}\n`)
    expect(await killFromPidFile(pidFile, { program: 'sleep', group: false })).toMatchObject({
      killed: false
    })
    expect(child.exitCode).toBeNull()
    await writeFile(pidFile, `${child.pid}\n300\n`)
    const closed = new Promise(r => child.once('close', (_code, signal) => r(signal)))
    expect(await killFromPidFile(pidFile, { program: 'sleep', group: false })).toMatchObject({
      killed: true,
      pid: child.pid,
      detail: `stopped sleep ${child.pid}`
    })
    expect(await closed).toBe('SIGTERM')
  })
})
