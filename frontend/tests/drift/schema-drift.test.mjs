// The committed src/api/schema.ts must be exactly what openapi-typescript makes from the
// service's spec (../openapi/openapi.yaml). When the API changes, run `npm run gen:api`
// and commit the result.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const FRONTEND = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const SPEC = resolve(FRONTEND, '..', 'openapi', 'openapi.yaml')
const COMMITTED = join(FRONTEND, 'src', 'api', 'schema.ts')
// The same flags as `npm run gen:api`: the value lists (`categoryValues`, …) come from the
// spec too, so no list of an enum's values is ever written by hand.
const FLAGS = ['--enum-values']
const CLI = join(FRONTEND, 'node_modules', 'openapi-typescript', 'bin', 'cli.js')

test('src/api/schema.ts matches ../openapi/openapi.yaml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wenji-schema-'))
  try {
    const fresh = join(dir, 'schema.ts')
    execFileSync(process.execPath, [CLI, SPEC, ...FLAGS, '-o', fresh], { cwd: FRONTEND, stdio: 'pipe' })
    const expected = readFileSync(fresh, 'utf8')
    const actual = readFileSync(COMMITTED, 'utf8')
    if (actual !== expected) {
      const a = actual.split('\n')
      const e = expected.split('\n')
      const line = a.findIndex((l, i) => l !== e[i])
      assert.fail(
        `src/api/schema.ts is out of date with openapi/openapi.yaml (first difference at line ${line + 1}:\n` +
          `  committed: ${a[line] ?? '<end of file>'}\n  generated: ${e[line] ?? '<end of file>'}).\n` +
          'Run `npm run gen:api` in frontend/ and commit src/api/schema.ts.',
      )
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
