import type { components } from './schema'

/** An RFC 9457 problem, as the API sends it (`application/problem+json`). */
export type Problem = components['schemas']['Problem']
export type FieldError = components['schemas']['FieldError']

/**
 * Codes the client itself gives to failures that never reached the API's problem mapping:
 * the network was down, or something between us and the API answered with a non-problem body.
 */
export const CLIENT_CODES = {
  network: 'network_error',
  unexpected: 'unexpected_response',
} as const

/**
 * The error every API call throws on failure. `problem` is what the server said (or a
 * stand-in made by the client when it said nothing usable); `lang` is the language the
 * server's texts are in, so the UI can mark them up correctly after a language switch.
 */
export class ApiProblem extends Error {
  readonly problem: Problem
  readonly lang: string
  /** True when the client made the problem up (network failure, non-problem response). */
  readonly synthetic: boolean

  constructor(problem: Problem, lang: string, synthetic = false) {
    super(problem.detail || problem.title)
    this.name = 'ApiProblem'
    this.problem = problem
    this.lang = lang
    this.synthetic = synthetic
  }

  get status(): number {
    return this.problem.status
  }

  get code(): string {
    return this.problem.code
  }

  /** Every field error, in the order the server sent them. */
  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? []
  }

  /** The field errors for one field, by the field's name in the request (`email`, `password`). */
  errorsFor(field: string): FieldError[] {
    return this.fieldErrors.filter((e) => e.field === field)
  }

  /** Field errors grouped by field name. */
  byField(): Record<string, FieldError[]> {
    const out: Record<string, FieldError[]> = {}
    for (const e of this.fieldErrors) (out[e.field] ??= []).push(e)
    return out
  }
}

export function isApiProblem(e: unknown): e is ApiProblem {
  return e instanceof ApiProblem
}

function isFieldError(v: unknown): v is FieldError {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  return typeof o.field === 'string' && typeof o.code === 'string' && typeof o.message === 'string'
}

/** Reads a problem body defensively: anything that is not a problem yields `null`. */
export function parseProblem(body: unknown, status: number): Problem | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null
  const o = body as Record<string, unknown>
  if (typeof o.code !== 'string' || typeof o.title !== 'string') return null
  const problem: Problem = {
    type: typeof o.type === 'string' ? o.type : 'about:blank',
    title: o.title,
    status: typeof o.status === 'number' ? o.status : status,
    detail: typeof o.detail === 'string' ? o.detail : '',
    code: o.code,
    errors: Array.isArray(o.errors) ? o.errors.filter(isFieldError) : [],
  }
  if (typeof o.request_id === 'string') problem.request_id = o.request_id
  return problem
}

/** A stand-in problem for a failure the server did not describe. */
export function syntheticProblem(code: string, status: number, requestId?: string | null): Problem {
  const p: Problem = { type: 'about:blank', title: code, status, detail: '', code, errors: [] }
  if (requestId) p.request_id = requestId
  return p
}

/** A 422 made by the client for what the server could not even read (a choice not made). */
export function localValidationProblem(errors: FieldError[], lang: string): ApiProblem {
  return new ApiProblem({ type: 'about:blank', title: '', status: 422, detail: '', code: 'validation_failed', errors }, lang)
}
