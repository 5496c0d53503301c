import { describe, expect, it } from '@jest/globals'
import { ConfigurationError } from '../../../src/engine/errors.js'
import { guestPortsOf, parseProbe, parseProbes } from '../../../src/engine/probe/parse-probe.js'

describe('parseProbe: the one-string form', () => {
  it.each<[string, Record<string, unknown>]>([
    ['redis', { kind: 'redis', port: 6379, setGet: false, target: 'redis:6379', attemptTimeoutMs: 1000 }],
    ['redis:7000', { kind: 'redis', port: 7000, setGet: false, target: 'redis:7000' }],
    ['redis setget', { kind: 'redis', port: 6379, setGet: true }],
    ['redis:6380 setget=no timeout=500ms', { port: 6380, setGet: false, attemptTimeoutMs: 500 }],
    ['  REDIS:1 setget  ', { kind: 'redis', port: 1, setGet: true }],
    ['tcp:22', { kind: 'tcp', port: 22, target: 'tcp:22', attemptTimeoutMs: 1000 }],
    ['tcp:65535 timeout=1.5s', { port: 65535, attemptTimeoutMs: 1500 }],
    [
      'http',
      { kind: 'http', port: 80, path: '/', method: 'GET', status: [{ class: 2 }], body: null, headers: [] }
    ],
    ['http:8080', { port: 8080, path: '/', target: 'http:8080/' }],
    ['http:80/health?full=1', { port: 80, path: '/health?full=1', target: 'http:80/health?full=1' }],
    ['http:80/ status=200,3xx', { status: [{ exact: 200 }, { class: 3 }] }],
    ['http:80/ body=ok', { body: { source: 'ok', flags: '' } }],
    ['http:80/ body=/^hello\\s+world$/i', { body: { source: '^hello\\s+world$', flags: 'i' } }],
    [`http:80/ body='Welcome to nginx'`, { body: { source: 'Welcome to nginx', flags: '' } }],
    [
      'http:80/ header=Content-Type:/json/i header=x-id:\\d+',
      {
        headers: [
          { name: 'content-type', pattern: { source: 'json', flags: 'i' } },
          { name: 'x-id', pattern: { source: '\\d+', flags: '' } }
        ]
      }
    ],
    ['http:80/ method=head timeout=3s', { method: 'HEAD', attemptTimeoutMs: 3000 }],
    [
      'console:Hello, world!',
      { kind: 'console', pattern: { source: 'Hello, world!', flags: '' }, stop: true }
    ],
    [
      'console:/hello world/i',
      { pattern: { source: 'hello world', flags: 'i' }, stop: true, target: 'console:/hello world/i' }
    ],
    ['console:/a\\/b [/]/ stop=no', { pattern: { source: 'a\\/b [/]', flags: '' }, stop: false }],
    ['console:^htop \\d', { pattern: { source: '^htop \\d', flags: '' } }],
    ['console:Hello world stop=no', { pattern: { source: 'Hello world', flags: '' }, stop: false }],
    ['console:the server will stop', { pattern: { source: 'the server will stop', flags: '' }, stop: true }],
    ['exit', { kind: 'exit', code: 0, target: 'exit:0' }],
    ['exit:0', { kind: 'exit', code: 0 }],
    ['exit:255', { code: 255 }],
    [
      'command:true',
      { kind: 'command', argv: ['true'], retry: false, attemptTimeoutMs: null, target: 'command:true' }
    ],
    [
      `command:sh -c 'curl -f "http://$HOST:$PORT_80/"'`,
      {
        argv: ['sh', '-c', 'curl -f "http://$HOST:$PORT_80/"'],
        target: `command:sh -c 'curl -f "http://$HOST:$PORT_80/"'`
      }
    ],
    ['command:/bin/sh -c exit', { argv: ['/bin/sh', '-c', 'exit'] }]
  ])('%j', (input, expected) => {
    const spec = parseProbe(input, 'probe[1]')
    expect(spec).toMatchObject({ ...expected, input: 'probe[1]' })
  })
})

describe('parseProbe: the structured form', () => {
  it.each<[Record<string, unknown>, Record<string, unknown>]>([
    [{ kind: 'redis' }, { kind: 'redis', port: 6379, setGet: false }],
    [
      { kind: 'redis', port: '7000', setget: true, timeout: 0.25 },
      { port: 7000, setGet: true, attemptTimeoutMs: 250 }
    ],
    [
      { kind: 'tcp', port: 5432, timeout: '2s' },
      { kind: 'tcp', port: 5432, attemptTimeoutMs: 2000 }
    ],
    [
      {
        kind: 'http',
        port: 8080,
        path: '/api',
        status: [200, '3xx'],
        body: '/"ok":\\s*true/',
        headers: { 'Content-Type': 'application/json' }
      },
      {
        kind: 'http',
        target: 'http:8080/api',
        status: [{ exact: 200 }, { class: 3 }],
        body: { source: '"ok":\\s*true', flags: '' },
        headers: [{ name: 'content-type', pattern: { source: 'application/json', flags: '' } }]
      }
    ],
    [
      { kind: 'http', status: 404 },
      { port: 80, path: '/', status: [{ exact: 404 }] }
    ],
    [
      { kind: 'console', regex: 'Hello world' },
      { kind: 'console', pattern: { source: 'Hello world', flags: '' }, stop: true }
    ],
    [
      { kind: 'console', regex: '/done/i', stop: false },
      { pattern: { source: 'done', flags: 'i' }, stop: false }
    ],
    [
      { kind: 'exit', code: 3 },
      { kind: 'exit', code: 3 }
    ],
    [
      { kind: 'command', argv: ['sh', '-c', 'exit 0'] },
      { argv: ['sh', '-c', 'exit 0'], retry: false }
    ],
    [
      { kind: 'command', command: `sh -c 'exit 0'`, retry: true, timeout: '5s' },
      { argv: ['sh', '-c', 'exit 0'], retry: true, attemptTimeoutMs: 5000 }
    ]
  ])('%j', (input, expected) => {
    expect(parseProbe(input, 'probes[2]')).toMatchObject({ ...expected, input: 'probes[2]' })
  })
})

describe('parseProbe: bad probes are one ConfigurationError naming the input and the form', () => {
  it.each<[string | object, string]>([
    ['mysql:3306', `unknown probe kind 'mysql'`],
    ['', 'the probe is empty'],
    ['6379', `unknown probe kind '6379'`],
    ['tcp:0', 'port 0 is outside 1..65535'],
    ['tcp:65536', 'port 65536 is outside 1..65535'],
    ['redis:99999', 'port 99999 is outside 1..65535'],
    ['http:-1/', `port '-1' is not a number`],
    ['http:0/health', 'port 0 is outside 1..65535'],
    ['tcp', 'tcp needs a port'],
    ['tcp:', `nothing after 'tcp:'`],
    ['tcp:80 retries=3', `unknown option 'retries' (accepted: timeout)`],
    [
      'tcp:80 timeout=25h',
      `duration '25h' must be a duration like 60s, 2m, 1m30s or 500ms (a bare number is seconds), at most 24h`
    ],
    ['tcp:80 timeout=0', `duration '0' must be a duration like 60s`],
    ['redis:abc', `port 'abc' is not a number`],
    ['http:80/ status=600', `status '600' must be a code like 200 or a class like 2xx`],
    [
      'http:80/ body=(unclosed',
      'malformed regular expression: Invalid regular expression: /(unclosed/: Unterminated group'
    ],
    ['http:80/ body=/x/g', `regex flags 'g' must be among i, m, s, u`],
    ['http:80/ header=nocolon', `header 'nocolon' must look like NAME:REGEX`],
    [`http:80/ body='open`, `option 'body' has an unterminated single quote`],
    ['console:', 'a regular expression after console:'],
    [
      'console:([a-z]+',
      'malformed regular expression: Invalid regular expression: /([a-z]+/: Unterminated group'
    ],
    ['console:/abc', `starts a /REGEX/FLAGS without its closing slash`],
    ['console:/usr/bin', `regex flags 'bin' must be among i, m, s, u; a leading / starts /REGEX/FLAGS`],
    ['console:/x/ hold=1', `unknown option 'hold' (accepted: stop)`],
    ['console:/x/ stop=maybe', `'maybe' is not yes/no`],
    ['console:x stop=maybe', `'maybe' is not yes/no`],
    ['exit:256', 'the exit status must be a number 0..255'],
    ['exit:-1', `exit status '-1' must be a number 0..255`],
    ['exit:zero', `exit status 'zero' must be a number 0..255`],
    ['command:', 'no program given'],
    ['command:definitely-not-a-program-xyz --help', `program 'definitely-not-a-program-xyz' does not exist`],
    ['command:./no/such/script.sh', `program './no/such/script.sh' does not exist`],
    [`command:sh -c 'unterminated`, 'unterminated single quote at position 7'],
    [{ kind: 'mysql' }, `unknown probe kind 'mysql'`],
    [{ port: 80 }, 'the object has no kind'],
    [{ kind: 'tcp' }, `'port' is required`],
    [{ kind: 'tcp', port: 80, timout: '1s' }, `unknown key 'timout' (accepted: kind, port, timeout)`],
    [{ kind: 'redis', port: 70000 }, 'port 70000 is outside 1..65535'],
    [{ kind: 'redis', setget: 'sometimes' }, `'sometimes' is not yes/no`],
    [{ kind: 'http', headers: ['x'] }, `'headers' must be a map of NAME: REGEX`],
    [{ kind: 'console' }, `'regex' is required`],
    [{ kind: 'console', regex: '[' }, 'malformed regular expression'],
    [{ kind: 'exit', code: 1.5 }, 'the exit status must be a number 0..255'],
    [{ kind: 'command', argv: 'ls -l' }, `'argv' must be a list of strings`],
    [{ kind: 'command', argv: ['ls'], command: 'ls' }, `give either 'argv' or 'command', not both`],
    [{ kind: 'command', argv: ['no-such-program-xyz'] }, `program 'no-such-program-xyz' does not exist`],
    [['redis'], 'a probe is a string or an object, got a list']
  ])('%j: %s', (input, reason) => {
    let thrown: unknown
    try {
      parseProbe(input, 'probe[2]')
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(ConfigurationError)
    const e = thrown as ConfigurationError
    expect(e.input).toBe('probe[2]')
    expect(e.message).toMatch(/^Input 'probe\[2\]' must be /)
    expect(e.message).toContain(reason)
  })

  it('lists every accepted form when the kind is unknown', () => {
    expect(() => parseProbe('ping:80', 'probe[1]')).toThrow(
      /must be one of redis\[:PORT\].*; http\[:PORT\]\[\/PATH\].*; tcp:PORT.*; console:REGEX.*; exit:CODE.*; command:ARGV.*, or a \{kind: \.\.\.\} object \(unknown probe kind 'ping'\), got 'ping:80'/
    )
  })

  it('shows the structured form for a bad object', () => {
    expect(() => parseProbe({ kind: 'tcp', port: 'x' }, 'probes[1]')).toThrow(
      `Input 'probes[1]' must be {kind: tcp, port: PORT, timeout?: DURATION} (port 'x' is not a number), got '{"kind":"tcp","port":"x"}'`
    )
  })
})

describe('parseProbes and guestPortsOf', () => {
  it('names each probe by its 1-based position', () => {
    expect(() => parseProbes(['redis', 'tcp:99999'])).toThrow(`Input 'probe[2]'`)
  })

  it('lists the guest ports to forward, once each, in first-use order', () => {
    const specs = parseProbes([
      'console:ready',
      'http:8080/',
      'redis',
      'tcp:8080',
      'exit:0',
      'command:true',
      { kind: 'tcp', port: 22 }
    ])
    expect(guestPortsOf(specs)).toEqual([8080, 6379, 22])
  })
})
