// Starts the config's host services before the boot and stops them after it, keeping their logs.
import { spawn, type ChildProcess } from 'node:child_process'
import { serviceLogName } from '../run-files.js'
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { connect } from 'node:net'
import { join, normalize, resolve, sep } from 'node:path'
import type { ServiceSpec } from '../config/services.js'
import { InfrastructureError } from '../errors.js'
import type { Logger } from '../logger.js'

export interface RunningServices {
  /** Log files written, relative to outDir. */
  logs: string[]
  stop(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json'
}

function httpServer(spec: Extract<ServiceSpec, { kind: 'http' }>, log: WriteStream): Server {
  const root = resolve(spec.dir)
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host')
    let path = normalize(join(root, decodeURIComponent(url.pathname)))
    const done = (status: number): void => {
      log.write(`${new Date().toISOString()} ${req.method} ${url.pathname} ${status}\n`)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end()
      return done(405)
    }
    if (path !== root && !path.startsWith(root + sep)) {
      res.writeHead(403).end()
      return done(403)
    }
    void (async () => {
      try {
        if ((await stat(path)).isDirectory()) path = join(path, 'index.html')
        const st = await stat(path)
        const ext = path.slice(path.lastIndexOf('.'))
        res.writeHead(200, {
          'content-type': TYPES[ext] ?? 'application/octet-stream',
          'content-length': st.size
        })
        if (req.method === 'HEAD') res.end()
        else createReadStream(path).pipe(res)
        done(200)
      } catch {
        res.writeHead(404).end()
        done(404)
      }
    })()
  })
}

function accepts(port: number): Promise<boolean> {
  return new Promise(resolveAccept => {
    const s = connect({ host: '127.0.0.1', port })
    s.once('connect', () => {
      s.destroy()
      resolveAccept(true)
    })
    s.once('error', () => resolveAccept(false))
  })
}

export async function startServices(
  specs: readonly ServiceSpec[],
  outDir: string,
  logger: Logger
): Promise<RunningServices> {
  const servers: Server[] = []
  const children: ChildProcess[] = []
  const streams: WriteStream[] = []
  const logs: string[] = []
  const stop = async (): Promise<void> => {
    for (const s of servers) await new Promise<void>(r => s.close(() => r()))
    for (const c of children) {
      if (c.exitCode === null && c.signalCode === null && c.pid) {
        try {
          process.kill(-c.pid, 'SIGTERM')
        } catch {
          /* already gone */
        }
        const exited = await Promise.race([
          new Promise(r => c.once('exit', r)),
          new Promise(r => setTimeout(() => r(null), 1000))
        ])
        if (exited === null) {
          try {
            process.kill(-c.pid, 'SIGKILL')
          } catch {
            /* already gone */
          }
        }
      }
    }
    await Promise.all(streams.map(s => new Promise(r => s.end(r))))
  }
  try {
    for (const [i, spec] of specs.entries()) {
      const name = serviceLogName(i)
      const log = createWriteStream(join(outDir, name))
      streams.push(log)
      logs.push(name)
      if (spec.kind === 'http') {
        const server = httpServer(spec, log)
        await new Promise<void>((ok, fail) => {
          server.once('error', fail)
          server.listen(spec.port, '127.0.0.1', () => ok())
        }).catch(err => {
          throw new InfrastructureError(
            `host service ${i + 1} cannot listen on 127.0.0.1:${spec.port}: ${(err as Error).message}`,
            'free the port, or give the service another one'
          )
        })
        servers.push(server)
        logger.info(
          `host service ${i + 1}: serving ${spec.dir} on 127.0.0.1:${spec.port} (10.0.2.2:${spec.port} in the guest)`
        )
      } else {
        if (await accepts(spec.port))
          throw new InfrastructureError(
            `host service ${i + 1}: port ${spec.port} is already in use`,
            'free the port, or give the service another one'
          )
        const child = spawn(spec.argv[0], spec.argv.slice(1), {
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
          shell: false
        })
        children.push(child)
        child.stdout?.pipe(log, { end: false })
        child.stderr?.pipe(log, { end: false })
        const failed = new Promise<Error>(r => child.once('error', r))
        const deadline = Date.now() + 10_000
        for (;;) {
          const err = await Promise.race([failed, new Promise<null>(r => setTimeout(() => r(null), 100))])
          if (err)
            throw new InfrastructureError(
              `host service ${i + 1} (${spec.argv[0]}) could not start: ${err.message}`
            )
          if (child.exitCode !== null)
            throw new InfrastructureError(
              `host service ${i + 1} (${spec.argv[0]}) exited with ${child.exitCode} before listening; see ${name}`
            )
          if (await accepts(spec.port)) break
          if (Date.now() > deadline)
            throw new InfrastructureError(
              `host service ${i + 1} (${spec.argv[0]}) did not listen on 127.0.0.1:${spec.port} within 10 s; see ${name}`
            )
        }
        logger.info(`host service ${i + 1}: ${spec.argv.join(' ')} listening on 127.0.0.1:${spec.port}`)
      }
    }
  } catch (err) {
    await stop()
    throw err
  }
  return { logs, stop }
}
