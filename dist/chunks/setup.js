import { join } from 'node:path';
import { nodeCommandRunner } from './command-runner.js';
import { t as toError } from './errors.js';
import { i as inputDefault } from './inputs.js';
import { c as createConsoleLogger, d as defaultCacheRoot, a as createDirectoryToolCache, b as checkQemu, e as ensureQemu, i as installKraftkit, n as noopPersistentCache } from './kraftkit-install.js';
import 'node:child_process';
import 'node:fs/promises';
import 'node:crypto';
import 'node:fs';
import 'node:os';
import './vm-registry.js';
import 'node:string_decoder';
import { a as ensureLinuxKernel, e as ensureBusybox } from './linux-kernel.js';
import 'node:zlib';
import 'node:stream/promises';
import './cpio-batch-sink.js';
import 'node:net';
import { c as createFetchDownloader } from './fetch-download.js';
import { p as parse, C as COMMON_OPTIONS } from './args.js';
import './privileges.js';
import './version-compare.js';
import './find-program.js';
import 'node:events';
import 'node:stream';
import 'node:util';

// `unikraft-compat setup [--check]`: what a run needs (QEMU, the Linux baseline kernel and busybox,
// KraftKit), what is there, and, unless --check, installs what is missing.
async function setupCommand(args, term) {
    const { values } = parse('setup', args, { ...COMMON_OPTIONS, check: { type: 'boolean' }, 'kraftkit-version': { type: 'string' } }, 0);
    const check = values.check === true;
    const logger = createConsoleLogger({ verbose: values.verbose === true, write: l => term.err(`${l}\n`) });
    const runner = nodeCommandRunner;
    const cache = defaultCacheRoot();
    const items = [];
    const attempt = async (name, fn) => {
        try {
            items.push({ name, ok: true, detail: await fn() });
        }
        catch (err) {
            items.push({ name, ok: false, detail: toError(err).message.split('\n')[0] });
        }
    };
    await attempt('QEMU', async () => {
        const q = check
            ? await checkQemu({ runner, logger })
            : await ensureQemu({ runner, logger }, { install: true });
        if (!q.ok)
            throw new Error(q.problem ?? 'not usable; would run: apt-get install qemu-system-x86');
        return `${q.path} (${q.version})`;
    });
    if (check) {
        items.push({
            name: 'Linux baseline kernel',
            ok: true,
            detail: `would be fetched into ${join(cache, 'linux')} with apt-get download (if not cached)`
        });
    }
    else {
        await attempt('Linux baseline kernel', async () => {
            const k = await ensureLinuxKernel(join(cache, 'linux'), { runner, logger });
            return `${k.package} ${k.version} (${k.kernel})`;
        });
        await attempt('busybox (static)', async () => ensureBusybox(cache, { runner }));
    }
    const version = typeof values['kraftkit-version'] === 'string'
        ? values['kraftkit-version']
        : (inputDefault('kraftkit-version') ?? '');
    const toolCache = createDirectoryToolCache();
    if (check) {
        const found = toolCache.find('kraftkit', version.replace(/^v/, ''), 'amd64');
        items.push({
            name: `KraftKit ${version}`,
            ok: found !== null,
            detail: found ?? 'not installed; would download it from the KraftKit release and verify its sha256'
        });
    }
    else {
        await attempt(`KraftKit ${version}`, async () => {
            const k = await installKraftkit({ version, arch: 'x86_64' }, { download: createFetchDownloader(), toolCache, logger, runner, persistentCache: noopPersistentCache });
            return k.path;
        });
    }
    if (values.json)
        term.out(`${JSON.stringify({ check, items }, null, 2)}\n`);
    else
        for (const i of items)
            term.out(`${i.ok ? 'ok     ' : 'missing'} ${i.name}: ${i.detail}\n`);
    return items.every(i => i.ok) ? 0 : 3;
}

export { setupCommand };
