import { describe, expect, it } from 'vitest'
import { parseProblem, syntheticProblem } from '@/api/problem'

describe('parseProblem', () => {
  it('reads a full problem', () => {
    const p = parseProblem(
      { type: 't', title: 'T', status: 409, detail: 'D', code: 'taken', request_id: 'r', errors: [{ field: 'f', code: 'c', message: 'm' }] },
      409,
    )
    expect(p).toEqual({ type: 't', title: 'T', status: 409, detail: 'D', code: 'taken', request_id: 'r', errors: [{ field: 'f', code: 'c', message: 'm' }] })
  })

  it('fills gaps and drops malformed field errors', () => {
    const p = parseProblem({ title: 'T', code: 'x', errors: [{ field: 1 }, { field: 'a', code: 'b', message: 'c' }] }, 418)
    expect(p).toEqual({ type: 'about:blank', title: 'T', status: 418, detail: '', code: 'x', errors: [{ field: 'a', code: 'b', message: 'c' }] })
  })

  it('rejects what is not a problem', () => {
    expect(parseProblem('<html>', 500)).toBeNull()
    expect(parseProblem(null, 500)).toBeNull()
    expect(parseProblem([], 500)).toBeNull()
    expect(parseProblem({ message: 'nope' }, 500)).toBeNull()
  })

  it('makes stand-ins', () => {
    expect(syntheticProblem('network_error', 0)).toMatchObject({ code: 'network_error', status: 0, errors: [] })
    expect(syntheticProblem('unexpected_response', 502, 'r1').request_id).toBe('r1')
  })
})
