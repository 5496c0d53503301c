// The JSON Schema (draft 2020-12) of result.json, written by hand next to the CheckResult type.
// result-validate.ts interprets this very object, so the published schema and the check the matrix
// reader applies cannot drift apart. Literals only here: result.ts re-exports this module.

const nullable = (schema: Record<string, unknown>): Record<string, unknown> => ({
  anyOf: [schema, { type: 'null' }]
})
const ms = { type: 'number', minimum: 0 }
const nullableMs = { type: ['number', 'null'], minimum: 0 }
const verdict = { enum: ['pass', 'fail', 'error'] }

export const checkResultJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://github.com/unikraft-compat/unikraft-compat/blob/main/docs/result-schema.md',
  title: 'unikraft-compat result',
  description: 'The result of one unikraft-compat check (result.json). Readers ignore unknown fields.',
  type: 'object',
  required: [
    'schemaVersion',
    'verdict',
    'summary',
    'app',
    'guest',
    'accel',
    'accelReason',
    'unikraft',
    'qemu',
    'kraftkit',
    'probes',
    'findings',
    'timeline',
    'ports',
    'vm',
    'baseline',
    'rootfs',
    'artifacts',
    'error',
    'startedAt',
    'durationMs',
    'tool'
  ],
  properties: {
    schemaVersion: { const: 1 },
    verdict,
    summary: { type: 'string' },
    app: {
      type: 'object',
      required: ['name', 'dir'],
      properties: { name: { type: 'string', minLength: 1 }, dir: { type: 'string' } }
    },
    matrixCell: {
      type: 'object',
      required: ['app', 'version'],
      properties: { app: { type: 'string', minLength: 1 }, version: { type: 'string', minLength: 1 } }
    },
    guest: { enum: ['unikraft', 'linux'] },
    accel: { enum: ['kvm', 'tcg', null] },
    accelReason: { type: ['string', 'null'] },
    unikraft: nullable({
      type: 'object',
      required: ['version', 'codename', 'commit'],
      properties: {
        version: { type: 'string', minLength: 1 },
        codename: { type: ['string', 'null'] },
        commit: { type: ['string', 'null'] }
      }
    }),
    qemu: nullable({ $ref: '#/$defs/version' }),
    kraftkit: nullable({ $ref: '#/$defs/version' }),
    probes: { type: 'array', items: { $ref: '#/$defs/probe' } },
    findings: { $ref: '#/$defs/findings' },
    timeline: {
      type: 'object',
      required: ['setupMs', 'buildMs', 'launchMs', 'bootMs', 'bannerMs', 'readyMs', 'exitMs'],
      properties: {
        setupMs: nullableMs,
        buildMs: nullableMs,
        launchMs: nullableMs,
        bootMs: nullableMs,
        bannerMs: nullableMs,
        readyMs: nullableMs,
        exitMs: nullableMs
      }
    },
    ports: {
      type: 'object',
      propertyNames: { pattern: '^[1-9][0-9]{0,4}$' },
      additionalProperties: { type: 'integer', minimum: 1, maximum: 65535 }
    },
    vm: nullable({
      type: 'object',
      required: ['reason', 'qemuExit', 'guestExit', 'debugExit'],
      properties: {
        reason: {
          enum: [
            'exited',
            'crashed',
            'panicked',
            'stopped',
            'killed',
            'deadline',
            'boot-timeout',
            'qemu-error'
          ]
        },
        qemuExit: { type: ['integer', 'null'] },
        guestExit: { type: ['integer', 'null'] },
        debugExit: { enum: ['halt', 'crash', null] }
      }
    }),
    baseline: nullable({
      type: 'object',
      required: ['guest', 'verdict', 'findings', 'differential'],
      properties: {
        guest: { const: 'linux' },
        verdict,
        findings: { $ref: '#/$defs/findings' },
        differential: {
          type: 'object',
          required: ['kind', 'summary'],
          properties: { kind: { type: 'string', minLength: 1 }, summary: { type: 'string' } }
        }
      }
    }),
    rootfs: nullable({
      type: 'object',
      required: ['kind', 'entries', 'bytes'],
      properties: {
        kind: { type: 'string' },
        entries: { type: 'integer', minimum: 0 },
        bytes: { type: 'integer', minimum: 0 }
      }
    }),
    artifacts: { type: 'array', items: { type: 'string' } },
    error: nullable({
      type: 'object',
      required: ['kind', 'message'],
      properties: {
        kind: { enum: ['configuration', 'infrastructure', 'inconclusive', 'interrupted', 'bug'] },
        message: { type: 'string' },
        hint: { type: 'string' }
      }
    }),
    startedAt: {
      type: 'string',
      pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'
    },
    durationMs: ms,
    tool: {
      type: 'object',
      required: ['name', 'version'],
      properties: { name: { const: 'unikraft-compat' }, version: { type: 'string' } }
    }
  },
  $defs: {
    version: {
      type: 'object',
      required: ['version'],
      properties: { version: { type: 'string', minLength: 1 } }
    },
    probe: {
      type: 'object',
      required: ['kind', 'target', 'passed', 'attempts', 'durationMs', 'evidence'],
      properties: {
        kind: { type: 'string', minLength: 1 },
        target: { type: 'string' },
        passed: { type: 'boolean' },
        inconclusive: { type: 'boolean' },
        attempts: { type: 'integer', minimum: 0 },
        durationMs: ms,
        evidence: {
          type: 'object',
          properties: {
            sent: { type: 'string' },
            received: { type: 'string' },
            atMs: ms,
            note: { type: 'string' }
          }
        }
      }
    },
    findings: { type: 'array', items: { $ref: '#/$defs/finding' } },
    finding: {
      type: 'object',
      required: ['id', 'severity', 'line', 'evidence', 'detail', 'hint', 'source'],
      properties: {
        id: { type: 'string', pattern: '^[a-z][a-z0-9_.-]*$' },
        severity: { enum: ['error', 'warning', 'note'] },
        line: { type: ['integer', 'null'], minimum: 1 },
        evidence: { type: 'string' },
        detail: { type: ['string', 'null'] },
        hint: { type: 'string' },
        source: { enum: ['console', 'qemu', 'preflight', 'probe', 'baseline', 'setup'] },
        data: {
          type: 'object',
          additionalProperties: {
            anyOf: [
              { type: ['string', 'number', 'boolean', 'null'] },
              { type: 'array', items: { type: 'string' } }
            ]
          }
        },
        allowed: { type: 'boolean' }
      }
    }
  }
} as const
