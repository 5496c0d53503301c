// The Linux baseline's /init, and the data files it reads. The script is a constant: the app's
// command, environment and working directory reach it only as NUL-separated data files in /.ukc,
// never as script text, so no value can be read as shell syntax.
import { ConfigurationError } from '../errors.js'
import { USERNET_DNS, USERNET_GATEWAY, USERNET_GUEST_CIDR } from './unikraft-cmdline.js'
import { GUEST_EXIT_PREFIX, GUEST_INIT_PREFIX } from './vm-end.js'

/** The baseline's private directory in the initrd (busybox, modules, init, data files). */
export const UKC_DIR = '.ukc'

/** The virtio network drivers are modules in Debian's cloud kernel; this is their load order. */
export const VIRTIO_NET_MODULES = [
  'virtio_ring',
  'virtio',
  'virtio_pci_modern_dev',
  'virtio_pci_legacy_dev',
  'virtio_pci',
  'failover',
  'net_failover',
  'virtio_net'
] as const

/** pvpanic: lets a kernel panic reach QEMU as a GUEST_PANICKED event (QEMU's -device pvpanic). */
export const PVPANIC_MODULES = ['pvpanic', 'pvpanic_mmio'] as const

/** Where a traced run keeps strace, its loader and its libraries (apart from the app's own /lib). */
export const STRACE_DIR = `${UKC_DIR}/strace`

/**
 * The trace's device: the guest's second serial port, which QEMU writes to a file of its own, so the
 * console (ttyS0) carries the app's output alone.
 */
export const TRACE_TTY = '/dev/ttyS1'

/**
 * strace's options. `-D`: strace runs as a grandchild, so the app stays the init's own child (its
 * parent is pid 1 and the init waits for it, as in an untraced run); `-f`: children and threads
 * too; `-q`: no attach/detach messages (the `+++ exited with N +++` lines stay, as in a plain
 * `strace -f`); `-s 256`: strings up to 256 bytes.
 */
export const STRACE_OPTIONS = ['-D', '-f', '-q', '-s', '256'] as const

/**
 * The traced command's prefix, as the init runs it: strace through its own loader and libraries
 * (`--library-path`; none for a static strace), writing to the trace port; the app's variables
 * follow as `-E NAME=value`, then `--`, the program and its arguments. Its first word is strace's
 * argv[0], by which the init finds strace's process at the end.
 */
export function straceCommand(opts: { loader?: boolean } = {}): string[] {
  const run =
    (opts.loader ?? true)
      ? [`/${STRACE_DIR}/ld.so`, '--library-path', `/${STRACE_DIR}/lib`, `/${STRACE_DIR}/strace`]
      : [`/${STRACE_DIR}/strace`]
  return [...run, ...STRACE_OPTIONS, '-o', TRACE_TTY]
}

/** Unikraft's ELF loader starts programs with this PATH; the baseline does the same when none is set. */
export const DEFAULT_GUEST_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

export const INIT_SCRIPT = `#!/${UKC_DIR}/busybox sh
# unikraft-compat Linux baseline init (generated). Inputs come from NUL-separated files in /${UKC_DIR}.
B=/${UKC_DIR}/busybox
$B mkdir -p /proc /sys /dev /tmp
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
$B mount -t devtmpfs devtmpfs /dev
echo "${GUEST_INIT_PREFIX}linux $($B uname -r)"
for m in /${UKC_DIR}/modules/*.ko; do
  [ -e "$m" ] || continue
  $B insmod "$m" || echo "ukc-init: could not load module \${m##*/}"
done
$B ip link set lo up
if [ -e /sys/class/net/eth0 ]; then
  $B ip link set eth0 up &&
    $B ip addr add ${USERNET_GUEST_CIDR} dev eth0 &&
    $B ip route add default via ${USERNET_GATEWAY} ||
    echo "ukc-init: could not configure eth0"
  if [ -d /etc ] && [ ! -e /etc/resolv.conf ]; then echo "nameserver ${USERNET_DNS}" > /etc/resolv.conf; fi
fi
set -f
IFS= read -r -d '' cwd < /${UKC_DIR}/cwd
IFS= read -r -d '' path < /${UKC_DIR}/path
IFS= read -r -d '' name < /${UKC_DIR}/argv
prog=$name
case "$name" in
  */*) ;;
  *)
    prog=
    IFS=:
    for d in $path; do
      if [ -n "$d" ] && [ -f "$d/$name" ] && [ -x "$d/$name" ]; then prog=$d/$name; break; fi
    done
    unset IFS
    ;;
esac
if [ -z "$prog" ]; then
  echo "ukc-init: $name: not found in PATH"
  rc=127
elif ! cd "$cwd"; then
  echo "ukc-init: cannot change to the working directory"
  rc=126
else
  set --
  traced=
  if [ -e /${UKC_DIR}/trace ]; then
    IFS= read -r -d '' traced < /${UKC_DIR}/trace
    # strace with an empty environment; the app's variables reach the app through -E.
    while IFS= read -r -d '' a; do set -- "$@" "$a"; done < /${UKC_DIR}/trace
    while IFS= read -r -d '' a; do set -- "$@" -E "$a"; done < /${UKC_DIR}/env
    set -- "$@" --
    $B stty -F ${TRACE_TTY} raw -echo || echo "ukc-init: could not set up the trace port"
  else
    while IFS= read -r -d '' a; do set -- "$@" "$a"; done < /${UKC_DIR}/env
  fi
  set -- "$@" "$prog"
  skip=1
  while IFS= read -r -d '' a; do
    if [ "$skip" = 1 ]; then skip=0; continue; fi
    set -- "$@" "$a"
  done < /${UKC_DIR}/argv
  $B env -i "$@"
  rc=$?
  if [ -n "$traced" ]; then
    # The trace is complete only once strace has ended: what the app left running is killed (the
    # power-off would end it in an untraced run), then strace exits, and its last close of the port
    # returns only when the port has sent everything. $traced is strace's argv[0].
    set +f
    while :; do
      tracer=
      procs=
      for d in /proc/[0-9]*; do
        # Kernel threads and zombies have no command line.
        IFS= read -r -d '' a0 2>/dev/null < "$d/cmdline" || continue
        if [ "$a0" = "$traced" ]; then tracer=\${d#/proc/}; else procs="$procs \${d#/proc/}"; fi
      done
      [ -n "$tracer" ] || break
      for p in $procs; do
        while read -r k v; do
          if [ "$k" = TracerPid: ]; then [ "$v" = "$tracer" ] && $B kill -9 "$p" 2>/dev/null; break; fi
        done 2>/dev/null < "/proc/$p/status"
      done
      $B sleep 0.1
    done
  fi
fi
echo "${GUEST_EXIT_PREFIX}$rc"
$B poweroff -f
`

/** Each record followed by a NUL, the form the script reads with \`read -d ''\`. */
export function nulRecords(items: readonly string[]): Buffer {
  return Buffer.from(items.map(s => `${s}\0`).join(''), 'utf8')
}

export interface LinuxInitInput {
  cmd: readonly string[]
  env: Readonly<Record<string, string>>
  cwd?: string
  /**
   * Run the command under strace (the initrd must then hold it in STRACE_DIR); `loader`: strace is
   * started through its own loader (false for a static strace).
   */
  trace?: boolean | { loader: boolean }
}

/** Rejects what cannot travel to the guest intact (NUL bytes, keys with '=') or what env(1) would misread. */
export function validateLinuxInitInput(input: LinuxInitInput): void {
  if (input.cmd.length === 0 || input.cmd[0] === '') {
    throw new ConfigurationError('cmd', "Input 'cmd' must name the program to run, got an empty command")
  }
  input.cmd.forEach((a, i) => {
    if (a.includes('\0'))
      throw new ConfigurationError('cmd', `Input 'cmd': argument ${i} contains a NUL byte`)
  })
  // env(1) takes a leading word with '=' as another variable, not as the program.
  if (input.cmd[0].includes('=')) {
    throw new ConfigurationError(
      'cmd',
      `Input 'cmd': the program name must not contain '=', got '${input.cmd[0]}'`
    )
  }
  for (const [k, v] of Object.entries(input.env)) {
    if (k === '' || k.includes('=') || k.includes('\0') || v.includes('\0')) {
      throw new ConfigurationError(
        'env',
        `Input 'env' must be NAME=value pairs without NUL bytes, got '${k}'`
      )
    }
  }
  if (input.cwd !== undefined && (!input.cwd.startsWith('/') || input.cwd.includes('\0'))) {
    throw new ConfigurationError(
      'workdir',
      `Input 'workdir' must be an absolute path in the guest, got '${input.cwd}'`
    )
  }
}

/** The data files of /.ukc for one run. */
export function linuxInitDataFiles(input: LinuxInitInput): { name: string; data: Buffer }[] {
  validateLinuxInitInput(input)
  // Like the ELF loader, the program gets a PATH even when none was given.
  const env = { PATH: DEFAULT_GUEST_PATH, ...input.env }
  const envEntries = Object.entries(env).map(([k, v]) => `${k}=${v}`)
  return [
    { name: 'argv', data: nulRecords(input.cmd) },
    { name: 'env', data: nulRecords(envEntries) },
    { name: 'cwd', data: nulRecords([input.cwd ?? '/']) },
    { name: 'path', data: nulRecords([env.PATH]) },
    ...(input.trace
      ? [{ name: 'trace', data: nulRecords(straceCommand(input.trace === true ? {} : input.trace)) }]
      : [])
  ]
}
