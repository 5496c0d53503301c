// Test helper: a stand-in for the `kraft` CLI (github.com and unikraft.org are unreachable here, so
// the real one cannot be installed). It follows kraft's documented behaviour closely enough to test
// our side: `run -d` starts a real QEMU the way kraft does (-daemonize, console to
// <runtime>/<uid>/machine.log, pidfile, HMP monitor socket, hostfwd per -p; $FAKE_KRAFT_CONSOLE is
// written to machine.log first, as if the guest had printed it), `ps -a -l -o json`
// prints Go-style JSON, `stop` / `rm` end and delete the machine, `pkg pull` / `build` leave a kernel
// where kraft leaves it. Every call is logged (argv + KRAFTKIT_* env) as JSON lines to $FAKE_KRAFT_LOG.
import { chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const SCRIPT = String.raw`
const fs = require('node:fs')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { randomUUID } = require('node:crypto')

const argv = process.argv.slice(2)
if (process.env.FAKE_KRAFT_LOG) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('KRAFTKIT_')))
  fs.appendFileSync(process.env.FAKE_KRAFT_LOG, JSON.stringify({ argv, env }) + '\n')
}
if (argv[0] === '--version') { console.log('kraft 0.11.6-fake'); process.exit(0) }
const runtime = process.env.KRAFTKIT_RUNTIME_DIR || path.join(require('node:os').tmpdir(), 'fake-kraft-runtime')
const storePath = path.join(runtime, 'fake-machines.json')
const load = () => { try { return JSON.parse(fs.readFileSync(storePath, 'utf8')) } catch { return [] } }
const store = ms => fs.writeFileSync(storePath, JSON.stringify(ms))
const alive = pid => { if (!(pid > 0)) return false; try { process.kill(pid, 0); return true } catch { return false } }
const pidOf = m => { try { return Number(fs.readFileSync(path.join(runtime, m.id, 'machine.pid'), 'utf8')) } catch { return 0 } }
const fail = msg => { process.stderr.write(' E  ' + msg + '\n'); process.exit(1) }
const GLOBAL = ['--no-prompt', '--log-type']

function opts(args, valued) {
  const o = { _: [], multi: {} }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--') { o.rest = args.slice(i + 1); break }
    if (a === '--no-prompt') continue
    if (valued.includes(a)) { const v = args[++i]; (o.multi[a] = o.multi[a] || []).push(v); o[a] = v; continue }
    if (a.startsWith('-')) { o[a] = true; continue }
    o._.push(a)
  }
  return o
}

const cmd = argv[0] === 'pkg' ? 'pkg ' + argv[1] : argv[0]
const args = argv.slice(argv[0] === 'pkg' ? 2 : 1)
switch (cmd) {
  case 'pkg pull': {
    const o = opts(args, ['-w', '--plat', '--arch', '--log-type'])
    if (process.env.FAKE_KRAFT_OFFLINE) fail('could not find unikraft.org/base:latest: Get "https://unikraft.org/v2/": dial tcp: lookup unikraft.org: no such host')
    fs.mkdirSync(path.join(o['-w'], 'unikraft', 'bin'), { recursive: true })
    fs.writeFileSync(path.join(o['-w'], 'unikraft', 'bin', 'kernel'), 'fake kernel\n')
    break
  }
  case 'build': {
    const o = opts(args, ['--plat', '--arch', '--log-type'])
    const dir = o._[0]
    const kf = fs.readFileSync(path.join(dir, 'Kraftfile'), 'utf8')
    if (!kf.includes('app-elfloader')) fail('no template in Kraftfile')
    if (process.env.FAKE_KRAFT_OFFLINE) fail('could not complete build: could not pull all components: dial tcp: lookup github.com: no such host')
    // A build of some minutes, as a real one (interruption tests)
    if (process.env.FAKE_KRAFT_BUILD_SECONDS) spawnSync('sleep', [process.env.FAKE_KRAFT_BUILD_SECONDS])
    fs.mkdirSync(path.join(dir, '.unikraft', 'build'), { recursive: true })
    fs.writeFileSync(path.join(dir, '.unikraft', 'build', 'elfloader_' + o['--plat'] + '-' + o['--arch']), 'built kernel\n' + kf)
    break
  }
  case 'run': {
    const o = opts(args, ['-M', '-p', '-n', '--plat', '--arch', '--rootfs', '-e', '-a', '--log-type'])
    if (!o['-d']) fail('the fake only runs detached')
    const id = randomUUID()
    fs.mkdirSync(runtime, { recursive: true })
    const dir = path.join(runtime, id)
    fs.mkdirSync(dir, { recursive: true })
    const mem = String(o['-M'] || '64Mi')
    const ports = (o.multi['-p'] || []).map(p => p.split(':').map(Number))
    const q = ['-daemonize', '-display', 'none', '-nodefaults', '-no-reboot', '-machine', 'pc', '-device', 'sga',
      '-m', 'size=' + parseInt(mem, 10) + 'M', '-name', id,
      '-chardev', 'file,id=console,append=on,path=' + path.join(dir, 'machine.log'), '-serial', 'chardev:console',
      '-pidfile', path.join(dir, 'machine.pid'),
      '-monitor', 'unix:' + path.join(dir, 'qemu_mon.sock') + ',server,nowait']
    ports.forEach(([h, g], i) => q.push('-device', 'virtio-net-pci,netdev=hostnet' + i, '-netdev', 'user,id=hostnet' + i + ',hostfwd=tcp::' + h + '-:' + g))
    if (o['-W']) q.push('-cpu', 'qemu64,+pdpe1gb,+rdrand,+rdseed,-vmx,-svm')
    else q.push('-enable-kvm', '-cpu', 'host')
    // What a guest printed before the firmware (a kernel's lines, for tests); QEMU appends to it.
    if (process.env.FAKE_KRAFT_CONSOLE) fs.writeFileSync(path.join(dir, 'machine.log'), process.env.FAKE_KRAFT_CONSOLE)
    const log = fs.openSync(path.join(dir, 'qemu.log'), 'a')
    const r = spawnSync('qemu-system-x86_64', q, { stdio: ['ignore', log, log] })
    if (r.status !== 0) fail('could not start qemu: ' + fs.readFileSync(path.join(dir, 'qemu.log'), 'utf8'))
    const ms = load()
    ms.push({ id, name: o['-n'], kernel: o._[0], args: (o.rest || []).join(' '), mem, ports, created: Date.now() })
    store(ms)
    console.log(o['-n'])
    break
  }
  case 'ps': {
    const o = opts(args, ['-o', '--plat', '--log-type'])
    const rows = load().map(m => {
      const running = alive(pidOf(m))
      const row = { name: m.name, kernel: m.kernel, args: m.args, created: 'now', status: running ? 'running' : 'exited', mem: m.mem,
        ports: running ? m.ports.map(([h, g]) => '0.0.0.0:' + h + '->' + g + '/tcp').join(', ') : '', plat: 'qemu/x86_64' }
      if (o['-l']) Object.assign(row, { 'machine id': m.id, ip: '', pid: String(running ? pidOf(m) : 0), plat: 'qemu', arch: 'x86_64' })
      return Object.fromEntries(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1)))
    })
    process.stdout.write((rows.length ? JSON.stringify(rows) : 'null').replace(/>/g, '\\u003e'))
    break
  }
  case 'stop':
  case 'rm': {
    const o = opts(args, ['--log-type'])
    const ms = load()
    const m = ms.find(x => x.name === o._[0])
    if (!m) fail('could not find instance ' + o._[0])
    const pid = pidOf(m)
    if (alive(pid)) {
      process.kill(pid, 'SIGTERM')
      const until = Date.now() + 3000
      while (alive(pid) && Date.now() < until) spawnSync('sleep', ['0.05'])
    }
    if (cmd === 'rm') {
      fs.rmSync(path.join(runtime, m.id), { recursive: true, force: true })
      store(ms.filter(x => x !== m))
    }
    break
  }
  default:
    fail('unknown command ' + argv.join(' '))
}
`

/** Writes the fake `kraft` into `dir` and returns its path. */
export async function writeFakeKraft(dir: string): Promise<string> {
  const path = join(dir, 'kraft')
  await writeFile(path, `#!${process.execPath}\n${SCRIPT}`)
  await chmod(path, 0o755)
  return path
}

export interface FakeKraftCall {
  argv: string[]
  env: Record<string, string>
}
