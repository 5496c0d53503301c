import { lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { C as ConfigurationError } from './errors.js';

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

export { SymlinkLoopError as S, TreeView as T, comparePaths as c, guestDirname as g, normaliseArchivePath as n, toGuestPath as t };
