// The strace a traced Linux baseline copies into its initrd: found on the host, with its loader and
// library closure, or a clear InfrastructureError. Uses the host's real strace (Debian's package).
import { mkdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { InfrastructureError } from '../../../src/engine/errors.js'
import { resolveClosure } from '../../../src/engine/rootfs/closure.js'
import { findHostStrace, straceBundle } from '../../../src/engine/vm/linux-strace.js'
import { removeDir, staticBusybox, tempDir } from './vm-test-support.js'

describe('the strace of a traced Linux baseline', () => {
  let dir: string
  beforeAll(async () => {
    dir = await tempDir('strace-unit')
  })
  afterAll(() => removeDir(dir))

  it('is found on PATH', async () => {
    const found = await findHostStrace()
    expect(found).toMatch(/\/strace$/)
    expect((await stat(found)).isFile()).toBe(true)
  })

  it('missing from the host: an InfrastructureError naming strace and the apt-get fix', async () => {
    const empty = join(dir, 'empty')
    await mkdir(empty)
    // A directory named strace is no program.
    await mkdir(join(empty, 'sub', 'strace'), { recursive: true })
    const err = await findHostStrace([empty, join(empty, 'sub'), 'relative/dir']).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InfrastructureError)
    expect((err as InfrastructureError).message).toBe(
      `tracing the app on the Linux baseline needs strace, which is not installed on this machine (looked in ${empty}, ${join(empty, 'sub')})`
    )
    expect((err as InfrastructureError).hint).toMatch(/apt-get install strace$/)
  })

  it("the host's strace: itself, its loader as ld.so and each library by its DT_NEEDED name, under .ukc/strace", async () => {
    const strace = await findHostStrace()
    const closure = resolveClosure(strace, { sysroot: '/' })
    const b = await straceBundle(strace)
    expect(b.loader).toBe(true)
    const files = b.entries.filter(e => e.type === 'file')
    expect(b.entries.filter(e => e.type === 'dir').map(e => e.path)).toEqual([
      '.ukc/strace',
      '.ukc/strace/lib'
    ])
    expect(files.map(e => [e.path, e.source])).toEqual([
      ['.ukc/strace/strace', closure.program.realPath],
      ['.ukc/strace/ld.so', closure.interpreter?.realPath],
      ...closure.libraries.map(l => [`.ukc/strace/lib/${l.name}`, l.realPath])
    ])
    expect(files.map(e => e.path)).toContain('.ukc/strace/lib/libc.so.6')
    const sizes = await Promise.all(files.map(async e => (await stat(e.source as string)).size))
    expect(files.map(e => e.size)).toEqual(sizes)
    expect(b.bytes).toBe(sizes.reduce((a, n) => a + n, 0))
  })

  it('a static strace needs no loader and no library', async () => {
    // Any static x86-64 program stands in for a static strace build.
    const b = await straceBundle(await staticBusybox())
    expect(b.loader).toBe(false)
    expect(b.entries.filter(e => e.type === 'file').map(e => e.path)).toEqual(['.ukc/strace/strace'])
  })

  it('a file that is no program: an InfrastructureError, not a configuration error of the user', async () => {
    const fake = join(dir, 'strace')
    await writeFile(fake, '#!/bin/sh\n', { mode: 0o755 })
    const err = await straceBundle(fake).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InfrastructureError)
    expect((err as Error).message).toBe(
      `cannot use ${fake} to trace the app on the Linux baseline: it is no ELF program`
    )
    const gone = await straceBundle(join(dir, 'nothing')).catch((e: unknown) => e)
    expect(gone).toBeInstanceOf(InfrastructureError)
    expect((gone as Error).message).toMatch(/: it is no executable file$/)
  })
})
