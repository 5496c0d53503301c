import { join, basename, relative, resolve } from 'node:path';
import { C as ConfigurationError } from './errors.js';
import { lstatSync, readdirSync, createReadStream, statSync, readlinkSync } from 'node:fs';
import { readFile, rm, writeFile, rename, lstat, mkdir, readlink, unlink, open, chmod, symlink, link } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import 'node:crypto';
import 'node:stream/promises';
import { C as CPIO_HEADER_BYTES, e as pad4, c as CPIO_TRAILER_NAME, d as assertSafeArchivePath, T as TYPE_BITS } from './cpio-batch-sink.js';
import { nodeCommandRunner } from './command-runner.js';
import { c as comparePaths, n as normaliseArchivePath, w as writeRawCpio } from './tree-path.js';

// Device nodes and fifos that an extraction could not create on disk (not root, no mknod) are
// kept in a sidecar file next to the tree, `<tree>.specials.json`, which packDirectory and the
// manifest merge back in, so the initrd still gets them.
function specialsSidecarPath(treeDir) {
    return treeDir.replace(/\/+$/, '') + '.specials.json';
}
async function readSpecials(treeDir) {
    let text;
    try {
        text = await readFile(specialsSidecarPath(treeDir), 'utf8');
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return [];
        throw err;
    }
    const parsed = JSON.parse(text);
    if (parsed.version !== 1 || !Array.isArray(parsed.entries)) {
        throw new Error(`${specialsSidecarPath(treeDir)}: not a special-node list this version understands`);
    }
    return parsed.entries;
}
async function writeSpecials(treeDir, nodes) {
    const out = specialsSidecarPath(treeDir);
    if (nodes.length === 0) {
        await rm(out, { force: true });
        return;
    }
    const tmp = `${out}.partial-${process.pid}`;
    // Sorted: the archive order, whatever order the extraction met them in.
    const entries = [...nodes].sort((a, b) => comparePaths(a.path, b.path));
    await writeFile(tmp, JSON.stringify({ version: 1, entries }, null, 2) + '\n');
    await rename(tmp, out);
}

// Writes archive entries into a directory without ever leaving it: parents must be real
// directories (never symlinks, so a "symlink, then write through it" archive is refused), an
// existing entry is replaced rather than followed, hard links may only point inside the tree.
class TreeWriter {
    root;
    opts;
    safeDirs = new Set(['']);
    dirModes = new Map();
    specials = [];
    counts = { files: 0, dirs: 0, symlinks: 0, hardlinks: 0, specials: 0 };
    constructor(root, opts) {
        this.root = root;
        this.opts = opts;
    }
    async init() {
        const existed = await lstat(this.root).then(() => true, () => false);
        await mkdir(this.root, { recursive: true });
        // A sidecar next to a directory that did not exist belongs to an older tree of that name.
        if (!existed)
            await writeSpecials(this.root, []);
    }
    fail(rel, why) {
        throw new ConfigurationError('rootfs', `${this.opts.what}: entry '${rel}' ${why}; refusing to extract it`);
    }
    async ensureParents(rel) {
        const parts = rel.split('/');
        let prefix = '';
        for (let i = 0; i < parts.length - 1; i++) {
            prefix = prefix ? `${prefix}/${parts[i]}` : parts[i];
            if (this.safeDirs.has(prefix))
                continue;
            const abs = join(this.root, prefix);
            const st = await lstat(abs).catch((err) => {
                if (err.code === 'ENOENT')
                    return null;
                throw err;
            });
            if (!st) {
                await mkdir(abs, { mode: 0o755 });
            }
            else if (st.isSymbolicLink()) {
                const target = await readlink(abs);
                this.fail(rel, `would be written through the symlink '${prefix}' (-> ${target})`);
            }
            else if (!st.isDirectory()) {
                this.fail(rel, `needs '${prefix}' to be a directory, but the archive made it a file`);
            }
            this.safeDirs.add(prefix);
        }
    }
    /** Clears the way for a new entry; returns true when a directory is already there and may stay. */
    async replaceExisting(rel, keepDir) {
        const abs = join(this.root, rel);
        const st = await lstat(abs).catch(() => null);
        if (!st)
            return false;
        if (st.isDirectory()) {
            if (keepDir)
                return true;
            await rm(abs, { recursive: true, force: true });
            // Anything cached below the removed directory is gone with it.
            this.safeDirs.clear();
            this.safeDirs.add('');
            return false;
        }
        await unlink(abs);
        return false;
    }
    async dir(rel, mode) {
        if (rel === '')
            return;
        await this.ensureParents(rel);
        if (!(await this.replaceExisting(rel, true)))
            await mkdir(join(this.root, rel), { mode: 0o755 });
        this.safeDirs.add(rel);
        this.dirModes.set(rel, mode & 0o7777);
        this.counts.dirs++;
    }
    async file(rel, mode, body) {
        if (rel === '')
            this.fail(rel, 'names the root as a file');
        await this.ensureParents(rel);
        await this.replaceExisting(rel, false);
        const abs = join(this.root, rel);
        // 'wx' is O_CREAT|O_EXCL: it never follows a symlink that might have appeared at the path.
        const fh = await open(abs, 'wx', 0o600);
        try {
            if (Buffer.isBuffer(body)) {
                if (body.length)
                    await fh.write(body);
            }
            else {
                for await (const chunk of body)
                    await fh.write(chunk);
            }
        }
        finally {
            await fh.close();
        }
        await chmod(abs, mode & 0o7777);
        this.counts.files++;
    }
    /** Adds data to a file created earlier (a hard-link group whose data came on a later entry). */
    async appendTo(rel, body) {
        await this.ensureParents(rel);
        const abs = join(this.root, rel);
        const st = await lstat(abs);
        if (!st.isFile())
            this.fail(rel, 'is a hard link whose data belongs to something that is not a regular file');
        const fh = await open(abs, 'r+');
        try {
            let pos = 0;
            for await (const chunk of body) {
                await fh.write(chunk, 0, chunk.length, pos);
                pos += chunk.length;
            }
            await fh.truncate(pos);
        }
        finally {
            await fh.close();
        }
    }
    async symlink(rel, target) {
        if (rel === '')
            this.fail(rel, 'names the root as a symlink');
        await this.ensureParents(rel);
        await this.replaceExisting(rel, false);
        // Stored as is: it is resolved by the guest against the guest's root, never followed here.
        await symlink(target, join(this.root, rel));
        this.counts.symlinks++;
    }
    async hardlink(rel, targetRel) {
        if (rel === '')
            this.fail(rel, 'names the root as a hard link');
        await this.ensureParents(targetRel);
        const targetAbs = join(this.root, targetRel);
        const st = await lstat(targetAbs).catch(() => null);
        if (!st)
            this.fail(rel, `is a hard link to '${targetRel}', which the archive does not have before it`);
        if (st.isDirectory())
            this.fail(rel, `is a hard link to the directory '${targetRel}'`);
        await this.ensureParents(rel);
        if (rel === targetRel)
            return;
        await this.replaceExisting(rel, false);
        await link(targetAbs, join(this.root, rel));
        this.counts.hardlinks++;
    }
    async special(rel, type, mode, rdevMajor, rdevMinor) {
        if (rel === '')
            this.fail(rel, 'names the root as a device');
        await this.ensureParents(rel);
        await this.replaceExisting(rel, false);
        this.counts.specials++;
        const node = { path: rel, type, mode: mode & 0o7777, rdevMajor, rdevMinor };
        if (this.opts.createSpecials !== false && (type === 'fifo' || process.getuid?.() === 0)) {
            // Node has no mknod(2): the coreutils programs do it, run from argv (never a shell).
            const abs = join(this.root, rel);
            const m = (mode & 0o7777).toString(8);
            const argv = type === 'fifo'
                ? ['mkfifo', '-m', m, '--', abs]
                : ['mknod', '-m', m, '--', abs, type === 'char' ? 'c' : 'b', String(rdevMajor), String(rdevMinor)];
            const res = await (this.opts.runner ?? nodeCommandRunner).run(argv).catch(() => null);
            if (res && res.code === 0)
                return;
        }
        this.specials.push(node);
    }
    /** Applies directory modes (deepest first, so a read-only parent never blocks its children) and saves the sidecar. */
    async finish() {
        const dirs = [...this.dirModes.entries()].sort((a, b) => b[0].split('/').length - a[0].split('/').length);
        for (const [rel, mode] of dirs)
            await chmod(join(this.root, rel), mode);
        if (this.specials.length === 0)
            return { specials: [] };
        // Merged with what an earlier writer of the same tree recorded (extraction, then extras).
        const byPath = new Map((await readSpecials(this.root)).map(s => [s.path, s]));
        for (const s of this.specials)
            byPath.set(s.path, s);
        await writeSpecials(this.root, [...byPath.values()]);
        return { specials: [...this.specials].sort((a, b) => comparePaths(a.path, b.path)) };
    }
}

// A sorted, streaming walk of a directory tree that never follows symlinks: the order every
// archive, manifest and preflight pass sees (a directory right before its contents).
function sortedNames(abs, rel) {
    try {
        return readdirSync(abs).sort();
    }
    catch (err) {
        const code = err.code;
        throw new ConfigurationError('rootfs', `cannot read the directory '${rel || '.'}' in the root filesystem tree (${code === 'EACCES' ? 'permission denied' : code})`);
    }
}
/** Yields every entry below `root` (not the root itself); `descend(rel)` may prune a directory. */
function* walkTree(root, opts = {}) {
    const base = root.endsWith('/') ? root : root + '/';
    const stack = [
        { rel: '', names: sortedNames(root, ''), i: 0 }
    ];
    while (stack.length > 0) {
        const top = stack[stack.length - 1];
        if (top.i >= top.names.length) {
            stack.pop();
            continue;
        }
        const name = top.names[top.i++];
        const rel = top.rel ? `${top.rel}/${name}` : name;
        const abs = base + rel;
        let st;
        try {
            st = lstatSync(abs);
        }
        catch (err) {
            // Vanished between readdir and lstat: the tree changed under us; skip it like find(1) does.
            if (err.code === 'ENOENT')
                continue;
            throw err;
        }
        yield { rel, abs, st };
        if (st.isDirectory() && (opts.descend?.(rel) ?? true))
            stack.push({ rel, names: sortedNames(abs, rel), i: 0 });
    }
}
/** Linux's dev_t encoding (glibc's gnu_dev_major/minor). */
function splitRdev(rdev) {
    const hi = Math.floor(rdev / 0x100000000);
    const lo = rdev >>> 0;
    return {
        major: ((lo >>> 8) & 0xfff) | ((hi & 0xfffff000) >>> 0),
        minor: ((lo & 0xff) | ((lo >>> 12) & 0xfff00)) >>> 0
    };
}

// Pull-based reader over a stream of chunks: exact reads, skips and bounded sub-streams, so the
// tar and cpio parsers stay streaming (memory flat whatever the archive size).
class UnexpectedEofError extends Error {
    name = 'UnexpectedEofError';
}
class ByteReader {
    it;
    pending = [];
    pendingBytes = 0;
    done = false;
    /** Bytes consumed so far (the offset in the decompressed stream). */
    position = 0;
    constructor(source) {
        const inner = source[Symbol.asyncIterator]();
        this.it = {
            next: async () => {
                const r = await inner.next();
                if (r.done)
                    return r;
                const v = r.value;
                return {
                    done: false,
                    value: typeof v === 'string' ? Buffer.from(v) : Buffer.from(v.buffer, v.byteOffset, v.byteLength)
                };
            },
            return: async () => {
                await inner.return?.();
                return { done: true, value: undefined };
            }
        };
    }
    /** Makes at least `n` bytes available, unless the stream ends first; returns how many are. */
    async fill(n) {
        while (this.pendingBytes < n && !this.done) {
            const r = await this.it.next();
            if (r.done) {
                this.done = true;
                break;
            }
            if (r.value.length === 0)
                continue;
            this.pending.push(r.value);
            this.pendingBytes += r.value.length;
        }
        return Math.min(n, this.pendingBytes);
    }
    take(n) {
        let out;
        const first = this.pending[0];
        if (first.length >= n) {
            out = first.subarray(0, n);
            if (first.length === n)
                this.pending.shift();
            else
                this.pending[0] = first.subarray(n);
        }
        else {
            out = Buffer.allocUnsafe(n);
            let off = 0;
            while (off < n) {
                const head = this.pending[0];
                const k = Math.min(head.length, n - off);
                head.copy(out, off, 0, k);
                off += k;
                if (k === head.length)
                    this.pending.shift();
                else
                    this.pending[0] = head.subarray(k);
            }
        }
        this.pendingBytes -= n;
        this.position += n;
        return out;
    }
    /** Up to `n` bytes: fewer only at the end of the stream. */
    async readUpTo(n) {
        const k = await this.fill(n);
        return k === 0 ? Buffer.alloc(0) : this.take(k);
    }
    /** Exactly `n` bytes, or UnexpectedEofError. */
    async read(n) {
        if (n === 0)
            return Buffer.alloc(0);
        const k = await this.fill(n);
        if (k < n)
            throw new UnexpectedEofError(`unexpected end of data at byte ${this.position + k} (wanted ${n} bytes)`);
        return this.take(n);
    }
    /** Looks at up to `n` bytes without consuming them. */
    async peek(n) {
        const k = await this.fill(n);
        if (k === 0)
            return Buffer.alloc(0);
        const b = this.take(k);
        this.pending.unshift(b);
        this.pendingBytes += k;
        this.position -= k;
        return b;
    }
    /** Yields exactly `n` bytes in chunks as they arrive (the caller must consume them in order). */
    async *chunks(n) {
        let left = n;
        while (left > 0) {
            if (this.pendingBytes === 0) {
                const k = await this.fill(1);
                if (k === 0)
                    throw new UnexpectedEofError(`unexpected end of data at byte ${this.position} (${left} bytes short)`);
            }
            const k = Math.min(left, this.pending[0].length);
            left -= k;
            yield this.take(k);
        }
    }
    async skip(n) {
        for await (const _ of this.chunks(n)) {
            // discarded
        }
    }
    /** Reads to the end of the stream, discarding; surfaces the source's errors (a gzip CRC mismatch). */
    async drain() {
        while ((await this.readUpTo(1 << 20)).length > 0) {
            // discarded
        }
    }
    async close() {
        await this.it.return?.();
    }
}

// Opens an archive file as a byte stream, gunzipping it when it starts with the gzip magic,
// and sniffs what kind of archive the (decompressed) bytes are.
async function fileStartsWithGzip(path) {
    const fh = await open(path, 'r');
    try {
        const b = Buffer.alloc(2);
        const { bytesRead } = await fh.read(b, 0, 2, 0);
        return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
    }
    finally {
        await fh.close();
    }
}
async function openArchive(path) {
    const gzip = await fileStartsWithGzip(path);
    const file = createReadStream(path, { highWaterMark: 1 << 20 });
    if (!gzip)
        return { reader: new ByteReader(file), gzip };
    const gunzip = createGunzip();
    // pipeline() destroys both streams when either fails or the reader stops early; the error
    // itself surfaces through the gunzip iterator the reader pulls from.
    pipeline(file, gunzip, () => { });
    return { reader: new ByteReader(gunzip), gzip };
}
/** What the first bytes say: cpio newc/crc (`07070[12]`), or tar (`ustar` at offset 257, or a valid v7 checksum). */
function sniffArchive(head) {
    const magic = head.subarray(0, 6).toString('latin1');
    if (magic === '070701' || magic === '070702' || magic === '070707')
        return 'cpio';
    if (head.length >= 263 && head.subarray(257, 262).toString('latin1') === 'ustar')
        return 'tar';
    if (head.length >= 512 && tarChecksumOk(head.subarray(0, 512)))
        return 'tar';
    return 'unknown';
}
function tarChecksumOk(block) {
    const stored = parseInt(block
        .subarray(148, 156)
        .toString('latin1')
        .replace(/[\0 ]+$/, '')
        .trim(), 8);
    if (!Number.isFinite(stored))
        return false;
    let sum = 0;
    for (let i = 0; i < 512; i++)
        sum += i >= 148 && i < 156 ? 0x20 : block[i];
    return sum === stored;
}
async function sniffArchiveFile(path) {
    const { reader, gzip } = await openArchive(path);
    try {
        const head = await reader.peek(512).catch(() => Buffer.alloc(0));
        return { kind: sniffArchive(head), gzip };
    }
    finally {
        await reader.close();
    }
}

// Streaming cpio reader (newc and newc+crc, gzip detected): lists an archive for
// `rootfs ls`, tells a real initrd from anything else, and extracts an existing archive so
// preflight can inspect it. Extraction goes through TreeWriter: nothing escapes the root.
class CpioFormatError extends ConfigurationError {
    file;
    name = 'CpioFormatError';
    constructor(file, detail) {
        super('rootfs', `'${file}' is not a cpio archive (newc): ${detail}`);
        this.file = file;
    }
}
const MAX_NAME = 1 << 16;
const MAX_LINK = 1 << 16;
function typeOf(mode) {
    switch (mode & 0o170000) {
        case 0o100000:
            return 'file';
        case 0o040000:
            return 'dir';
        case 0o120000:
            return 'symlink';
        case 0o020000:
            return 'char';
        case 0o060000:
            return 'block';
        case 0o010000:
            return 'fifo';
        case 0o140000:
            return 'socket';
        default:
            return 'unknown';
    }
}
const COMPRESSED_MAGIC = [
    ['425a68', 'bzip2'],
    ['fd377a585a00', 'xz'],
    ['28b52ffd', 'zstd'],
    ['02214c18', 'lz4'],
    ['5d0000', 'lzma']
];
function describeStart(head) {
    if (head.length === 0)
        return 'the file is empty';
    const hex = head.toString('hex');
    for (const [m, name] of COMPRESSED_MAGIC) {
        if (hex.startsWith(m))
            return `it is ${name}-compressed; only uncompressed or gzip-compressed archives are read`;
    }
    const magic = head.subarray(0, 6).toString('latin1');
    if (magic === '070707')
        return "it is in the old portable (odc) format; repack it with 'cpio -o -H newc'";
    if (head.length >= 2 && head.readUInt16LE(0) === 0o070707)
        return "it is in the old binary format; repack it with 'cpio -o -H newc'";
    if (head.length >= 4 && head.subarray(0, 4).toString('latin1') === '\x7fELF')
        return 'it is an ELF file (a kernel or a program?)';
    if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar')
        return 'it is a tar archive';
    const shown = head.subarray(0, 8).toString('hex').replace(/(..)/g, '$1 ').trim();
    return `it starts with bytes ${shown}, not the newc magic 070701`;
}
function parseHex(field, file, at) {
    const s = field.toString('latin1');
    if (!/^[0-9a-fA-F]{8}$/.test(s))
        throw new CpioFormatError(file, `header at byte ${at} has a bad field '${s}'`);
    return parseInt(s, 16);
}
async function* cpioItems(reader, file, gzip) {
    let first = true;
    for (;;) {
        const at = reader.position;
        const head = await reader.readUpTo(CPIO_HEADER_BYTES);
        const magic = head.subarray(0, 6).toString('latin1');
        if (magic !== '070701' && magic !== '070702') {
            const detail = first
                ? describeStart(Buffer.concat([head, await reader.readUpTo(512)]))
                : `bad magic in the header at byte ${at} (corrupt or truncated archive)`;
            // Corrupt deflate data often decodes to garbage before zlib notices: reading on to the gzip
            // CRC names the real fault (withFormatErrors turns it into "its gzip data is corrupt").
            if (gzip)
                await reader.drain();
            throw new CpioFormatError(file, detail);
        }
        if (head.length < CPIO_HEADER_BYTES)
            throw new CpioFormatError(file, `truncated header at byte ${at}`);
        first = false;
        const f = (i) => parseHex(head.subarray(6 + i * 8, 14 + i * 8), file, at);
        const namesize = f(11);
        if (namesize === 0 || namesize > MAX_NAME)
            throw new CpioFormatError(file, `header at byte ${at} has a name size of ${namesize}`);
        const nameBuf = await reader.read(namesize);
        await reader.skip(pad4(CPIO_HEADER_BYTES + namesize));
        const name = nameBuf.subarray(0, nameBuf[namesize - 1] === 0 ? namesize - 1 : namesize).toString('utf8');
        const rawMode = f(1);
        const size = f(6);
        if (name === CPIO_TRAILER_NAME) {
            await reader.skip(size + pad4(size));
            // Trailing zeros pad to a block; another archive may follow (Linux reads concatenations).
            if (!(await skipZeros(reader)))
                return;
            first = false;
            continue;
        }
        const entry = {
            path: name,
            type: typeOf(rawMode),
            mode: rawMode & 0o7777,
            ino: f(0),
            uid: f(2),
            gid: f(3),
            nlink: f(4),
            mtime: f(5),
            size,
            devMajor: f(7),
            devMinor: f(8),
            rdevMajor: f(9),
            rdevMinor: f(10)
        };
        let consumed = 0;
        let body = null;
        if (entry.type === 'symlink') {
            if (size > MAX_LINK)
                throw new CpioFormatError(file, `symlink '${name}' has a ${size}-byte target`);
            entry.linkTarget = (await reader.read(size)).toString('utf8');
            consumed = size;
        }
        else if (size > 0) {
            body = (async function* () {
                for await (const c of reader.chunks(size)) {
                    consumed += c.length;
                    yield c;
                }
            })();
        }
        yield { entry, body };
        if (consumed < size) {
            if (body)
                await body.return(undefined);
            await reader.skip(size - consumed);
        }
        await reader.skip(pad4(size));
    }
}
/** Skips zero padding; true when another archive follows. */
async function skipZeros(reader) {
    for (;;) {
        const b = await reader.peek(4096);
        if (b.length === 0)
            return false;
        let i = 0;
        while (i < b.length && b[i] === 0)
            i++;
        if (i === b.length) {
            await reader.skip(i);
            continue;
        }
        await reader.skip(i);
        const m = (await reader.peek(6)).toString('latin1');
        return m === '070701' || m === '070702';
    }
}
async function* withFormatErrors(file, gen) {
    try {
        yield* gen;
    }
    catch (err) {
        if (err instanceof UnexpectedEofError)
            throw new CpioFormatError(file, `truncated (${err.message})`);
        const code = err.code;
        if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR')
            throw new CpioFormatError(file, `its gzip data is corrupt (${err.message})`);
        throw err;
    }
}
/** Lists the entries of a newc archive (gzip-compressed or not), streaming; throws CpioFormatError on anything else. */
async function* readCpio(path) {
    const { reader, gzip } = await openArchive(path);
    try {
        for await (const item of withFormatErrors(path, cpioItems(reader, path, gzip)))
            yield item.entry;
    }
    finally {
        await reader.close();
    }
}
/** Extracts a newc archive into `destDir` (hard links rebuilt, devices created or recorded in the sidecar). */
async function extractCpio(path, destDir, opts = {}) {
    const what = `cpio '${basename(path)}'`;
    const { reader, gzip } = await openArchive(path);
    const writer = new TreeWriter(destDir, { what, createSpecials: opts.createSpecials, runner: opts.runner });
    await writer.init();
    const linkGroups = new Map();
    let entries = 0;
    try {
        for await (const { entry: e, body } of withFormatErrors(path, cpioItems(reader, path, gzip))) {
            const rel = normaliseArchivePath(e.path, what);
            entries++;
            switch (e.type) {
                case 'dir':
                    await writer.dir(rel, e.mode);
                    break;
                case 'symlink':
                    await writer.symlink(rel, e.linkTarget ?? '');
                    break;
                case 'char':
                case 'block':
                case 'fifo':
                    await writer.special(rel, e.type, e.mode, e.rdevMajor, e.rdevMinor);
                    break;
                case 'file': {
                    const key = `${e.devMajor}:${e.devMinor}:${e.ino}`;
                    const firstOfGroup = e.nlink >= 2 ? linkGroups.get(key) : undefined;
                    if (firstOfGroup !== undefined) {
                        // A later member of a hard-link group: link it; data here (GNU cpio puts it on the last) fills the shared inode.
                        await writer.hardlink(rel, firstOfGroup);
                        if (body)
                            await writer.appendTo(firstOfGroup, body);
                    }
                    else {
                        if (e.nlink >= 2)
                            linkGroups.set(key, rel);
                        await writer.file(rel, e.mode, body ?? Buffer.alloc(0));
                    }
                    break;
                }
                default:
                    // Sockets and unknown types have no place in a root filesystem image: skipped.
                    entries--;
            }
        }
        const { specials } = await writer.finish();
        return { entries, specials };
    }
    finally {
        await reader.close();
    }
}

// Packs a directory tree into a newc initrd: a sorted walk (never following symlinks), fixed
// mtime/uid/gid, extra entries (e.g. /init, /dev/console) merged in place, hard links copied
// (ukcpio cannot make links) or kept as links for Linux.
function rawFromExtra(e, ino) {
    let data = e.data;
    let size = 0;
    if (e.type === 'symlink') {
        if (e.linkTarget === undefined)
            throw new ConfigurationError('rootfs', `extra entry '${e.path}' is a symlink without a target`);
        data = Buffer.from(e.linkTarget, 'utf8');
    }
    if (data)
        size = data.length;
    else if (e.type === 'file' && e.source !== undefined)
        size = e.size ?? statSync(e.source).size;
    return {
        name: e.path,
        mode: TYPE_BITS[e.type] | (e.mode & 0o7777),
        ino,
        nlink: e.type === 'dir' ? 2 : 1,
        uid: e.uid ?? 0,
        gid: e.gid ?? 0,
        mtime: e.mtime ?? 0,
        size,
        rdevMajor: e.rdevMajor ?? 0,
        rdevMinor: e.rdevMinor ?? 0,
        data: e.type === 'file' || e.type === 'symlink' ? data : undefined,
        source: e.type === 'file' && !data ? e.source : undefined
    };
}
/** Extras sorted in walk order, with the parent directories the tree lacks added. */
function prepareExtras(dir, extra) {
    const byPath = new Map();
    for (const e of extra) {
        try {
            assertSafeArchivePath(e.path);
        }
        catch (err) {
            throw new ConfigurationError('rootfs', err.message);
        }
        byPath.set(e.path, e);
    }
    for (const e of [...byPath.values()]) {
        const parts = e.path.split('/');
        for (let i = 1; i < parts.length; i++) {
            const prefix = parts.slice(0, i).join('/');
            const given = byPath.get(prefix);
            if (given) {
                if (given.type !== 'dir')
                    throw new ConfigurationError('rootfs', `extra entry '${e.path}' needs '${prefix}' to be a directory`);
                continue;
            }
            let st;
            try {
                st = lstatSync(`${dir}/${prefix}`);
            }
            catch {
                byPath.set(prefix, { path: prefix, type: 'dir', mode: 0o755 });
                continue;
            }
            if (st.isSymbolicLink()) {
                throw new ConfigurationError('rootfs', `cannot add '${e.path}' to the initrd: '${prefix}' is a symlink in the tree`);
            }
            if (!st.isDirectory()) {
                throw new ConfigurationError('rootfs', `cannot add '${e.path}' to the initrd: '${prefix}' is not a directory in the tree`);
            }
        }
    }
    return [...byPath.values()].sort((a, b) => comparePaths(a.path, b.path));
}
function* packEntries(dir, extras, hardlinks) {
    let ino = 1;
    let x = 0;
    const pruned = new Set();
    const groups = new Map();
    const record = (name, mode, size) => ({
        name,
        mode,
        ino: ino++,
        nlink: 1,
        uid: 0,
        gid: 0,
        mtime: 0,
        size,
        rdevMajor: 0,
        rdevMinor: 0
    });
    const fromTree = (w) => {
        const st = w.st;
        const perm = st.mode & 0o7777;
        if (st.isFile()) {
            if (hardlinks === 'link' && st.nlink > 1) {
                const key = `${st.dev}:${st.ino}`;
                const seen = groups.get(key);
                if (seen !== undefined) {
                    // A later path of the inode: same number, no data (Linux links it to the first).
                    const r = record(w.rel, TYPE_BITS.file | perm, 0);
                    ino--;
                    r.ino = seen;
                    r.nlink = st.nlink;
                    return r;
                }
                groups.set(key, ino);
            }
            const r = record(w.rel, TYPE_BITS.file | perm, st.size);
            if (hardlinks === 'link')
                r.nlink = st.nlink;
            r.source = w.abs;
            r.noFollow = true;
            return r;
        }
        if (st.isDirectory()) {
            const r = record(w.rel, TYPE_BITS.dir | perm, 0);
            r.nlink = 2;
            return r;
        }
        if (st.isSymbolicLink()) {
            const data = Buffer.from(readlinkSync(w.abs), 'utf8');
            const r = record(w.rel, TYPE_BITS.symlink | perm, data.length);
            r.data = data;
            return r;
        }
        if (st.isCharacterDevice() || st.isBlockDevice()) {
            const r = record(w.rel, (st.isCharacterDevice() ? TYPE_BITS.char : TYPE_BITS.block) | perm, 0);
            const { major, minor } = splitRdev(st.rdev);
            r.rdevMajor = major;
            r.rdevMinor = minor;
            return r;
        }
        if (st.isFIFO())
            return record(w.rel, TYPE_BITS.fifo | perm, 0);
        return null; // sockets: meaningless in an image
    };
    for (const w of walkTree(dir, { descend: rel => !pruned.has(rel) })) {
        while (x < extras.length && comparePaths(extras[x].path, w.rel) < 0)
            yield rawFromExtra(extras[x++], ino++);
        if (x < extras.length && extras[x].path === w.rel) {
            const e = extras[x++];
            // Replacing a directory with something else drops the directory's contents.
            if (w.st.isDirectory() && e.type !== 'dir')
                pruned.add(w.rel);
            yield rawFromExtra(e, ino++);
            continue;
        }
        const raw = fromTree(w);
        if (raw)
            yield raw;
    }
    while (x < extras.length)
        yield rawFromExtra(extras[x++], ino++);
}
/** Packs `dir` into a newc archive at `outPath` (written atomically). */
async function packDirectory(dir, outPath, opts = {}) {
    let st;
    try {
        st = statSync(dir);
    }
    catch {
        throw new ConfigurationError('rootfs', `the root filesystem directory '${dir}' does not exist`);
    }
    if (!st.isDirectory())
        throw new ConfigurationError('rootfs', `'${dir}' is not a directory`);
    const rel = relative(resolve(dir), resolve(outPath));
    if (!rel.startsWith('..') && !rel.startsWith('/')) {
        throw new ConfigurationError('rootfs', `the archive '${outPath}' would be inside the tree it packs ('${dir}'): write it elsewhere`);
    }
    const specials = opts.sidecar === false ? [] : await readSpecials(dir);
    const extras = prepareExtras(dir, [
        ...specials.map(s => ({
            path: s.path,
            type: s.type,
            mode: s.mode,
            rdevMajor: s.rdevMajor,
            rdevMinor: s.rdevMinor
        })),
        ...(opts.extra ?? [])
    ]);
    try {
        const res = await writeRawCpio(packEntries(dir, extras, opts.hardlinks ?? 'copy'), outPath, {
            gzip: opts.gzip
        });
        return { entries: res.entries, bytes: res.bytes };
    }
    catch (err) {
        const e = err;
        if (e.code === 'EACCES' || e.code === 'ELOOP') {
            throw new ConfigurationError('rootfs', `cannot pack '${dir}': ${e.message}`);
        }
        throw err;
    }
}

export { TreeWriter as T, UnexpectedEofError as U, readSpecials as a, sniffArchiveFile as b, specialsSidecarPath as c, extractCpio as e, openArchive as o, packDirectory as p, readCpio as r, splitRdev as s, tarChecksumOk as t, walkTree as w };
