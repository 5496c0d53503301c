import { readFileSync, mkdirSync, writeFileSync, statSync, accessSync, constants, createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { I as InfrastructureError, b as badInput } from './errors.js';
import { d as detectPrivileges, p as privileged } from './privileges.js';
import { p as parseVersion, v as versionAtLeast } from './version-compare.js';
import { w as which } from './linux-kernel.js';
import { createHash } from 'node:crypto';
import { rm, mkdir, cp, writeFile, access, mkdtemp, readFile, chmod, copyFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';

// QEMU on the host: find it and read its version, install `qemu-system-x86` with apt when it is
// missing or too old, and warn about the one known version trap (RDSEED under TCG).
const QEMU_BINARY = 'qemu-system-x86_64';
/** Oldest QEMU we run: the microVM runner's flags (QMP, hostfwd, isa-debug-exit, pvpanic) are all older. */
const MIN_QEMU_VERSION = '5.0.0';
/** First QEMU whose TCG emulates RDSEED (domain facts, section 2). */
const RDSEED_QEMU_VERSION = '8.1.3';
/** First Unikraft release that needs RDRAND and RDSEED on x86_64. */
const RDSEED_UNIKRAFT_VERSION = '0.17.0';
function binaryIdentity(path) {
    try {
        const st = statSync(path);
        return { path, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
    }
    catch {
        return null;
    }
}
function rememberedVersion(file, path) {
    if (!file)
        return null;
    try {
        const memo = JSON.parse(readFileSync(file, 'utf8'));
        const now = binaryIdentity(path);
        const same = now &&
            memo.path === now.path &&
            memo.size === now.size &&
            memo.mtimeMs === now.mtimeMs &&
            memo.ino === now.ino;
        return same && typeof memo.version === 'string' ? memo.version : null;
    }
    catch {
        return null;
    }
}
function rememberVersion(file, path, version) {
    const id = binaryIdentity(path);
    if (!file || !id)
        return;
    try {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, JSON.stringify({ ...id, version }));
    }
    catch {
        // a cache that cannot be written only costs the next run one `--version`
    }
}
/** The version from the first line of `qemu-system-x86_64 --version`. */
function parseQemuVersion(text) {
    const m = /QEMU emulator version (\d+\.\d+(?:\.\d+)?)/.exec(text);
    if (!m)
        return null;
    const v = parseVersion(m[1]);
    return v ? v.join('.') : null;
}
async function checkQemu(deps) {
    const binary = deps.qemuBinary ?? QEMU_BINARY;
    const minimum = deps.minimum ?? MIN_QEMU_VERSION;
    const path = which(binary, deps.pathVar ?? process.env.PATH);
    if (!path)
        return { path: null, version: null, ok: false, tooOld: false, problem: `${binary} is not on PATH` };
    let version = rememberedVersion(deps.versionCacheFile, path);
    let output = '';
    if (!version) {
        try {
            const r = await deps.runner.run([path, '--version'], { timeoutMs: 15_000 });
            output = (r.stdout + r.stderr).trim();
            version = parseQemuVersion(output);
        }
        catch (err) {
            output = err.message;
        }
        if (version)
            rememberVersion(deps.versionCacheFile, path, version);
    }
    if (!version) {
        const first = output.split('\n')[0] || '(no output)';
        return {
            path,
            version: null,
            ok: false,
            tooOld: false,
            problem: `could not read the version of ${path}: ${first}`
        };
    }
    const tooOld = !versionAtLeast(version, minimum);
    return {
        path,
        version,
        ok: !tooOld,
        tooOld,
        problem: tooOld ? `${path} is QEMU ${version}, older than the ${minimum} this tool needs` : null
    };
}
/**
 * The commands that install QEMU with apt, `sudo -n` in front when not root. `env` carries
 * DEBIAN_FRONTEND because sudo resets the environment.
 */
function planQemuInstall(p) {
    if (!p.isRoot && !p.hasSudo) {
        throw new InfrastructureError('QEMU must be installed, but this user is not root and has no passwordless sudo', `install it yourself: sudo apt-get install -y qemu-system-x86 (package 'qemu-system-x86' on Debian and Ubuntu)`);
    }
    return [
        privileged(['apt-get', 'update'], p),
        privileged([
            'env',
            'DEBIAN_FRONTEND=noninteractive',
            'apt-get',
            'install',
            '-y',
            '--no-install-recommends',
            'qemu-system-x86'
        ], p)
    ];
}
function tail(text, lines = 8) {
    return text.trim().split('\n').slice(-lines).join('\n');
}
/** QEMU ready to use, installing it first when allowed. Throws InfrastructureError when it cannot be had. */
async function ensureQemu(deps, opts) {
    const before = await checkQemu(deps);
    if (before.ok) {
        deps.logger.info(`QEMU ${before.version} at ${before.path}`);
        return before;
    }
    if (!opts.install) {
        throw new InfrastructureError(`QEMU is not usable: ${before.problem}`, 'install the qemu-system-x86 package (apt-get install -y qemu-system-x86), or put a newer qemu-system-x86_64 on PATH');
    }
    deps.logger.info(`QEMU is not usable (${before.problem}); installing qemu-system-x86 with apt`);
    const steps = planQemuInstall(deps.privileges ?? (await detectPrivileges(deps.runner)));
    for (const argv of steps) {
        const r = await deps.runner.run(argv, { timeoutMs: 15 * 60_000 });
        if (r.code !== 0) {
            throw new InfrastructureError(`'${argv.join(' ')}' failed (${r.timedOut ? 'timed out' : `exit ${r.code ?? r.signal}`}):\n${tail(r.stderr || r.stdout)}`, 'install qemu-system-x86 before this step, or check that apt can reach its archive');
        }
    }
    const after = await checkQemu(deps);
    if (!after.ok) {
        throw new InfrastructureError(`QEMU is still not usable after installing qemu-system-x86: ${after.problem}`, `this distribution's QEMU is too old; use a newer runner image (e.g. ubuntu-24.04) or put QEMU ${deps.minimum ?? MIN_QEMU_VERSION}+ on PATH`);
    }
    deps.logger.info(`installed QEMU ${after.version} at ${after.path}`);
    return after;
}
function unikraftNeedsRdseed(unikraftVersion) {
    if (unikraftVersion === 'latest')
        return true;
    return parseVersion(unikraftVersion) !== null && versionAtLeast(unikraftVersion, RDSEED_UNIKRAFT_VERSION);
}
/**
 * Text of the warning for a boot that will fail at init: Unikraft 0.17+ needs RDSEED on x86_64 and
 * QEMU's TCG emulates it only from 8.1.3. null when the combination is fine (or the version unknown).
 */
function rdseedWarning(o) {
    if (o.accel !== 'tcg' || !o.qemuVersion || parseVersion(o.qemuVersion) === null)
        return null;
    if (versionAtLeast(o.qemuVersion, RDSEED_QEMU_VERSION) || !unikraftNeedsRdseed(o.unikraftVersion))
        return null;
    const uk = o.unikraftVersion === 'latest' ? 'Unikraft latest (0.17 or newer)' : `Unikraft ${o.unikraftVersion}`;
    return (`QEMU ${o.qemuVersion} under TCG cannot emulate the RDSEED instruction (QEMU ${RDSEED_QEMU_VERSION} or newer can), ` +
        `and ${uk} needs it on x86_64: the kernel will stop at init with 'Could not initialize the HWRNG'. ` +
        `Use KVM, a newer QEMU (Ubuntu 24.04, Debian bookworm-backports), or unikraft-version 0.16.3.`);
}

// The Logger every engine module writes through. The action backs it with GitHub's core toolkit
// (groups, annotations), the CLI with the terminal; tests capture it.
/** A Logger that writes plain lines to a stream (stderr by default). */
function createConsoleLogger(opts = {}) {
    const write = opts.write ?? ((line) => process.stderr.write(line + '\n'));
    return {
        debug: m => {
            if (opts.verbose)
                write(`debug: ${m}`);
        },
        info: m => write(m),
        warning: m => write(`warning: ${m}`),
        error: m => write(`error: ${m}`),
        group: async (name, fn) => {
            write(`== ${name}`);
            return fn();
        }
    };
}
const silentLogger = {
    debug: () => { },
    info: () => { },
    warning: () => { },
    error: () => { },
    group: (_name, fn) => fn()
};

// The two caches setup uses, as small interfaces so the engine never imports GitHub's toolkit packages:
// ToolCache (within a machine: GitHub's tool-cache toolkit on GitHub, a directory for the CLI) and
// PersistentCache (across runs: GitHub's cache toolkit on GitHub, nothing for the CLI).
/** Where the CLI keeps downloads across runs: `$XDG_CACHE_HOME/unikraft-compat` (default ~/.cache). */
function defaultCacheRoot(env = process.env) {
    return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'unikraft-compat');
}
function defaultToolCacheRoot(env = process.env) {
    return join(defaultCacheRoot(env), 'tools');
}
// Sync on purpose: ToolCache.find is synchronous like GitHub's tool-cache toolkit's find.
function existsSync(path) {
    try {
        accessSync(path, constants.F_OK);
        return true;
    }
    catch {
        return false;
    }
}
/**
 * A ToolCache in a directory, laid out like GitHub's tool-cache toolkit (`<root>/<tool>/<version>/<arch>`
 * plus a `<arch>.complete` marker written last, so a half-copied entry is never found).
 */
function createDirectoryToolCache(root = defaultToolCacheRoot()) {
    return {
        find(tool, version, arch) {
            const dir = join(root, tool, version, arch);
            return existsSync(`${dir}.complete`) && existsSync(dir) ? dir : null;
        },
        async cacheDir(srcDir, tool, version, arch) {
            const dir = join(root, tool, version, arch);
            await rm(`${dir}.complete`, { force: true });
            await rm(dir, { recursive: true, force: true });
            await mkdir(dir, { recursive: true });
            await cp(srcDir, dir, { recursive: true, preserveTimestamps: true });
            await writeFile(`${dir}.complete`, '');
            return dir;
        }
    };
}
/** The CLI's PersistentCache: the directory ToolCache already keeps things across runs. */
const noopPersistentCache = {
    restore: async () => undefined,
    save: async () => { }
};
/** True when `path` exists (any kind of file). */
async function pathExists(path) {
    try {
        await access(path, constants.F_OK);
        return true;
    }
    catch {
        return false;
    }
}

// Installs KraftKit's `kraft` from its GitHub release: tool cache first, then the cross-run cache,
// else download the tarball and the release's checksums file, verify the sha256 (a mismatch or a
// missing entry is a hard error: never run an unverified binary), extract and cache it.
const KRAFTKIT_RELEASES_URL = 'https://github.com/unikraft/kraftkit/releases/download';
const KRAFTKIT_TOOL_NAME = 'kraftkit';
/** The architecture word KraftKit's release files use (goreleaser's GOARCH). */
function kraftkitGoArch(arch) {
    if (arch === 'x86_64' || arch === 'amd64' || arch === 'x64')
        return 'amd64';
    if (arch === 'aarch64' || arch === 'arm64')
        return 'arm64';
    throw badInput('arch', "'x86_64' or 'arm64'", arch);
}
/** `v0.11.6` or `0.11.6` -> `0.11.6`; throws a ConfigurationError naming `kraftkit-version` otherwise. */
function normalizeKraftkitVersion(version) {
    const v = version.trim().replace(/^v/, '');
    if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?$/.test(v)) {
        throw badInput('kraftkit-version', 'a KraftKit release like 0.11.6', version);
    }
    return v;
}
/** Release file names and URLs (unikraft/kraftkit: .goreleaser-stable.yaml). */
function kraftkitAssets(version, goArch, baseUrl = KRAFTKIT_RELEASES_URL) {
    const tarball = `kraft_${version}_linux_${goArch}.tar.gz`;
    const checksums = `kraftkit_${version}_checksums.txt`;
    const dir = `${baseUrl.replace(/\/+$/, '')}/v${version}`;
    return { tarball, checksums, tarballUrl: `${dir}/${tarball}`, checksumsUrl: `${dir}/${checksums}` };
}
/** `<sha256>  <file>` lines (sha256sum format, `*` binary marker allowed) -> file -> lower-case hash. */
function parseChecksums(text) {
    const out = new Map();
    for (const line of text.split(/\r?\n/)) {
        const m = /^([0-9a-fA-F]{64})\s+\*?(\S.*?)\s*$/.exec(line);
        if (m)
            out.set(m[2], m[1].toLowerCase());
    }
    return out;
}
async function sha256File(path) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path))
        hash.update(chunk);
    return hash.digest('hex');
}
/** Key of the cross-run cache entry holding one KraftKit build. */
function kraftkitCacheKey(version, goArch) {
    return `unikraft-compat-kraftkit-${version}-linux-${goArch}`;
}
async function reportVersion(path, deps) {
    try {
        const r = await deps.runner.run([path, '--version'], {
            timeoutMs: 30_000,
            env: { KRAFTKIT_NO_CHECK_UPDATES: 'true' }
        });
        const first = (r.stdout || r.stderr).trim().split('\n')[0] ?? '';
        if (r.code === 0 && first)
            return first;
        deps.logger.warning(`'${path} --version' exited ${r.code ?? r.signal}: ${first}`);
    }
    catch (err) {
        deps.logger.warning(`could not run ${path}: ${err.message}`);
    }
    return null;
}
async function installKraftkit(opts, deps) {
    const version = normalizeKraftkitVersion(opts.version);
    const goArch = kraftkitGoArch(opts.arch);
    const { logger, toolCache } = deps;
    const done = async (dir, source, persist) => {
        const path = join(dir, 'kraft');
        logger.info(`KraftKit ${version} (linux/${goArch}) from ${source.replace('-', ' ')}: ${path}`);
        return {
            path,
            version,
            fromCache: source !== 'download',
            source,
            persist,
            reported: await reportVersion(path, deps)
        };
    };
    const cached = toolCache.find(KRAFTKIT_TOOL_NAME, version, goArch);
    if (cached && (await pathExists(join(cached, 'kraft'))))
        return done(cached, 'tool-cache', null);
    const key = kraftkitCacheKey(version, goArch);
    const persistDir = deps.persistDir ?? join(homedir(), '.cache', 'unikraft-compat', 'kraftkit', `${version}-${goArch}`);
    if (deps.persistentCache) {
        const hit = await deps.persistentCache.restore([persistDir], key);
        if (hit && (await pathExists(join(persistDir, 'kraft')))) {
            return done(await toolCache.cacheDir(persistDir, KRAFTKIT_TOOL_NAME, version, goArch), 'persistent-cache', null);
        }
    }
    const assets = kraftkitAssets(version, goArch, opts.baseUrl);
    const work = await mkdtemp(join(deps.tmpDir ?? tmpdir(), 'ukc-kraftkit-'));
    try {
        const tarball = join(work, assets.tarball);
        const sums = join(work, assets.checksums);
        logger.info(`downloading ${assets.tarballUrl}`);
        await deps.download(assets.checksumsUrl, sums);
        await deps.download(assets.tarballUrl, tarball);
        const actual = await sha256File(tarball);
        const expected = parseChecksums(await readFile(sums, 'utf8')).get(assets.tarball);
        if (!expected) {
            throw new InfrastructureError(`${assets.checksums} has no sha256 entry for ${assets.tarball} (its sha256 is ${actual}); refusing to install it`, `check kraftkit-version '${version}' and the release at ${assets.checksumsUrl}`);
        }
        if (expected !== actual) {
            throw new InfrastructureError(`sha256 mismatch for ${assets.tarball}: ${assets.checksums} says ${expected}, the download is ${actual}; refusing to install it`, 'the download was corrupted or tampered with; retry, and report it if it persists');
        }
        logger.debug(`sha256 of ${assets.tarball} verified: ${actual}`);
        const extracted = join(work, 'extracted');
        await mkdir(extracted);
        const r = await deps.runner.run(['tar', '-xzf', tarball, '-C', extracted], { timeoutMs: 120_000 });
        if (r.code !== 0) {
            throw new InfrastructureError(`could not extract ${assets.tarball}: ${r.stderr.trim() || `tar exited ${r.code}`}`);
        }
        const kraft = join(extracted, 'kraft');
        if (!(await pathExists(kraft))) {
            throw new InfrastructureError(`${assets.tarball} holds no 'kraft' binary at its top level`);
        }
        await chmod(kraft, 0o755);
        const dir = await toolCache.cacheDir(extracted, KRAFTKIT_TOOL_NAME, version, goArch);
        let persist = null;
        if (deps.persistentCache) {
            await mkdir(persistDir, { recursive: true });
            await copyFile(join(dir, 'kraft'), join(persistDir, 'kraft'));
            await chmod(join(persistDir, 'kraft'), 0o755);
            persist = { paths: [persistDir], key };
        }
        return await done(dir, 'download', persist);
    }
    finally {
        await rm(work, { recursive: true, force: true });
    }
}

export { createDirectoryToolCache as a, checkQemu as b, createConsoleLogger as c, defaultCacheRoot as d, ensureQemu as e, installKraftkit as i, noopPersistentCache as n, rdseedWarning as r, silentLogger as s };
