// The CLI's downloader: node's fetch streamed to a file, with a deadline and a stall timeout, and an
// error that names the URL and what went wrong (HTTP status, DNS, timeout).
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { InfrastructureError } from '../errors.js'
import type { Downloader } from './tool-cache.js'

export interface FetchDownloadOptions {
  /** Whole download, headers to last byte (default 5 min). */
  timeoutMs?: number
  /** No byte for this long: give up (default 60 s). */
  stallMs?: number
  fetchImpl?: typeof fetch
}

function describeCause(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (e?.cause?.code) return `${e.cause.code}${e.cause.message ? ` (${e.cause.message})` : ''}`
  if (e?.cause?.message) return `${e.message}: ${e.cause.message}`
  return e?.message ?? String(err)
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`
}

export function createFetchDownloader(opts: FetchDownloadOptions = {}): Downloader {
  const timeoutMs = opts.timeoutMs ?? 5 * 60_000
  const stallMs = opts.stallMs ?? 60_000
  const doFetch = opts.fetchImpl ?? fetch
  return async (url, dest) => {
    const ac = new AbortController()
    let why = ''
    const abort = (reason: string): void => {
      why = reason
      ac.abort()
    }
    const deadline = setTimeout(() => abort(`no complete answer within ${duration(timeoutMs)}`), timeoutMs)
    let stall = setTimeout(() => abort(`nothing received for ${duration(stallMs)}`), stallMs)
    const touch = (): void => {
      clearTimeout(stall)
      stall = setTimeout(() => abort(`nothing received for ${duration(stallMs)}`), stallMs)
    }
    try {
      const res = await doFetch(url, { signal: ac.signal, redirect: 'follow' })
      if (!res.ok || !res.body) {
        throw new InfrastructureError(
          `could not download ${url}: HTTP ${res.status} ${res.statusText}`.trim(),
          res.status === 404
            ? 'check that this release and file exist'
            : 'retry later, or check the network and proxy'
        )
      }
      touch()
      const counter = new Transform({
        transform(chunk, _enc, cb) {
          touch()
          cb(null, chunk)
        }
      })
      await pipeline(
        Readable.fromWeb(res.body as unknown as WebReadableStream),
        counter,
        createWriteStream(dest)
      )
    } catch (err) {
      await rm(dest, { force: true })
      if (err instanceof InfrastructureError) throw err
      throw new InfrastructureError(
        `could not download ${url}: ${why || describeCause(err)}`,
        'check that this machine can reach the host (proxy, firewall, DNS)',
        { cause: err }
      )
    } finally {
      clearTimeout(deadline)
      clearTimeout(stall)
    }
  }
}
