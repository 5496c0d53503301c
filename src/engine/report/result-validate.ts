// Structural validation of result.json against checkResultJsonSchema, by interpreting the schema's
// small subset of JSON Schema keywords (no dependency). An unknown keyword in the schema throws, so
// the schema can never use a rule this validator silently skips.
import type { CheckResult } from './result.js'
import { checkResultJsonSchema } from './result-schema.js'

// The literal, not result.ts's constant: result.ts re-exports this module (an import cycle).
const RESULT_SCHEMA_VERSION = checkResultJsonSchema.properties.schemaVersion.const

export type ValidationOutcome = { ok: true; result: CheckResult } | { ok: false; problems: string[] }

type Schema = Record<string, unknown>

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs'])
const KEYWORDS = new Set([
  'type',
  'const',
  'enum',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'minimum',
  'maximum',
  'minLength',
  'pattern',
  'anyOf',
  '$ref'
])
const MAX_PROBLEMS = 20

/** Checks a parsed result.json; the problems name the JSON path, the rule and what was there. */
export function validateCheckResult(value: unknown): ValidationOutcome {
  const foreign = foreignReason(value)
  if (foreign) return { ok: false, problems: [foreign] }
  const problems = validateAgainst(checkResultJsonSchema as unknown as Schema, value)
  if (problems.length > 0) return { ok: false, problems: problems.slice(0, MAX_PROBLEMS) }
  return { ok: true, result: value as CheckResult }
}

/** Says plainly when the file is not ours at all, or from another schema version, before details. */
function foreignReason(value: unknown): string | null {
  if (!isObject(value)) return `not a unikraft-compat result: the file holds ${show(value)}, not an object`
  const version = value.schemaVersion
  const tool = isObject(value.tool) ? value.tool.name : undefined
  if (version === undefined) {
    return tool === 'unikraft-compat'
      ? 'a unikraft-compat result without schemaVersion (written before results were versioned)'
      : 'not a unikraft-compat result: no schemaVersion and no tool.name "unikraft-compat"'
  }
  if (typeof version === 'number' && Number.isInteger(version) && version !== RESULT_SCHEMA_VERSION) {
    return version > RESULT_SCHEMA_VERSION
      ? `schemaVersion ${version} comes from a newer unikraft-compat; this one reads version ${RESULT_SCHEMA_VERSION}: update it`
      : `schemaVersion ${version} is older than the version ${RESULT_SCHEMA_VERSION} this tool reads`
  }
  return null
}

/** Validates `value` against `schema` (whose `$defs` resolve local `$ref`s). */
export function validateAgainst(schema: Schema, value: unknown): string[] {
  const problems: string[] = []
  check(schema, value, '', schema, problems)
  return problems
}

function check(schema: Schema, value: unknown, path: string, root: Schema, out: string[]): void {
  const at = path === '' ? '(root)' : path
  for (const key of Object.keys(schema)) {
    if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key)) throw new Error(`schema keyword '${key}' not supported`)
  }
  if (typeof schema.$ref === 'string') {
    check(resolveRef(root, schema.$ref), value, path, root, out)
  }
  if (Array.isArray(schema.anyOf)) {
    const branches = (schema.anyOf as Schema[]).map(s => {
      const sub: string[] = []
      check(s, value, path, root, sub)
      return sub
    })
    if (!branches.some(b => b.length === 0)) {
      // The branch whose type fits tells the real story; otherwise list the accepted types.
      const fitting = branches.filter(b => !b.some(p => p.startsWith(`${at}: must be `)))
      if (fitting.length > 0) out.push(...fitting[0])
      else
        out.push(
          `${at}: must be ${(schema.anyOf as Schema[]).map(b => describeType(b, root)).join(' or ')}, got ${show(value)}`
        )
    }
  }
  if ('const' in schema && !Object.is(schema.const, value)) {
    out.push(`${at}: must be ${JSON.stringify(schema.const)}, got ${show(value)}`)
    return
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value as never)) {
    out.push(
      `${at}: must be one of ${schema.enum.map(v => JSON.stringify(v)).join(', ')}, got ${show(value)}`
    )
    return
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string]
    if (!types.some(t => hasType(value, t))) {
      out.push(`${at}: must be ${types.join(' or ')}, got ${show(value)}`)
      return
    }
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) {
      out.push(`${at}: must be at least ${schema.minimum}, got ${value}`)
    }
    if (typeof schema.maximum === 'number' && value > schema.maximum) {
      out.push(`${at}: must be at most ${schema.maximum}, got ${value}`)
    }
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) {
      out.push(`${at}: must not be empty`)
    }
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
      out.push(`${at}: must match ${schema.pattern}, got ${show(value)}`)
    }
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, i) => check(schema.items as Schema, item, `${path}/${i}`, root, out))
  }
  if (isObject(value)) checkObject(schema, value, path, at, root, out)
}

function checkObject(
  schema: Schema,
  value: Record<string, unknown>,
  path: string,
  at: string,
  root: Schema,
  out: string[]
): void {
  const props = (schema.properties ?? {}) as Record<string, Schema>
  for (const key of (schema.required ?? []) as string[]) {
    if (!(key in value)) out.push(`${at}: missing required field '${key}'`)
  }
  for (const [key, v] of Object.entries(value)) {
    const child = `${path}/${escapePointer(key)}`
    if (schema.propertyNames !== undefined)
      check(schema.propertyNames as Schema, key, `${child} (name)`, root, out)
    if (key in props) check(props[key], v, child, root, out)
    else if (schema.additionalProperties === false) out.push(`${at}: unexpected field '${key}'`)
    else if (isObject(schema.additionalProperties)) check(schema.additionalProperties, v, child, root, out)
  }
}

function resolveRef(root: Schema, ref: string): Schema {
  const m = /^#\/\$defs\/([A-Za-z0-9_-]+)$/.exec(ref)
  const defs = (root.$defs ?? {}) as Record<string, Schema>
  if (!m || !(m[1] in defs)) throw new Error(`schema $ref '${ref}' not resolvable`)
  return defs[m[1]]
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null
    case 'boolean':
      return typeof value === 'boolean'
    case 'string':
      return typeof value === 'string'
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
    case 'array':
      return Array.isArray(value)
    case 'object':
      return isObject(value)
    default:
      throw new Error(`schema type '${type}' not supported`)
  }
}

function describeType(schema: Schema, root: Schema): string {
  if (typeof schema.$ref === 'string') return describeType(resolveRef(root, schema.$ref), root)
  if (schema.type !== undefined)
    return Array.isArray(schema.type) ? schema.type.join(' or ') : String(schema.type)
  if ('const' in schema) return JSON.stringify(schema.const)
  return 'a value'
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'an array'
  if (isObject(value)) return 'an object'
  const text = JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}
