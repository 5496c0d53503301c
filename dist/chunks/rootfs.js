import { p as packDirectory, r as readCpio } from './pack-directory.js';
import { p as parse, U as UsageError, C as COMMON_OPTIONS } from './args.js';
import 'node:path';
import './errors.js';
import 'node:fs';
import 'node:fs/promises';
import 'node:stream';
import 'node:zlib';
import 'node:crypto';
import 'node:stream/promises';
import './cpio-batch-sink.js';
import 'node:events';
import './command-runner.js';
import 'node:child_process';
import './tree-path.js';
import 'node:util';
import './inputs.js';

// `unikraft-compat rootfs pack DIR OUT` and `rootfs ls ARCHIVE`: the cpio tools on their own.
const TYPE_CHAR = {
    file: '-',
    dir: 'd',
    symlink: 'l',
    char: 'c',
    block: 'b',
    fifo: 'p',
    socket: 's'
};
function modeString(type, mode) {
    const bits = 'rwxrwxrwx';
    let s = TYPE_CHAR[type] ?? '?';
    for (let i = 0; i < 9; i++)
        s += mode & (1 << (8 - i)) ? bits[i] : '-';
    return s;
}
async function rootfsCommand(args, term) {
    const [sub, ...rest] = args;
    if (sub === 'pack') {
        const { values, positionals } = parse('rootfs pack', rest, { ...COMMON_OPTIONS, gzip: { type: 'boolean' } }, 2);
        if (positionals.length !== 2)
            throw new UsageError('rootfs pack', "'unikraft-compat rootfs pack' needs DIR and OUT.cpio");
        const [dir, out] = positionals;
        const r = await packDirectory(dir, out, { gzip: values.gzip === true });
        term.out(values.json
            ? `${JSON.stringify({ archive: out, ...r })}\n`
            : `${out}: ${r.entries} entries, ${r.bytes} bytes\n`);
        return 0;
    }
    if (sub === 'ls') {
        const { values, positionals } = parse('rootfs ls', rest, COMMON_OPTIONS, 1);
        if (positionals.length !== 1)
            throw new UsageError('rootfs ls', "'unikraft-compat rootfs ls' needs the archive: rootfs ls ARCHIVE.cpio");
        const rows = [];
        for await (const e of readCpio(positionals[0])) {
            if (values.json)
                rows.push(JSON.stringify({ path: e.path, type: e.type, mode: e.mode, size: e.size, linkTarget: e.linkTarget }));
            else {
                const size = e.type === 'char' || e.type === 'block' ? `${e.rdevMajor},${e.rdevMinor}` : String(e.size);
                rows.push(`${modeString(e.type, e.mode)} ${size.padStart(10)} ${e.path}${e.linkTarget !== undefined ? ` -> ${e.linkTarget}` : ''}`);
            }
        }
        term.out(rows.length ? `${rows.join('\n')}\n` : '');
        return 0;
    }
    throw new UsageError('rootfs', `'unikraft-compat rootfs' takes 'pack DIR OUT.cpio' or 'ls ARCHIVE.cpio', got '${sub ?? ''}'`);
}

export { rootfsCommand };
