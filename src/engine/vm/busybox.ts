// The static busybox that runs the Linux baseline's init: the host's own (package busybox-static)
// when it is static, else the package downloaded and unpacked into the cache directory.
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { nodeCommandRunner, type CommandRunner } from '../command-runner.js'
import { InfrastructureError } from '../errors.js'
import { aptDownload, dpkgExtract } from './apt-package.js'
import { isStaticX8664Elf } from './elf-static.js'

export const BUSYBOX_PACKAGE = 'busybox-static'
const HOST_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox']

async function staticBusyboxAt(path: string): Promise<boolean> {
  try {
    return await isStaticX8664Elf(path)
  } catch {
    return false
  }
}

/** The host's busybox if it is a static x86-64 binary, else null. */
export async function findHostStaticBusybox(candidates = HOST_CANDIDATES): Promise<string | null> {
  for (const c of candidates) if (await staticBusyboxAt(c)) return c
  return null
}

/** A static busybox: the host's, or busybox-static fetched into `<cacheDir>/busybox-static`. */
export async function ensureBusybox(
  cacheDir: string,
  deps: { runner?: CommandRunner } = {}
): Promise<string> {
  const host = await findHostStaticBusybox()
  if (host) return host
  const dir = join(cacheDir, BUSYBOX_PACKAGE)
  for (const rel of ['bin/busybox', 'usr/bin/busybox']) {
    if (await staticBusyboxAt(join(dir, rel))) return join(dir, rel)
  }
  const runner = deps.runner ?? nodeCommandRunner
  await mkdir(cacheDir, { recursive: true })
  const staging = await mkdtemp(join(cacheDir, '.busybox-'))
  try {
    const deb = await aptDownload(runner, BUSYBOX_PACKAGE, staging)
    await dpkgExtract(runner, deb, join(staging, 'root'))
    try {
      await rename(join(staging, 'root'), dir)
    } catch {
      // another process got there first
    }
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
  for (const rel of ['bin/busybox', 'usr/bin/busybox']) {
    if (await staticBusyboxAt(join(dir, rel))) return join(dir, rel)
  }
  throw new InfrastructureError(
    `no static busybox found (looked at ${HOST_CANDIDATES.join(', ')} and ${dir})`,
    'install it: sudo apt-get install -y busybox-static'
  )
}
