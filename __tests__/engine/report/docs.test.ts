import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { checkResultJsonSchema, validateCheckResult } from '../../../src/engine/report/result.js'

const doc = (): Promise<string> => readFile(new URL('../../../docs/result-schema.md', import.meta.url), 'utf8')

describe('docs/result-schema.md', () => {
  it('has a sample that the schema accepts', async () => {
    const sample = /```json\n([\s\S]*?)\n```/.exec(await doc())
    expect(sample).not.toBeNull()
    const outcome = validateCheckResult(JSON.parse(sample![1]))
    expect(outcome.ok ? [] : outcome.problems).toEqual([])
  })

  it('documents every top-level field of the schema', async () => {
    const text = await doc()
    const undocumented = Object.keys(checkResultJsonSchema.properties).filter(
      key => !new RegExp(`^\\| \`${key}(\\.|\\[|\`)`, 'm').test(text)
    )
    expect(undocumented).toEqual([])
  })
})
