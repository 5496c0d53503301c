import { readdir, open, mkdir, mkdtemp, rename, rm, writeFile, readFile, access } from 'node:fs/promises';
import { join, isAbsolute, resolve, relative } from 'node:path';
import { CommandNotFoundError, nodeCommandRunner } from './command-runner.js';
import { I as InfrastructureError } from './errors.js';
import { f as findProgram } from './find-program.js';

// The few apt/dpkg operations the Linux baseline needs, run from argv arrays: resolve a
// metapackage to the concrete package, download a .deb (no root needed), unpack it into a directory.
const APT_HINT = 'the Linux baseline fetches its kernel and busybox with apt-get and dpkg (Debian or Ubuntu); ' +
    'run `sudo apt-get update` if the package lists are missing';
async function run(runner, argv, what, cwd) {
    let r;
    try {
        r = await runner.run(argv, { cwd, timeoutMs: 300_000 });
    }
    catch (e) {
        if (e instanceof CommandNotFoundError) {
            throw new InfrastructureError(`${what}: '${argv[0]}' is not available on this machine`, APT_HINT, {
                cause: e
            });
        }
        throw e;
    }
    if (r.code !== 0) {
        const detail = r.stderr.trim().split('\n').filter(Boolean).slice(-3).join(' / ');
        throw new InfrastructureError(`${what} failed (${argv.join(' ')}): ${detail || `status ${r.code}`}`, APT_HINT);
    }
    return r.stdout;
}
/** Parses `apt-cache depends` output: the direct Depends, alternatives included, virtual ones not. */
function parseAptDepends(text) {
    const out = [];
    for (const line of text.split('\n')) {
        const m = /^\s+\|?Depends:\s+(\S+)/.exec(line);
        if (m && !m[1].startsWith('<'))
            out.push(m[1].replace(/:\w+$/, ''));
    }
    return out;
}
async function aptDepends(runner, pkg) {
    return parseAptDepends(await run(runner, ['apt-cache', 'depends', pkg], `looking up package ${pkg}`));
}
/** Downloads `pkg` into `dir` (which must exist); returns the .deb's path. */
async function aptDownload(runner, pkg, dir) {
    await run(runner, ['apt-get', 'download', pkg], `downloading ${pkg}`, dir);
    const debs = (await readdir(dir)).filter(f => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (debs.length === 0)
        throw new InfrastructureError(`downloading ${pkg}: apt-get wrote no .deb file`, APT_HINT);
    return join(dir, debs.sort()[debs.length - 1]);
}
async function dpkgExtract(runner, deb, dir) {
    await run(runner, ['dpkg-deb', '-x', deb, dir], `unpacking ${deb}`);
}
async function debField(runner, deb, field) {
    return (await run(runner, ['dpkg-deb', '-f', deb, field], `reading ${deb}`)).trim();
}

// Is this file a statically linked x86-64 ELF executable? The baseline's busybox runs before any
// library exists in the guest, so a dynamically linked one would fail as init.
const PT_INTERP = 3;
async function isStaticX8664Elf(path) {
    const fh = await open(path, 'r');
    try {
        const head = Buffer.alloc(64);
        const { bytesRead } = await fh.read(head, 0, 64, 0);
        if (bytesRead < 64 || head.readUInt32BE(0) !== 0x7f454c46)
            return false;
        if (head[4] !== 2 || head[5] !== 1 || head.readUInt16LE(0x12) !== 0x3e)
            return false;
        const phoff = Number(head.readBigUInt64LE(0x20));
        const phentsize = head.readUInt16LE(0x36);
        const phnum = head.readUInt16LE(0x38);
        if (phentsize < 4 || phnum === 0)
            return false;
        const table = Buffer.alloc(phentsize * phnum);
        await fh.read(table, 0, table.length, phoff);
        for (let i = 0; i < phnum; i++) {
            if (table.readUInt32LE(i * phentsize) === PT_INTERP)
                return false;
        }
        return true;
    }
    finally {
        await fh.close();
    }
}

// The static busybox that runs the Linux baseline's init: the host's own (package busybox-static)
// when it is static, else the package downloaded and unpacked into the cache directory.
const BUSYBOX_PACKAGE = 'busybox-static';
const HOST_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox'];
async function staticBusyboxAt(path) {
    try {
        return await isStaticX8664Elf(path);
    }
    catch {
        return false;
    }
}
/** The host's busybox if it is a static x86-64 binary, else null. */
async function findHostStaticBusybox(candidates = HOST_CANDIDATES) {
    for (const c of candidates)
        if (await staticBusyboxAt(c))
            return c;
    return null;
}
/** A static busybox: the host's, or busybox-static fetched into `<cacheDir>/busybox-static`. */
async function ensureBusybox(cacheDir, deps = {}) {
    const host = await findHostStaticBusybox();
    if (host)
        return host;
    const dir = join(cacheDir, BUSYBOX_PACKAGE);
    for (const rel of ['bin/busybox', 'usr/bin/busybox']) {
        if (await staticBusyboxAt(join(dir, rel)))
            return join(dir, rel);
    }
    const runner = deps.runner ?? nodeCommandRunner;
    await mkdir(cacheDir, { recursive: true });
    const staging = await mkdtemp(join(cacheDir, '.busybox-'));
    try {
        const deb = await aptDownload(runner, BUSYBOX_PACKAGE, staging);
        await dpkgExtract(runner, deb, join(staging, 'root'));
        try {
            await rename(join(staging, 'root'), dir);
        }
        catch {
            // another process got there first
        }
    }
    finally {
        await rm(staging, { recursive: true, force: true });
    }
    for (const rel of ['bin/busybox', 'usr/bin/busybox']) {
        if (await staticBusyboxAt(join(dir, rel)))
            return join(dir, rel);
    }
    throw new InfrastructureError(`no static busybox found (looked at ${HOST_CANDIDATES.join(', ')} and ${dir})`, 'install it: sudo apt-get install -y busybox-static');
}

// Finds a program on PATH the way spawn will, so setup can say which binary it checked.
/** The absolute path of `program` (itself when it holds a slash), or null when nothing runnable matches. */
function which(program, pathVar = process.env.PATH) {
    if (program.includes('/') && !isAbsolute(program))
        return null;
    return findProgram(program, { PATH: pathVar });
}

// The Linux baseline's kernel: the distribution's cloud kernel package, fetched with apt-get
// download and unpacked with dpkg-deb into a cache directory (no root, nothing installed on the
// host). The first call downloads (about 27 MB); later calls read the cache's manifest and run nothing.
/** Debian's metapackage first; Ubuntu has no cloud kernel, its small virtual-machine kernel is `kvm`. */
const KERNEL_METAPACKAGES = ['linux-image-cloud-amd64', 'linux-image-kvm'];
const MANIFEST = 'kernel.json';
async function exists(path) {
    try {
        await access(path);
        return true;
    }
    catch {
        return false;
    }
}
async function readManifest(cacheDir) {
    let m;
    try {
        m = JSON.parse(await readFile(join(cacheDir, MANIFEST), 'utf8'));
    }
    catch {
        return null;
    }
    const kernel = resolve(cacheDir, m.kernel);
    const modulesDir = m.modulesDir === null ? null : resolve(cacheDir, m.modulesDir);
    if (!(await exists(kernel)) || (modulesDir !== null && !(await exists(modulesDir))))
        return null;
    return { kernel, modulesDir, version: m.version, release: m.release, package: m.package };
}
/** The concrete image package behind the first metapackage apt knows, plus the modules package
 * some distributions (Ubuntu) split off. */
async function resolvePackages(runner, metas) {
    const problems = [];
    for (const meta of metas) {
        let deps;
        try {
            deps = await aptDepends(runner, meta);
        }
        catch (e) {
            if (e instanceof InfrastructureError && /is not available on this machine/.test(e.message))
                throw e;
            problems.push(e.message);
            continue;
        }
        const image = deps.find(d => d.startsWith('linux-image-') && /\d/.test(d));
        if (!image) {
            problems.push(`${meta} depends on no concrete linux-image package (${deps.join(', ') || 'nothing'})`);
            continue;
        }
        const modules = (await aptDepends(runner, image)).filter(d => /^linux-modules-\d/.test(d));
        return [image, ...modules];
    }
    throw new InfrastructureError(`no Linux kernel package found for the baseline: ${problems.join('; ')}`, APT_HINT);
}
async function findKernelFiles(root) {
    const boot = join(root, 'boot');
    const images = (await readdir(boot).catch(() => [])).filter(f => f.startsWith('vmlinuz-'));
    if (images.length === 0)
        throw new InfrastructureError(`the kernel package has no /boot/vmlinuz-*`, APT_HINT);
    const image = images.sort()[0];
    const release = image.slice('vmlinuz-'.length);
    for (const base of ['lib/modules', 'usr/lib/modules']) {
        const dir = join(root, base, release);
        if (await exists(dir))
            return { kernel: join(boot, image), release, modulesDir: dir };
    }
    return { kernel: join(boot, image), release, modulesDir: null };
}
/**
 * Returns the cached kernel, downloading and unpacking it on the first call. Concurrent callers
 * (parallel test workers) each unpack into a private staging directory; the first rename wins.
 */
async function ensureLinuxKernel(cacheDir, deps = {}) {
    const dir = resolve(cacheDir);
    const cached = await readManifest(dir);
    if (cached)
        return cached;
    const runner = deps.runner ?? nodeCommandRunner;
    await mkdir(dir, { recursive: true });
    const packages = await resolvePackages(runner, deps.metapackages ?? KERNEL_METAPACKAGES);
    deps.logger?.info(`Linux baseline: downloading ${packages.join(', ')} into ${dir}`);
    const staging = await mkdtemp(join(dir, '.staging-'));
    try {
        const root = join(staging, 'root');
        let version = '';
        for (const pkg of packages) {
            const deb = await aptDownload(runner, pkg, staging);
            if (!version)
                version = await debField(runner, deb, 'Version');
            await dpkgExtract(runner, deb, root);
        }
        const found = await findKernelFiles(root);
        const finalDir = join(dir, `${packages[0]}_${version}`);
        try {
            await rename(root, finalDir);
        }
        catch (e) {
            const code = e.code;
            if (code !== 'ENOTEMPTY' && code !== 'EEXIST')
                throw e;
            // another process unpacked the same package first: use theirs
        }
        const toFinal = (p) => join(finalDir, relative(root, p));
        const manifest = {
            kernel: relative(dir, toFinal(found.kernel)),
            modulesDir: found.modulesDir === null ? null : relative(dir, toFinal(found.modulesDir)),
            version,
            release: found.release,
            package: packages[0]
        };
        const tmp = join(staging, MANIFEST);
        await writeFile(tmp, JSON.stringify(manifest, null, 2) + '\n');
        await rename(tmp, join(dir, MANIFEST));
    }
    finally {
        await rm(staging, { recursive: true, force: true });
    }
    const done = await readManifest(dir);
    if (!done)
        throw new InfrastructureError(`the Linux kernel cache at ${dir} is incomplete`, 'delete it and retry');
    return done;
}

export { ensureLinuxKernel as a, ensureBusybox as e, which as w };
