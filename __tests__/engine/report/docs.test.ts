import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import {
  checkResultJsonSchema,
  RESULT_SCHEMA_VERSION,
  validateCheckResult
} from '../../../src/engine/report/result.js'
import {
  findingSchema,
  syscallDivergenceSchema,
  syscallSideSummarySchema,
  syscallsSchema
} from '../../../src/engine/report/result-schema.js'
import { schemaProblems } from '../../../src/engine/report/result-validate.js'

const doc = (): Promise<string> =>
  readFile(new URL('../../../docs/result-schema.md', import.meta.url), 'utf8')
const samples = async (): Promise<string[]> =>
  [...(await doc()).matchAll(/```json\n([\s\S]*?)\n```/g)].map(m => m[1])

/** The rows of the table under `heading` (up to the next heading). */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n${heading}\n`)
  expect(start).toBeGreaterThan(-1)
  const rest = text.slice(start + heading.length + 2)
  const end = rest.search(/\n#{1,3} /)
  return end < 0 ? rest : rest.slice(0, end)
}

/** Field names of an object schema missing from a table's first column (`| \`prefix.name` ...). */
function undocumented(text: string, schema: { properties: object }, prefix = ''): string[] {
  return Object.keys(schema.properties).filter(
    key => !new RegExp(`^\\| \`${(prefix + key).replace(/\./g, '\\.')}(\\.|\\[|\`)`, 'm').test(text)
  )
}

describe('docs/result-schema.md', () => {
  it('has a sample that the schema accepts', async () => {
    const [sample] = await samples()
    expect(sample).toBeDefined()
    const outcome = validateCheckResult(JSON.parse(sample))
    expect(outcome.ok ? [] : outcome.problems).toEqual([])
  })

  it('has a syscalls sample that the schema accepts', async () => {
    const sample = (await samples()).find(s => s.startsWith('{\n  "traced"'))
    expect(sample).toBeDefined()
    expect(schemaProblems(syscallsSchema, JSON.parse(sample!))).toEqual([])
  })

  it('states the schema version the code writes', async () => {
    const text = await doc()
    expect(text).toContain(`- \`schemaVersion\` is \`${RESULT_SCHEMA_VERSION}\`.`)
    expect(text).toContain(`| \`schemaVersion\` | \`${RESULT_SCHEMA_VERSION}\` |`)
  })

  it('documents every top-level field of the schema', async () => {
    expect(undocumented(await doc(), checkResultJsonSchema)).toEqual([])
  })

  it('documents every field of the syscalls section, its divergence, a trace side and a finding', async () => {
    const text = await doc()
    const fields = section(text, '## Fields')
    expect(undocumented(fields, syscallsSchema, 'syscalls.')).toEqual([])
    expect(undocumented(fields, syscallDivergenceSchema, 'syscalls.divergence.')).toEqual([])
    expect(undocumented(section(text, '### A trace side'), syscallSideSummarySchema)).toEqual([])
    expect(undocumented(section(text, '### A finding'), findingSchema)).toEqual([])
  })
})
