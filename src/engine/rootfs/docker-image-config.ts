// The image configuration a Dockerfile build leaves behind (CMD, ENTRYPOINT, ENV, WORKDIR, USER),
// read from `docker image inspect`, and the default command Docker would run from it.

export interface ImageConfig {
  /** CMD as Docker stores it: shell form is already `['/bin/sh', '-c', '...']`. */
  cmd: string[] | null
  /** ENTRYPOINT as Docker stores it (shell form wrapped the same way). */
  entrypoint: string[] | null
  /** ENV in order; BuildKit adds a default PATH to images that set none. */
  env: Record<string, string>
  /** WORKDIR, or null when the image leaves it empty. */
  workdir: string | null
  /** USER, or null. Recorded only: Unikraft runs everything as one (root) user. */
  user: string | null
}

export const EMPTY_IMAGE_CONFIG: ImageConfig = {
  cmd: null,
  entrypoint: null,
  env: {},
  workdir: null,
  user: null
}

/**
 * Parses the JSON `docker image inspect IMAGE` prints (an array of one image), or one image
 * object, or its `.Config` alone. Throws on anything else: this is Docker's output, so a
 * surprise here is a bug or an unsupported Docker, not the user's mistake.
 */
export function parseImageInspect(json: string | unknown): ImageConfig {
  const data: unknown = typeof json === 'string' ? JSON.parse(json) : json
  const image = Array.isArray(data) ? data[0] : data
  if (!isObject(image)) throw new Error('docker image inspect: expected an image object')
  const config = isObject(image.Config) ? image.Config : image
  return {
    cmd: stringList(config.Cmd, 'Cmd'),
    entrypoint: stringList(config.Entrypoint, 'Entrypoint'),
    env: envRecord(stringList(config.Env, 'Env') ?? []),
    workdir: nonEmptyString(config.WorkingDir),
    user: nonEmptyString(config.User)
  }
}

/** `['A=1', 'B=x=y']` -> `{A: '1', B: 'x=y'}`; a later entry wins, an entry without `=` is an empty value. */
export function envRecord(list: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {}
  for (const entry of list) {
    const eq = entry.indexOf('=')
    if (eq === 0) continue
    if (eq < 0) env[entry] = ''
    else env[entry.slice(0, eq)] = entry.slice(eq + 1)
  }
  return env
}

/**
 * The command Docker would run: ENTRYPOINT followed by CMD (CMD alone when there is no ENTRYPOINT),
 * or null when the image names none.
 *
 * Shell forms arrive as `/bin/sh -c TEXT`. A unikernel root filesystem built FROM scratch rarely has a
 * shell, so when TEXT is plain words (no quotes, variables, globs, redirections or operators) the
 * shell is dropped and the words are run directly, which is what the shell would have done. Otherwise
 * the `/bin/sh -c` form is kept, and the preflight will say if /bin/sh is missing. A shell-form
 * ENTRYPOINT ignores CMD (sh -c takes CMD's words as $0, $1...), as Docker documents, so the
 * unwrapped form drops CMD too.
 */
export function defaultCommand(config: ImageConfig): string[] | null {
  const entrypoint = config.entrypoint ?? []
  const cmd = config.cmd ?? []
  if (entrypoint.length > 0) {
    const words = shellFormWords(entrypoint)
    if (words) return words
    return [...entrypoint, ...cmd]
  }
  if (cmd.length === 0) return null
  return shellFormWords(cmd) ?? [...cmd]
}

/** The words of `['/bin/sh', '-c', TEXT]` when TEXT needs no shell, else null. */
function shellFormWords(argv: readonly string[]): string[] | null {
  if (argv.length !== 3 || argv[0] !== '/bin/sh' || argv[1] !== '-c') return null
  const text = argv[2].trim()
  if (!/^[\w@%+=:,./-]+(\s+[\w@%+=:,./-]+)*$/.test(text)) return null
  // `FOO=1 prog` sets a variable for prog: that is shell work, keep the shell.
  if (/^\w+=/.test(text)) return null
  return text.split(/\s+/)
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function stringList(v: unknown, field: string): string[] | null {
  if (v === null || v === undefined) return null
  if (!Array.isArray(v) || !v.every(x => typeof x === 'string')) {
    throw new Error(`docker image inspect: Config.${field} is not a list of strings`)
  }
  return v as string[]
}

function nonEmptyString(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null
}
