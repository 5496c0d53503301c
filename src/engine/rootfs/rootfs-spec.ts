// The `rootfs` input: which kind of source it names (Dockerfile, directory, tarball, cpio
// archive, or binary:PATH), decided from the name and, where the name says nothing, the bytes.
import { readdirSync, statSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { ConfigurationError } from '../errors.js'
import { sniffArchiveFile } from './archive-input.js'
import { readHead, isElfMagic } from './elf.js'

export type RootfsSource =
  | { kind: 'dockerfile'; dockerfile: string; context: string }
  | { kind: 'directory'; path: string }
  | { kind: 'tar'; path: string }
  | { kind: 'cpio'; path: string; gzip: boolean }
  /** `path`: the program's path in the sysroot (absolute). */
  | { kind: 'binary'; path: string }

export const ROOTFS_FORMS =
  "a Dockerfile (a file named like 'Dockerfile', 'app.Dockerfile' or 'Containerfile'), a directory, " +
  "a .tar, .tar.gz or .tgz file, a cpio archive (newc), or 'binary:/path/to/program'"

function reject(spec: string, why: string): ConfigurationError {
  return new ConfigurationError('rootfs', `Input 'rootfs' must be ${ROOTFS_FORMS}, got '${spec}': ${why}`)
}

export function looksLikeDockerfile(name: string): boolean {
  return (
    /^(Dockerfile|Containerfile)([.\-_].*)?$/i.test(name) || /[.\-_](Dockerfile|Containerfile)$/i.test(name)
  )
}

const TREE_DIRS = ['bin', 'sbin', 'usr', 'lib', 'lib64', 'etc']

export async function parseRootfsSpec(spec: string, appDir: string): Promise<RootfsSource> {
  const s = spec.trim()
  if (!s) throw reject(spec, 'it is empty')
  if (s.startsWith('binary:')) {
    const p = s.slice('binary:'.length).trim()
    if (!p) throw reject(spec, 'binary: needs the program path')
    return { kind: 'binary', path: p.startsWith('/') ? p : resolve(appDir, p) }
  }
  const path = resolve(appDir, s)
  let st
  try {
    st = statSync(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const what = looksLikeDockerfile(basename(path)) ? 'the Dockerfile' : ''
    throw reject(
      spec,
      code === 'ENOENT'
        ? `${what ? what + ' ' : ''}'${path}' does not exist`
        : `'${path}' cannot be read (${code})`
    )
  }
  if (st.isDirectory()) {
    let names: string[] = []
    try {
      names = readdirSync(path)
    } catch {
      // unreadable: packing reports it with the path
    }
    const dockerfile = names.find(n => n === 'Dockerfile' || n === 'Containerfile')
    if (dockerfile && !names.some(n => TREE_DIRS.includes(n))) {
      throw reject(
        spec,
        `it is a directory with a ${dockerfile} and no root filesystem in it; to build it, name the file: '${resolve(path, dockerfile)}'`
      )
    }
    return { kind: 'directory', path }
  }
  if (!st.isFile()) throw reject(spec, `'${path}' is neither a file nor a directory`)
  const name = basename(path)
  if (looksLikeDockerfile(name)) return { kind: 'dockerfile', dockerfile: path, context: dirname(path) }
  const sniff = await sniffArchiveFile(path).catch((err: NodeJS.ErrnoException) => {
    throw reject(spec, `'${path}' cannot be read (${err.code ?? err.message})`)
  })
  if (/\.(tar|tar\.gz|tgz)$/i.test(name)) {
    if (sniff.kind !== 'tar') throw reject(spec, `'${path}' is named like a tarball but is not a tar archive`)
    return { kind: 'tar', path }
  }
  if (sniff.kind === 'cpio') return { kind: 'cpio', path, gzip: sniff.gzip }
  if (sniff.kind === 'tar') return { kind: 'tar', path }
  if (/\.cpio(\.gz)?$/i.test(name))
    throw reject(spec, `'${path}' is named like a cpio archive but does not start with the newc magic 070701`)
  if (isElfMagic(readHead(path, 4))) {
    throw reject(spec, `'${path}' is a program; to build a root filesystem around it use 'binary:${path}'`)
  }
  throw reject(spec, `'${path}' is not a Dockerfile, a tar archive or a cpio archive`)
}
