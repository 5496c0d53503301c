// Shared by the root filesystem tests: temporary directories, real programs run from argv (GNU
// cpio and tar as the reference implementations, gcc for real ELF files), small tree builders.
import { spawn } from 'node:child_process'
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export interface Ran {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs argv (never a shell), optionally with a file as stdin and/or a file as stdout. */
export function run(
  argv: string[],
  opts: {
    cwd?: string
    stdinFile?: string
    stdoutFile?: string
    env?: Record<string, string>
    uid?: number
    gid?: number
  } = {}
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const inFd = opts.stdinFile ? openSync(opts.stdinFile, 'r') : 'ignore'
    const outFd = opts.stdoutFile ? openSync(opts.stdoutFile, 'w') : 'pipe'
    const child = spawn(argv[0], argv.slice(1), {
      cwd: opts.cwd,
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
      shell: false,
      uid: opts.uid,
      gid: opts.gid,
      stdio: [inFd, outFd, 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', code => {
      if (typeof inFd === 'number') closeSync(inFd)
      if (typeof outFd === 'number') closeSync(outFd)
      resolve({ code, stdout, stderr })
    })
  })
}

export async function mustRun(argv: string[], opts: Parameters<typeof run>[1] = {}): Promise<string> {
  const r = await run(argv, opts)
  if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}: ${r.stderr}`)
  return r.stdout
}

/** A temporary directory per test file; `cleanup()` in afterAll. */
export async function makeTemp(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `uc-rootfs-${prefix}-`))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** Writes files: path -> content (string/Buffer), creating parents. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [p, content] of Object.entries(files)) {
    const abs = join(root, p)
    mkdirSync(dirname(abs), { recursive: true })
    writeFileSync(abs, content)
  }
}

export const HELLO_C = '#include <stdio.h>\nint main(void) { puts("hello from the tree"); return 0; }\n'

/** Compiles C source with gcc; returns the output path. */
export async function gcc(dir: string, name: string, source: string, flags: string[]): Promise<string> {
  const src = join(dir, `${name}.c`)
  const out = join(dir, name)
  writeFileSync(src, source)
  await mustRun(['gcc', '-o', out, src, ...flags])
  return out
}

export const isRoot = process.getuid?.() === 0

/** `cpio -itv` of an archive (GNU cpio reading our bytes). */
export async function gnuList(archive: string): Promise<string[]> {
  const out = await mustRun(['cpio', '-itv', '--quiet'], { stdinFile: archive })
  return out.split('\n').filter(l => l.trim() !== '')
}

/** `cpio -it` names only. */
export async function gnuNames(archive: string): Promise<string[]> {
  const out = await mustRun(['cpio', '-it', '--quiet'], { stdinFile: archive })
  return out.split('\n').filter(l => l !== '')
}
