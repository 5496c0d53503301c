import { createWriteStream, openSync, closeSync, lstatSync, readlinkSync } from 'node:fs';
import { rename, stat, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { B as BatchSink, a as BUF_BYTES, p as putLarge, b as putSmall, C as CPIO_HEADER_BYTES, c as CPIO_TRAILER_NAME, d as assertSafeArchivePath, T as TYPE_BITS } from './cpio-batch-sink.js';
import { join } from 'node:path';
import { C as ConfigurationError } from './errors.js';

// Streaming cpio "newc" writer: the initrd format that Unikraft's ukcpio and Linux both read.
// Deterministic: callers hand entries in a fixed order; mtime, uid and gid default to 0.
// Fast path: headers and small files are batched into one large buffer (small files are read
// straight into it), so packing is a few big writes rather than several per file.
// The format's shapes and constants live in cpio-format.ts, the buffer and the entry bodies in
// cpio-batch-sink.ts; this module is the entry point and re-exports what callers import from it.
const TRAILER = {
    name: CPIO_TRAILER_NAME,
    mode: 0,
    ino: 0,
    nlink: 1,
    uid: 0,
    gid: 0,
    mtime: 0,
    size: 0,
    rdevMajor: 0,
    rdevMinor: 0
};
/**
 * Writes fully-specified records, then the trailer, to `outPath` atomically (a temporary file
 * renamed into place), so a failed run never leaves a half-written archive behind.
 */
async function writeRawCpio(entries, outPath, opts = {}) {
    const tmp = `${outPath}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
    let fd = -1;
    let gzip = null;
    let piping = null;
    try {
        if (opts.gzip) {
            gzip = createGzip({ level: 6 });
            piping = pipeline(gzip, createWriteStream(tmp));
            piping.catch(() => { }); // awaited below; keeps an early failure from going unhandled
        }
        else {
            fd = openSync(tmp, 'w', 0o644);
        }
        const sink = new BatchSink(fd, gzip);
        const small = BUF_BYTES / 2;
        let count = 0;
        let sinceYield = 0;
        const breathe = () => {
            // Keep the event loop breathing on huge trees (the reads and writes are synchronous).
            if (++sinceYield < 256)
                return null;
            sinceYield = 0;
            return new Promise(r => setImmediate(r));
        };
        if (Symbol.iterator in entries) {
            // A synchronous source (packDirectory's walk) costs no promise per small entry.
            for (const e of entries) {
                if (e.size > small)
                    await putLarge(sink, e);
                else
                    putSmall(sink, e);
                count++;
                if (sink.needDrain)
                    await sink.drain();
                const pause = breathe();
                if (pause)
                    await pause;
            }
        }
        else {
            for await (const e of entries) {
                if (e.size > small)
                    await putLarge(sink, e);
                else
                    putSmall(sink, e);
                count++;
                await sink.drain();
                await breathe();
            }
        }
        sink.room(CPIO_HEADER_BYTES + 16);
        sink.putHeader(TRAILER);
        sink.flush();
        const rawBytes = sink.total;
        if (gzip) {
            gzip.end();
            await piping;
        }
        else {
            closeSync(fd);
            fd = -1;
        }
        await rename(tmp, outPath);
        const bytes = gzip ? (await stat(outPath)).size : rawBytes;
        return { entries: count, bytes, rawBytes };
    }
    catch (err) {
        if (fd >= 0)
            closeSync(fd);
        if (gzip) {
            gzip.destroy();
            await piping?.catch(() => { });
        }
        await rm(tmp, { force: true });
        throw err;
    }
}
/** Maps the public entry shape to records: sequential inode numbers, nlink 1 (2 for directories). */
async function* toRawEntries(entries) {
    let ino = 1;
    for await (const e of entries) {
        assertSafeArchivePath(e.path);
        let data;
        let size = 0;
        let source;
        if (e.type === 'symlink') {
            if (e.linkTarget === undefined)
                throw new Error(`cpio: symlink '${e.path}' has no target`);
            data = Buffer.from(e.linkTarget, 'utf8');
            size = data.length;
        }
        else if (e.type === 'file') {
            if (e.data) {
                data = e.data;
                size = data.length;
            }
            else if (e.source !== undefined) {
                if (e.size === undefined)
                    throw new Error(`cpio: file '${e.path}' from '${e.source}' has no size`);
                size = e.size;
                source = e.source;
            }
        }
        yield {
            name: e.path,
            mode: TYPE_BITS[e.type] | (e.mode & 0o7777),
            ino: ino++,
            nlink: e.type === 'dir' ? 2 : 1,
            uid: e.uid ?? 0,
            gid: e.gid ?? 0,
            mtime: e.mtime ?? 0,
            size,
            rdevMajor: e.rdevMajor ?? 0,
            rdevMinor: e.rdevMinor ?? 0,
            data,
            source
        };
    }
}
/**
 * Writes entries to `outPath` atomically (a temporary file renamed into place), so a failed
 * run never leaves a half-written archive where the next run would pick it up.
 */
async function writeCpio(entries, outPath, opts = {}) {
    await writeRawCpio(toRawEntries(entries), outPath, opts);
}

// Paths inside a root filesystem tree: archive entry names made safe, a stable component-wise
// order, and symlink resolution confined to the tree (chroot semantics, loops rejected), so a
// tree is never read or written outside its root whatever its symlinks say.
/** The kernel's limit on symlinks followed while resolving one path (MAXSYMLINKS). */
const MAX_SYMLINK_HOPS = 40;
class SymlinkLoopError extends Error {
    guestPath;
    chain;
    name = 'SymlinkLoopError';
    constructor(guestPath, chain) {
        super(`symlink loop while resolving '${guestPath}': more than ${MAX_SYMLINK_HOPS} links followed (${chain.slice(0, 6).join(', ')}${chain.length > 6 ? ', ...' : ''})`);
        this.guestPath = guestPath;
        this.chain = chain;
    }
}
/**
 * An archive entry name as a relative, '/'-separated path without empty or '.' components.
 * Leading '/' is dropped (absolute names are made relative); '..' is rejected. '' is the root.
 */
function normaliseArchivePath(raw, what) {
    const parts = raw.split('/').filter(c => c !== '' && c !== '.');
    if (parts.includes('..')) {
        throw new ConfigurationError('rootfs', `${what}: entry '${raw}' escapes the root filesystem (it has a '..' component); refusing to extract it`);
    }
    if (raw.includes('\0'))
        throw new ConfigurationError('rootfs', `${what}: entry '${raw}' has a NUL byte in its name`);
    return parts.join('/');
}
/** Component-wise order: a directory sorts right before its own contents (pre-order of a sorted walk). */
function comparePaths(a, b) {
    const as = a.split('/');
    const bs = b.split('/');
    const n = Math.min(as.length, bs.length);
    for (let i = 0; i < n; i++) {
        if (as[i] !== bs[i])
            return as[i] < bs[i] ? -1 : 1;
    }
    return as.length - bs.length;
}
/** '/a/b' for 'a/b', '/a/b/' or 'a//b'; '/' for the root. */
function toGuestPath(p) {
    return ('/' +
        p
            .split('/')
            .filter(c => c !== '' && c !== '.')
            .join('/'));
}
function guestDirname(p) {
    const i = p.lastIndexOf('/');
    return i <= 0 ? '/' : p.slice(0, i);
}
/**
 * A read-only view of a tree at `root` as the guest would see it: guest paths are absolute
 * ('/usr/lib/...'), absolute symlink targets are taken from the tree's root and '..' never
 * climbs above it. Results are cached: a view is for one pass over a tree that does not change.
 */
class TreeView {
    root;
    statCache = new Map();
    linkCache = new Map();
    constructor(root) {
        this.root = root;
    }
    hostPath(guest) {
        return join(this.root, guest);
    }
    lstat(guest) {
        let st = this.statCache.get(guest);
        if (st === undefined) {
            try {
                st = lstatSync(this.hostPath(guest));
            }
            catch {
                st = null;
            }
            this.statCache.set(guest, st);
        }
        return st;
    }
    readlink(guest) {
        let t = this.linkCache.get(guest);
        if (t === undefined) {
            t = readlinkSync(this.hostPath(guest));
            this.linkCache.set(guest, t);
        }
        return t;
    }
    /**
     * Resolves a guest path the way the kernel would inside a chroot. Returns null when it does not
     * exist (or a middle component is not a directory); throws SymlinkLoopError on a loop.
     */
    resolve(guest, opts = {}) {
        const followLast = opts.followLast ?? true;
        let queue = guest.split('/').filter(c => c !== '');
        const cur = [];
        const links = [];
        let hops = 0;
        while (queue.length > 0) {
            const c = queue.shift();
            if (c === '.')
                continue;
            if (c === '..') {
                cur.pop();
                continue;
            }
            const p = '/' + (cur.length ? cur.join('/') + '/' : '') + c;
            const st = this.lstat(p);
            if (!st)
                return null;
            const isLast = queue.length === 0;
            if (st.isSymbolicLink() && (!isLast || followLast)) {
                if (++hops > MAX_SYMLINK_HOPS) {
                    throw new SymlinkLoopError(guest, links.map(l => `${l.path} -> ${l.target}`));
                }
                const target = this.readlink(p);
                links.push({ path: p, target });
                if (target.startsWith('/'))
                    cur.length = 0;
                queue = [...target.split('/').filter(x => x !== ''), ...queue];
                continue;
            }
            if (!isLast && !st.isDirectory())
                return null;
            cur.push(c);
        }
        const path = '/' + cur.join('/');
        const stats = this.lstat(path);
        return stats ? { path, links, stats } : null;
    }
}

export { SymlinkLoopError as S, TreeView as T, writeCpio as a, comparePaths as c, guestDirname as g, normaliseArchivePath as n, toGuestPath as t, writeRawCpio as w };
