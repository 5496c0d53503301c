// `unikraft-compat setup [--check]`: what a run needs (QEMU, the Linux baseline kernel and busybox,
// KraftKit), what is there, and, unless --check, installs what is missing.
import { join } from 'node:path'
import { nodeCommandRunner } from '../../engine/command-runner.js'
import { toError } from '../../engine/errors.js'
import { inputDefault } from '../../engine/config/inputs.js'
import { installKraftkit } from '../../engine/setup/kraftkit-install.js'
import { checkQemu, ensureQemu } from '../../engine/setup/qemu-setup.js'
import { ensureBusybox, ensureLinuxKernel } from '../../engine/vm/index.js'
import { createFetchDownloader } from '../../engine/setup/fetch-download.js'
import {
  createDirectoryToolCache,
  defaultCacheRoot,
  noopPersistentCache
} from '../../engine/setup/tool-cache.js'
import { createConsoleLogger } from '../../engine/logger.js'
import { COMMON_OPTIONS, parse } from '../args.js'
import type { Terminal } from '../terminal.js'

interface Item {
  name: string
  ok: boolean
  detail: string
}

export async function setupCommand(args: string[], term: Terminal): Promise<number> {
  const { values } = parse(
    'setup',
    args,
    { ...COMMON_OPTIONS, check: { type: 'boolean' }, 'kraftkit-version': { type: 'string' } },
    0
  )
  const check = values.check === true
  const logger = createConsoleLogger({ verbose: values.verbose === true, write: l => term.err(`${l}\n`) })
  const runner = nodeCommandRunner
  const cache = defaultCacheRoot()
  const items: Item[] = []
  const attempt = async (name: string, fn: () => Promise<string>): Promise<void> => {
    try {
      items.push({ name, ok: true, detail: await fn() })
    } catch (err) {
      items.push({ name, ok: false, detail: toError(err).message.split('\n')[0] })
    }
  }
  await attempt('QEMU', async () => {
    const q = check
      ? await checkQemu({ runner, logger })
      : await ensureQemu({ runner, logger }, { install: true })
    if (!q.ok) throw new Error(q.problem ?? 'not usable; would run: apt-get install qemu-system-x86')
    return `${q.path} (${q.version})`
  })
  if (check) {
    items.push({
      name: 'Linux baseline kernel',
      ok: true,
      detail: `would be fetched into ${join(cache, 'linux')} with apt-get download (if not cached)`
    })
  } else {
    await attempt('Linux baseline kernel', async () => {
      const k = await ensureLinuxKernel(join(cache, 'linux'), { runner, logger })
      return `${k.package} ${k.version} (${k.kernel})`
    })
    await attempt('busybox (static)', async () => ensureBusybox(cache, { runner }))
  }
  const version =
    typeof values['kraftkit-version'] === 'string'
      ? values['kraftkit-version']
      : (inputDefault('kraftkit-version') ?? '')
  const toolCache = createDirectoryToolCache()
  if (check) {
    const found = toolCache.find('kraftkit', version.replace(/^v/, ''), 'amd64')
    items.push({
      name: `KraftKit ${version}`,
      ok: found !== null,
      detail: found ?? 'not installed; would download it from the KraftKit release and verify its sha256'
    })
  } else {
    await attempt(`KraftKit ${version}`, async () => {
      const k = await installKraftkit(
        { version, arch: 'x86_64' },
        { download: createFetchDownloader(), toolCache, logger, runner, persistentCache: noopPersistentCache }
      )
      return k.path
    })
  }
  if (values.json) term.out(`${JSON.stringify({ check, items }, null, 2)}\n`)
  else for (const i of items) term.out(`${i.ok ? 'ok     ' : 'missing'} ${i.name}: ${i.detail}\n`)
  return items.every(i => i.ok) ? 0 : 3
}
