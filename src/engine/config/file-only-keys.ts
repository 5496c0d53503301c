// The config keys no input has (workdir, build-args, target, files, packages, services): read from
// the config file alone, each bad value one error naming the key and its line.
import { badInput } from '../errors.js'
import type { CheckOptions } from './check-options.js'
import { configLabel, type ConfigFile, type ConfigKey } from './config-file.js'
import { parseServices } from './services.js'

export type FileOnlyOptions = Pick<
  CheckOptions,
  'workdir' | 'buildArgs' | 'target' | 'files' | 'packages' | 'services'
>

export function fileOnlyOptions(cfg: ConfigFile | null): FileOnlyOptions {
  if (cfg === null)
    return { workdir: null, buildArgs: {}, target: null, files: [], packages: [], services: [] }
  const workdir = cfg.values.workdir
  if (workdir != null && (typeof workdir !== 'string' || !workdir.startsWith('/'))) {
    throw badInput(configLabel(cfg, 'workdir'), 'an absolute path inside the guest', workdir)
  }
  const buildArgsV = cfg.values['build-args']
  const buildArgs: Record<string, string> = {}
  if (buildArgsV != null) {
    if (typeof buildArgsV !== 'object' || Array.isArray(buildArgsV)) {
      throw badInput(configLabel(cfg, 'build-args'), 'a mapping of NAME: value', buildArgsV)
    }
    for (const [k, v] of Object.entries(buildArgsV)) buildArgs[k] = String(v)
  }
  const files = listFromConfig(cfg, 'files', 'SRC:DEST entries (SRC relative to the app directory)')
  const packages = listFromConfig(cfg, 'packages', 'Debian package names')
  for (const p of packages) {
    if (!/^[a-z0-9][a-z0-9+.-]+$/.test(p))
      throw badInput(configLabel(cfg, 'packages'), 'Debian package names', p)
  }
  const target = cfg.values.target
  const services = parseServices(cfg.values.services, cfg.path, i =>
    i < 0 ? configLabel(cfg, 'services') : configLabel(cfg, `services[${i}]`, 'services')
  )
  return {
    workdir: typeof workdir === 'string' ? workdir : null,
    buildArgs,
    target: typeof target === 'string' ? target : null,
    files,
    packages,
    services
  }
}

function listFromConfig(cfg: ConfigFile, key: ConfigKey, accepted: string): string[] {
  const v = cfg.values[key]
  if (v == null) return []
  if (!Array.isArray(v) || !v.every(x => typeof x === 'string' && x.trim() !== '')) {
    throw badInput(configLabel(cfg, key), `a list of ${accepted}`, v)
  }
  return v.map(x => x.trim())
}
