import { writeSync, readSync, closeSync, openSync, constants } from 'node:fs';
import { once } from 'node:events';

// The cpio "newc" format as the writer and the reader share it: the entry shapes (the public
// CpioEntry and the fully-decided RawCpioEntry record), the mode's type bits, the header size, the
// trailer's name, 4-byte padding, and the path rule every archive entry obeys.
const TYPE_BITS = {
    file: 0o100000,
    dir: 0o040000,
    symlink: 0o120000,
    char: 0o020000,
    block: 0o060000,
    fifo: 0o010000
};
function assertSafeArchivePath(p) {
    if (p === '' || p.startsWith('/') || p.split('/').some(c => c === '..' || c === '')) {
        throw new Error(`cpio: unsafe entry path '${p}' (must be relative, without '..' or empty components)`);
    }
}
function pad4(n) {
    return (4 - (n % 4)) % 4;
}
const CPIO_HEADER_BYTES = 110;
const CPIO_TRAILER_NAME = 'TRAILER!!!';
/** Bytes an entry takes in a newc archive: header, name (NUL-terminated, padded), data (padded). */
function cpioEntryBytes(name, size) {
    const head = CPIO_HEADER_BYTES + Buffer.byteLength(name) + 1;
    return head + pad4(head) + size + pad4(size);
}

// The cpio writer's fast path: archive bytes batched into one large buffer that goes to a file
// (synchronous writes) or to gzip, newc headers written straight into it, and entry bodies copied or
// read from their files into it (checking each file neither shrank nor grew while archived).
// Small entries cost no promise; only an entry bigger than the buffer waits (for gzip) between chunks.
const HEX = Buffer.from('0123456789abcdef', 'latin1');
const BUF_BYTES = 2 << 20;
const MAX_FIELD = 0xffffffff;
/**
 * Batches archive bytes into a large buffer and hands it to a file (synchronous writes) or to
 * gzip. Everything for an entry that fits the buffer is synchronous: no promise per entry.
 */
class BatchSink {
    fd;
    gzip;
    buf = Buffer.allocUnsafe(BUF_BYTES);
    len = 0;
    total = 0;
    /** gzip asked us to wait ('drain') before giving it more. */
    needDrain = false;
    constructor(fd, gzip) {
        this.fd = fd;
        this.gzip = gzip;
    }
    flush() {
        if (this.len === 0)
            return;
        if (this.gzip) {
            if (!this.gzip.write(this.buf.subarray(0, this.len)))
                this.needDrain = true;
            // gzip keeps the buffer until it has compressed it: never reuse it.
            this.buf = Buffer.allocUnsafe(BUF_BYTES);
            this.len = 0;
            return;
        }
        let off = 0;
        while (off < this.len)
            off += writeSync(this.fd, this.buf, off, this.len - off);
        this.len = 0;
    }
    async drain() {
        if (this.needDrain && this.gzip) {
            this.needDrain = false;
            await once(this.gzip, 'drain');
        }
    }
    /** Makes room for `n` bytes (n <= buffer size). */
    room(n) {
        if (this.len + n > this.buf.length)
            this.flush();
    }
    putHeader(e) {
        const b = this.buf;
        const start = this.len;
        // Magic, 13 fields of 8 hex digits, then the name. The name goes in first (at its final
        // offset) because its byte length is one of the fields.
        const nameAt = start + CPIO_HEADER_BYTES;
        const nameBytes = b.write(e.name, nameAt, 'utf8');
        b[start] = 0x30; // '070701'
        b[start + 1] = 0x37;
        b[start + 2] = 0x30;
        b[start + 3] = 0x37;
        b[start + 4] = 0x30;
        b[start + 5] = 0x31;
        putHex8(b, start + 6, e.ino, e.name);
        putHex8(b, start + 14, e.mode, e.name);
        putHex8(b, start + 22, e.uid, e.name);
        putHex8(b, start + 30, e.gid, e.name);
        putHex8(b, start + 38, e.nlink, e.name);
        putHex8(b, start + 46, e.mtime, e.name);
        putHex8(b, start + 54, e.size, e.name);
        putHex8(b, start + 62, 0, e.name);
        putHex8(b, start + 70, 0, e.name);
        putHex8(b, start + 78, e.rdevMajor, e.name);
        putHex8(b, start + 86, e.rdevMinor, e.name);
        putHex8(b, start + 94, nameBytes + 1, e.name);
        putHex8(b, start + 102, 0, e.name);
        let o = nameAt + nameBytes;
        b[o++] = 0;
        const p = pad4(o - start);
        for (let i = 0; i < p; i++)
            b[o++] = 0;
        this.total += o - start;
        this.len = o;
    }
    putBytes(data) {
        data.copy(this.buf, this.len);
        this.len += data.length;
        this.total += data.length;
    }
    putPad(size) {
        const p = pad4(size);
        for (let i = 0; i < p; i++)
            this.buf[this.len++] = 0;
        this.total += p;
    }
}
function putHex8(b, off, n, name) {
    if (!(n >= 0 && n <= MAX_FIELD && Number.isInteger(n))) {
        throw new Error(`cpio: '${name}': value ${n} does not fit a newc header field (files must be under 4 GiB)`);
    }
    for (let i = 7; i >= 0; i--) {
        b[off + i] = HEX[n & 15];
        n >>>= 4;
    }
}
const probe = Buffer.alloc(1);
function openSource(e) {
    try {
        return openSync(e.source, constants.O_RDONLY | (e.noFollow ? constants.O_NOFOLLOW : 0));
    }
    catch (err) {
        const code = err.code;
        const why = code === 'EACCES' ? 'permission denied' : code === 'ELOOP' ? 'it became a symlink' : code;
        throw Object.assign(new Error(`cpio: cannot read '${e.source}' (${why})`), { code, path: e.source });
    }
}
/** Reads `size` bytes of the file into the buffer (flushing as it fills), then checks it did not grow. */
function readInto(sink, fd, e, left) {
    while (left > 0 && sink.len < sink.buf.length) {
        const n = readSync(fd, sink.buf, sink.len, Math.min(left, sink.buf.length - sink.len), null);
        if (n === 0)
            throw new Error(`cpio: '${e.source}' shrank while being archived`);
        sink.len += n;
        sink.total += n;
        left -= n;
    }
    return left;
}
/** One entry whose body fits the buffer: no promise involved. */
function putSmall(sink, e) {
    sink.room(CPIO_HEADER_BYTES + Buffer.byteLength(e.name) + 8);
    sink.putHeader(e);
    if (e.data) {
        if (e.data.length !== e.size)
            throw new Error(`cpio: '${e.name}': size ${e.size} but ${e.data.length} bytes given`);
        sink.room(e.data.length);
        sink.putBytes(e.data);
    }
    else if (e.source !== undefined && e.size > 0) {
        sink.room(e.size);
        const fd = openSource(e);
        try {
            readInto(sink, fd, e, e.size);
            if (readSync(fd, probe, 0, 1, null) !== 0)
                throw new Error(`cpio: '${e.source}' grew while being archived`);
        }
        finally {
            closeSync(fd);
        }
    }
    sink.room(4);
    sink.putPad(e.size);
}
/** An entry bigger than the buffer: streamed through it, waiting for gzip between chunks. */
async function putLarge(sink, e) {
    sink.room(CPIO_HEADER_BYTES + Buffer.byteLength(e.name) + 8);
    sink.putHeader(e);
    if (e.data) {
        if (e.data.length !== e.size)
            throw new Error(`cpio: '${e.name}': size ${e.size} but ${e.data.length} bytes given`);
        for (let off = 0; off < e.data.length; off += sink.buf.length) {
            sink.flush();
            await sink.drain();
            sink.putBytes(e.data.subarray(off, Math.min(e.data.length, off + sink.buf.length)));
        }
    }
    else if (e.source !== undefined) {
        const fd = openSource(e);
        try {
            let left = e.size;
            while (left > 0) {
                if (sink.len === sink.buf.length) {
                    sink.flush();
                    await sink.drain();
                }
                left = readInto(sink, fd, e, left);
            }
            if (readSync(fd, probe, 0, 1, null) !== 0)
                throw new Error(`cpio: '${e.source}' grew while being archived`);
        }
        finally {
            closeSync(fd);
        }
    }
    sink.room(4);
    sink.putPad(e.size);
}

export { BatchSink as B, CPIO_HEADER_BYTES as C, TYPE_BITS as T, BUF_BYTES as a, putSmall as b, CPIO_TRAILER_NAME as c, assertSafeArchivePath as d, pad4 as e, cpioEntryBytes as f, putLarge as p };
