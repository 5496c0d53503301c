// Preflight: what the tree lacks for the command to start, found by reading files before any
// boot: the program, its PIE-ness and machine, its interpreter, its libraries, a script's
// interpreter, and whether the guest has the memory to unpack the tree at all.
import type { Finding, Severity } from '../finding.js'
import { ElfFormatError, isElfMagic, parseShebang, readElf, readHead, type ElfInfo } from './elf.js'
import { ClosureResolver, DEFAULT_LIBRARY_DIRS, resolveClosure } from './closure.js'
import { buildManifest, type Manifest } from './manifest.js'
import { readSpecials } from './specials.js'
import { SymlinkLoopError, TreeView, guestDirname, toGuestPath } from './tree-path.js'
import { walkTree } from './tree-walk.js'

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

export interface PreflightOptions {
  memoryMiB: number
  guest: 'unikraft' | 'linux'
  /** The guest's environment (PATH and LD_LIBRARY_PATH are honoured). */
  env?: Record<string, string>
  /** Working directory in the guest, for a relative command like './app' (default '/'). */
  workdir?: string
  /** A manifest already built for this tree (saves a walk). */
  manifest?: Manifest
  /** Where to look for a missing library to suggest a COPY source (default '/': the host). */
  hintSysroot?: string
}

function finding(
  id: string,
  severity: Severity,
  evidence: string,
  detail: string | null,
  hint: string,
  data?: Finding['data']
): Finding {
  return { id, severity, line: null, evidence, detail, hint, source: 'preflight', ...(data ? { data } : {}) }
}

export interface CommandResolution {
  /** Real guest path of the program, when found. */
  path: string | null
  /** The path as named (PATH entry + name) before resolving symlinks. */
  named: string | null
  /** Set when a candidate exists but cannot be run. */
  problem: 'not-executable' | 'not-a-file' | null
  tried: string[]
}

const isExecutable = (mode: number): boolean => (mode & 0o111) !== 0

/**
 * Finds the command in the tree like execvp: a name with a '/' is a path (relative ones from the
 * working directory); a bare name is searched in PATH. Throws SymlinkLoopError on a loop.
 */
export function resolveCommand(
  treeDir: string,
  name: string,
  opts: { path?: string; workdir?: string } = {}
): CommandResolution {
  const view = new TreeView(treeDir)
  const candidates = name.includes('/')
    ? [name.startsWith('/') ? toGuestPath(name) : toGuestPath(`${opts.workdir ?? '/'}/${name}`)]
    : (opts.path ?? DEFAULT_PATH).split(':').map(d => toGuestPath(`${d || '.'}/${name}`))
  let fallback: CommandResolution | null = null
  for (const c of candidates) {
    const r = view.resolve(c)
    if (!r) continue
    if (!r.stats.isFile()) {
      fallback ??= { path: r.path, named: c, problem: 'not-a-file', tried: candidates }
      continue
    }
    if (!isExecutable(r.stats.mode)) {
      fallback ??= { path: r.path, named: c, problem: 'not-executable', tried: candidates }
      continue
    }
    return { path: r.path, named: c, problem: null, tried: candidates }
  }
  return fallback ?? { path: null, named: null, problem: null, tried: candidates }
}

/** Where the host (or hintSysroot) has a library, for a COPY line that names a real file. */
function hostLibraryPath(name: string, sysroot: string): string {
  const view = new TreeView(sysroot)
  for (const d of DEFAULT_LIBRARY_DIRS) {
    try {
      if (view.resolve(`${d}/${name}`)?.stats.isFile()) return `${d}/${name}`
    } catch {
      // a loop on the host is not this tree's problem
    }
  }
  return `/lib/x86_64-linux-gnu/${name}`
}

const mib = (n: number): string => (n / (1 << 20)).toFixed(1)

async function isEmptyTree(treeDir: string): Promise<boolean> {
  for (const _ of walkTree(treeDir)) return false
  return (await readSpecials(treeDir)).length === 0
}

export async function preflight(treeDir: string, cmd: string[], opts: PreflightOptions): Promise<Finding[]> {
  const findings: Finding[] = []
  if (await isEmptyTree(treeDir)) {
    return [
      finding(
        'rootfs.empty',
        'error',
        `the root filesystem is empty (${treeDir})`,
        null,
        'Nothing to boot: check the rootfs source (a Dockerfile whose last stage copies nothing, an empty directory or archive).'
      )
    ]
  }

  const manifest = opts.manifest ?? (await buildManifest(treeDir))
  const limit = (opts.memoryMiB * (1 << 20)) / 2
  if (manifest.totals.cpioBytes > limit) {
    const want = Math.ceil((2 * manifest.totals.cpioBytes) / (1 << 20) / 64 + 1) * 64
    findings.push(
      finding(
        'memory.out-of-memory',
        'warning',
        `the initrd is ${mib(manifest.totals.cpioBytes)} MiB, more than half of the guest's ${opts.memoryMiB} MiB`,
        `${mib(manifest.totals.cpioBytes)} MiB initrd, ${opts.memoryMiB} MiB memory`,
        `The guest holds the archive and its unpacked copy in RAM: give it at least ${want} MiB (memory: ${want}M), or make the tree smaller.`,
        { initrdBytes: manifest.totals.cpioBytes, memoryMiB: opts.memoryMiB }
      )
    )
  }

  if (cmd.length === 0 || !cmd[0]) {
    findings.push(
      finding(
        'loader.missing-executable',
        'error',
        'no command: cmd is empty and the image has no CMD or ENTRYPOINT',
        null,
        "Set 'cmd' (e.g. cmd: /usr/bin/redis-server /etc/redis/redis.conf) or add CMD to the Dockerfile."
      )
    )
    return findings
  }

  const resolver = new ClosureResolver(treeDir)
  const env = opts.env ?? {}
  const ldLibraryPath = env.LD_LIBRARY_PATH ? env.LD_LIBRARY_PATH.split(':') : undefined
  const hintRoot = opts.hintSysroot ?? '/'
  const loopFinding = (err: SymlinkLoopError): Finding =>
    finding(
      'rootfs.symlink-loop',
      'error',
      err.message,
      err.guestPath,
      `Fix the symlinks in the root filesystem: ${err.chain.slice(0, 3).join(', ')}.`
    )

  let res: CommandResolution
  try {
    res = resolveCommand(treeDir, cmd[0], { path: env.PATH, workdir: opts.workdir })
  } catch (err) {
    if (err instanceof SymlinkLoopError) return [...findings, loopFinding(err)]
    throw err
  }
  if (!res.path || res.problem) {
    const where = cmd[0].includes('/') ? '' : ` (searched ${res.tried.map(guestDirname).join(', ')})`
    const evidence =
      res.problem === 'not-executable'
        ? `${res.named} exists but is not executable (mode ${((resolver.view.lstat(res.path as string)?.mode ?? 0) & 0o7777).toString(8).padStart(4, '0')})`
        : res.problem === 'not-a-file'
          ? `${res.named} is not a regular file`
          : `'${cmd[0]}' is not in the root filesystem${where}`
    const hint =
      res.problem === 'not-executable'
        ? `Make it executable in the image (chmod 755, or COPY --chmod=755 ${res.named} ${res.named}).`
        : `Copy the program into the image (e.g. COPY --from=build ${cmd[0].startsWith('/') ? cmd[0] : '/usr/bin/' + cmd[0]} ${cmd[0].startsWith('/') ? guestDirname(cmd[0]) : '/usr/bin'}/), or fix 'cmd'.`
    findings.push(finding('loader.missing-executable', 'error', evidence, res.named ?? cmd[0], hint))
    return findings
  }

  const seen = new Set<string>()
  const checkProgram = (guestPath: string, shownAs: string, depth: number): void => {
    if (seen.has(guestPath) || depth > 4) return
    seen.add(guestPath)
    const host = resolver.view.hostPath(guestPath)
    const head = readHead(host)
    const shebang = parseShebang(head)
    if (shebang) {
      checkScript(guestPath, shownAs, shebang, depth)
      return
    }
    if (!isElfMagic(head)) {
      const shown = head.subarray(0, 8).toString('hex').replace(/(..)/g, '$1 ').trim()
      findings.push(
        finding(
          'loader.not-elf',
          'error',
          `${shownAs} is neither an ELF program nor a #! script (it starts with ${shown || 'nothing: it is empty'})`,
          shownAs,
          'Point cmd at the program itself (an x86-64 ELF executable).'
        )
      )
      return
    }
    let elf: ElfInfo
    try {
      elf = readElf(host)
    } catch (err) {
      if (!(err instanceof ElfFormatError)) throw err
      findings.push(
        finding(
          'loader.not-elf',
          'error',
          `${shownAs}: broken ELF file (${err.message})`,
          shownAs,
          'Copy the program again: the file in the image is damaged or truncated.'
        )
      )
      return
    }
    if (elf.machineName !== 'x86-64' || elf.elfClass !== 64) {
      findings.push(
        finding(
          'loader.wrong-arch',
          'error',
          `${shownAs} is a ${elf.elfClass}-bit ${elf.machineName} ELF file; the guest is x86-64`,
          elf.machineName,
          'Build or copy the x86-64 (amd64) version of the program (e.g. docker build --platform linux/amd64).'
        )
      )
      return
    }
    if (opts.guest === 'unikraft' && !elf.positionIndependent) {
      findings.push(
        finding(
          'loader.not-pie',
          'error',
          `${shownAs} is a fixed-address ${elf.kind === 'static' ? 'static ' : ''}executable (ELF type EXEC); Unikraft's ELF loader needs a position-independent one`,
          elf.kind,
          'Rebuild it position-independent: gcc -fPIE -pie (the default on Debian and Ubuntu), or -static-pie for a static binary; Go: -buildmode=pie; Rust: the default.'
        )
      )
    }
    let closure
    try {
      closure = resolveClosure(guestPath, { resolver, ldLibraryPath })
    } catch (err) {
      if (err instanceof SymlinkLoopError) {
        findings.push(loopFinding(err))
        return
      }
      throw err
    }
    if (closure.interpreter && !closure.interpreter.realPath) {
      const ip = closure.interpreter.path
      findings.push(
        finding(
          'loader.missing-interpreter',
          'error',
          `${shownAs} asks for the program interpreter ${ip} (PT_INTERP), which is not in the root filesystem`,
          ip,
          `Copy the dynamic loader into the image: COPY --from=build ${ip} ${ip}`,
          { neededBy: [shownAs] }
        )
      )
    }
    const shown = (p: string): string => (p === guestPath ? shownAs : p)
    for (const u of closure.unresolved) {
      const src = hostLibraryPath(u.name, hintRoot)
      const neededBy = u.neededBy.map(shown)
      findings.push(
        finding(
          'loader.missing-library',
          'error',
          `${neededBy.join(', ')} needs ${u.name} (DT_NEEDED), which is not in ${u.searched.length ? u.searched.join(', ') : 'the root filesystem'}`,
          u.name,
          `Copy the library into the image: COPY --from=build ${src} ${guestDirname(src)}/`,
          { neededBy, searched: u.searched }
        )
      )
    }
  }

  const checkScript = (
    guestPath: string,
    shownAs: string,
    sb: { interpreter: string; arg: string | null },
    depth: number
  ): void => {
    const line = `#!${sb.interpreter}${sb.arg ? ' ' + sb.arg : ''}`
    if (opts.guest === 'unikraft') {
      findings.push(
        finding(
          'loader.not-elf',
          'error',
          `${shownAs} is a script (${line}); Unikraft's ELF loader runs ELF programs only`,
          shownAs,
          `Make the interpreter the command: cmd: ${[sb.interpreter, ...(sb.arg ? [sb.arg] : []), shownAs].join(' ')}`
        )
      )
    }
    let ir
    try {
      ir = resolver.view.resolve(sb.interpreter)
    } catch (err) {
      if (err instanceof SymlinkLoopError) {
        findings.push(loopFinding(err))
        return
      }
      throw err
    }
    if (!ir || !ir.stats.isFile()) {
      findings.push(
        finding(
          'loader.missing-interpreter',
          'error',
          `${shownAs} starts with '${line}', and ${sb.interpreter} is not in the root filesystem`,
          sb.interpreter,
          `Copy the script's interpreter into the image (COPY --from=build ${sb.interpreter} ${sb.interpreter}), or change the #! line.`,
          { neededBy: [shownAs] }
        )
      )
      return
    }
    checkProgram(ir.path, sb.interpreter, depth + 1)
    // '#!/usr/bin/env NAME': env then looks NAME up in PATH.
    if (/(^|\/)env$/.test(sb.interpreter) && sb.arg && !sb.arg.startsWith('-')) {
      const name = sb.arg.split(/\s+/)[0]
      const r = resolveCommand(treeDir, name, { path: env.PATH })
      if (!r.path || r.problem) {
        findings.push(
          finding(
            'loader.missing-interpreter',
            'error',
            `${shownAs} starts with '${line}', and '${name}' is not in the PATH of the root filesystem`,
            name,
            `Copy ${name} into the image (e.g. COPY --from=build /usr/bin/${name} /usr/bin/).`,
            { neededBy: [shownAs] }
          )
        )
      } else checkProgram(r.path, r.named ?? name, depth + 1)
    }
  }

  try {
    checkProgram(res.path, res.named ?? cmd[0], 0)
  } catch (err) {
    if (err instanceof SymlinkLoopError) findings.push(loopFinding(err))
    else throw err
  }
  return findings
}
