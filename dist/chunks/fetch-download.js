import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { I as InfrastructureError } from './errors.js';

// The CLI's downloader: node's fetch streamed to a file, with a deadline and a stall timeout, and an
// error that names the URL and what went wrong (HTTP status, DNS, timeout).
function describeCause(err) {
    const e = err;
    if (e?.cause?.code)
        return `${e.cause.code}${e.cause.message ? ` (${e.cause.message})` : ''}`;
    if (e?.cause?.message)
        return `${e.message}: ${e.cause.message}`;
    return e?.message ?? String(err);
}
function duration(ms) {
    return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
function createFetchDownloader(opts = {}) {
    const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
    const stallMs = opts.stallMs ?? 60_000;
    const doFetch = opts.fetchImpl ?? fetch;
    return async (url, dest) => {
        const ac = new AbortController();
        let why = '';
        const abort = (reason) => {
            why = reason;
            ac.abort();
        };
        const deadline = setTimeout(() => abort(`no complete answer within ${duration(timeoutMs)}`), timeoutMs);
        let stall = setTimeout(() => abort(`nothing received for ${duration(stallMs)}`), stallMs);
        const touch = () => {
            clearTimeout(stall);
            stall = setTimeout(() => abort(`nothing received for ${duration(stallMs)}`), stallMs);
        };
        try {
            const res = await doFetch(url, { signal: ac.signal, redirect: 'follow' });
            if (!res.ok || !res.body) {
                throw new InfrastructureError(`could not download ${url}: HTTP ${res.status} ${res.statusText}`.trim(), res.status === 404
                    ? 'check that this release and file exist'
                    : 'retry later, or check the network and proxy');
            }
            touch();
            const counter = new Transform({
                transform(chunk, _enc, cb) {
                    touch();
                    cb(null, chunk);
                }
            });
            await pipeline(Readable.fromWeb(res.body), counter, createWriteStream(dest));
        }
        catch (err) {
            await rm(dest, { force: true });
            if (err instanceof InfrastructureError)
                throw err;
            throw new InfrastructureError(`could not download ${url}: ${why || describeCause(err)}`, 'check that this machine can reach the host (proxy, firewall, DNS)', { cause: err });
        }
        finally {
            clearTimeout(deadline);
            clearTimeout(stall);
        }
    };
}

export { createFetchDownloader as c };
