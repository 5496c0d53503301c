import { describe, expect, it } from '@jest/globals'
import { InfrastructureError } from '../../../src/engine/errors.js'
import { parseKraftPorts, parseKraftPs } from '../../../src/engine/kraft/kraft-ps.js'

// As kraft prints them: Go's json.Marshal of []map[string]string (keys sorted, '>' escaped as \u003e).
const SHORT =
  '[{"args":"/usr/bin/redis-server /etc/redis/redis.conf","created":"2 seconds ago","kernel":"oci://unikraft.org/base:latest","mem":"256Mi","name":"ukc-1a2b3c4d","plat":"qemu/x86_64","ports":"0.0.0.0:16379-\\u003e6379/tcp","status":"running"},' +
  '{"args":"/nginx","created":"3 minutes ago","kernel":"oci://unikraft.org/nginx:1.25","mem":"64Mi","name":"hungry_turing","plat":"qemu/x86_64","ports":"","status":"exited"}]'
const LONG =
  '[{"arch":"x86_64","args":"/usr/bin/redis-server","created":"1 second ago","ip":"","kernel":"/w/base/unikraft/bin/kernel","machine id":"079c32a8-b19e-4c6e-be72-4baa5d5f707b","mem":"256Mi","name":"ukc-9","pid":"48211","plat":"qemu","ports":"0.0.0.0:8082-\\u003e80/tcp, 0.0.0.0:8443-\\u003e443/tcp","status":"running"}]'

describe('parseKraftPs', () => {
  it('reads the default columns', () => {
    expect(parseKraftPs(SHORT)).toEqual([
      {
        name: 'ukc-1a2b3c4d',
        kernel: 'oci://unikraft.org/base:latest',
        args: '/usr/bin/redis-server /etc/redis/redis.conf',
        created: '2 seconds ago',
        status: 'running',
        state: 'running',
        mem: '256Mi',
        ports: [{ hostIp: '0.0.0.0', host: 16379, guest: 6379, protocol: 'tcp' }],
        plat: 'qemu',
        arch: 'x86_64',
        id: null,
        pid: null
      },
      expect.objectContaining({ name: 'hungry_turing', state: 'exited', ports: [] })
    ])
  })

  it('reads the -l columns: machine id, pid and a separate arch', () => {
    const [m] = parseKraftPs(LONG)
    expect(m).toMatchObject({
      id: '079c32a8-b19e-4c6e-be72-4baa5d5f707b',
      pid: 48211,
      plat: 'qemu',
      arch: 'x86_64',
      ports: [
        { hostIp: '0.0.0.0', host: 8082, guest: 80, protocol: 'tcp' },
        { hostIp: '0.0.0.0', host: 8443, guest: 443, protocol: 'tcp' }
      ]
    })
  })

  it.each(['created', 'running', 'exited', 'errored', 'failed'])('knows the state %s', status => {
    const [m] = parseKraftPs(JSON.stringify([{ name: 'a', status }]))
    expect(m.state).toBe(status)
  })

  it('keeps an unknown status as text and calls it unknown', () => {
    const [m] = parseKraftPs('[{"name":"a","status":"hibernating"}]')
    expect(m).toMatchObject({ state: 'unknown', status: 'hibernating' })
  })

  it.each([
    ['null', []],
    ['null\n', []],
    ['[]', []]
  ])('no machines: %j', (out, want) => {
    expect(parseKraftPs(out)).toEqual(want)
  })

  it('finds the JSON after log lines', () => {
    expect(parseKraftPs(`i  using platform qemu\n${LONG}\n`)).toHaveLength(1)
  })

  it.each(['', 'E  could not connect to containerd', '{"name":"a"}'])(
    'refuses %j with an InfrastructureError',
    out => {
      expect(() => parseKraftPs(out)).toThrow(InfrastructureError)
    }
  )
})

describe('parseKraftPorts', () => {
  it.each([
    ['', []],
    [':8080->80/tcp', [{ hostIp: '', host: 8080, guest: 80, protocol: 'tcp' }]],
    ['127.0.0.1:53->53/UDP', [{ hostIp: '127.0.0.1', host: 53, guest: 53, protocol: 'udp' }]]
  ])('%j', (text, ports) => {
    expect(parseKraftPorts(text)).toEqual(ports)
  })
})
