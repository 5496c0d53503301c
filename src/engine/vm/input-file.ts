// Opening a file an input names (kernel, initrd): one wording for why it cannot be read.
import { open, type FileHandle } from 'node:fs/promises'

/** `no such file`, `permission denied`, or the error's code. */
export function whyUnreadable(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? String(e))
}

/** The open file, or `refuse(why)` thrown when it cannot be opened or is not a regular file. */
export async function openRegularFile(path: string, refuse: (why: string) => Error): Promise<FileHandle> {
  let fh: FileHandle
  try {
    fh = await open(path, 'r')
  } catch (e) {
    throw refuse(whyUnreadable(e))
  }
  if (!(await fh.stat()).isFile()) {
    await fh.close()
    throw refuse('not a regular file')
  }
  return fh
}
