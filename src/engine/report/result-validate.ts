// Validation of result.json against checkResultJsonSchema, the very object the schema is published
// as. TypeBox judges (Check) and lists what is wrong (Errors); this module words each problem as a
// JSON path, what was expected and what was there: `/probes/0/attempts: must be integer, got 1.5`.
import { Errors, type ValueError, ValueErrorType } from '@sinclair/typebox/errors'
import type { TSchema } from '@sinclair/typebox'
import { Check } from '@sinclair/typebox/value'
import { type CheckResult, checkResultJsonSchema, RESULT_SCHEMA_VERSION } from './result-schema.js'

export type ValidationOutcome = { ok: true; result: CheckResult } | { ok: false; problems: string[] }

/** The schema validateCheckResult applies: the published one, not a copy. */
export const VALIDATED_SCHEMA: TSchema = checkResultJsonSchema

const MAX_PROBLEMS = 20

/** Checks a parsed result.json; the problems name the JSON path, the rule and what was there. */
export function validateCheckResult(value: unknown): ValidationOutcome {
  const foreign = foreignReason(value)
  if (foreign) return { ok: false, problems: [foreign] }
  const problems = schemaProblems(VALIDATED_SCHEMA, value)
  if (problems.length > 0) return { ok: false, problems }
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

/** What is wrong with `value` under a TypeBox schema (any part of result.json's), at most 20 problems. */
export function schemaProblems(schema: TSchema, value: unknown): string[] {
  if (Check(schema, value)) return []
  const out: string[] = []
  describeErrors(Errors(schema, value), out)
  return [...new Set(out)].slice(0, MAX_PROBLEMS)
}

function describeErrors(errors: Iterable<ValueError>, out: string[]): void {
  // A missing field is also reported as "expected <type>" at its own path: say it once.
  const missing = new Set<string>()
  for (const e of errors) {
    if (out.length >= MAX_PROBLEMS) return
    if (e.type === ValueErrorType.ObjectRequiredProperty) {
      missing.add(e.path)
      out.push(`${at(parentOf(e.path))}: missing required field '${lastKey(e.path)}'`)
    } else if (!missing.has(e.path)) {
      describeError(e, out)
    }
  }
}

function describeError(e: ValueError, out: string[]): void {
  const where = at(e.path)
  const s = e.schema as Record<string, unknown>
  switch (e.type) {
    case ValueErrorType.Union:
      return describeUnion(e, out)
    case ValueErrorType.Literal:
      out.push(`${where}: must be ${JSON.stringify(s.const)}, got ${show(e.value)}`)
      return
    case ValueErrorType.String:
    case ValueErrorType.Number:
    case ValueErrorType.Integer:
    case ValueErrorType.Boolean:
    case ValueErrorType.Null:
    case ValueErrorType.Array:
    case ValueErrorType.Object:
      out.push(`${where}: must be ${typeName(s)}, got ${show(e.value)}`)
      return
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      out.push(`${where}: must be at least ${String(s.minimum)}, got ${show(e.value)}`)
      return
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      out.push(`${where}: must be at most ${String(s.maximum)}, got ${show(e.value)}`)
      return
    case ValueErrorType.StringMinLength:
      out.push(
        s.minLength === 1
          ? `${where}: must not be empty`
          : `${where}: must be at least ${String(s.minLength)} characters, got ${show(e.value)}`
      )
      return
    case ValueErrorType.StringPattern:
      out.push(`${where}: must match ${String(s.pattern)}, got ${show(e.value)}`)
      return
    case ValueErrorType.ObjectAdditionalProperties: {
      // In a record (ports): a key its pattern refuses. In an object: a field it forbids.
      const pattern = isObject(s.patternProperties) ? Object.keys(s.patternProperties)[0] : undefined
      out.push(
        pattern !== undefined
          ? `${where} (name): must match ${pattern}, got ${JSON.stringify(lastKey(e.path))}`
          : `${at(parentOf(e.path))}: unexpected field '${lastKey(e.path)}'`
      )
      return
    }
    default:
      out.push(`${where}: ${e.message.replace(/^Expected/, 'must be')}, got ${show(e.value)}`)
  }
}

/**
 * None of a union's variants accepted the value. A choice of constants is listed as such; otherwise
 * the variant whose type fits (the object of an object-or-null) tells the real story; when none
 * fits, the accepted types are listed.
 */
function describeUnion(e: ValueError, out: string[]): void {
  const variants = ((e.schema as { anyOf?: TSchema[] }).anyOf ?? []) as Record<string, unknown>[]
  if (variants.length > 0 && variants.every(v => 'const' in v || v.type === 'null')) {
    const choices = variants.map(v => ('const' in v ? JSON.stringify(v.const) : 'null'))
    out.push(`${at(e.path)}: must be one of ${choices.join(', ')}, got ${show(e.value)}`)
    return
  }
  const branches = e.errors.map(it => [...it])
  const fitting = branches.find(b => !b.some(x => x.path === e.path && isKindMismatch(x.type)))
  if (fitting) describeErrors(fitting, out)
  else out.push(`${at(e.path)}: must be ${variants.map(typeName).join(' or ')}, got ${show(e.value)}`)
}

/** The value is not of the variant's kind at all (as opposed to breaking one of its rules). */
function isKindMismatch(t: ValueErrorType): boolean {
  return (
    t === ValueErrorType.String ||
    t === ValueErrorType.Number ||
    t === ValueErrorType.Integer ||
    t === ValueErrorType.Boolean ||
    t === ValueErrorType.Null ||
    t === ValueErrorType.Array ||
    t === ValueErrorType.Object ||
    t === ValueErrorType.Literal ||
    t === ValueErrorType.Union
  )
}

function typeName(s: Record<string, unknown>): string {
  if ('const' in s) return JSON.stringify(s.const)
  if (Array.isArray(s.anyOf)) return (s.anyOf as Record<string, unknown>[]).map(typeName).join(' or ')
  if (Array.isArray(s.type)) return s.type.join(' or ')
  return typeof s.type === 'string' ? s.type : 'a value'
}

/** `(root)` for the document itself, else the JSON pointer. */
function at(path: string): string {
  return path === '' ? '(root)' : path
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'))
}

function lastKey(path: string): string {
  return path
    .slice(path.lastIndexOf('/') + 1)
    .replace(/~1/g, '/')
    .replace(/~0/g, '~')
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'an array'
  if (isObject(value)) return 'an object'
  const text = JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}
