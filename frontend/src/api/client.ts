import createClient, { type Client } from 'openapi-fetch'
import type { paths } from './schema'
import { ApiProblem, CLIENT_CODES, parseProblem, syntheticProblem } from './problem'

export type ApiClient = Client<paths>

/** Operations that never take a session: an old token must not make their 401 look like an ended session. */
const ANONYMOUS_PATHS: ReadonlySet<string> = new Set(['/auth/login', '/auth/register', '/auth/password-reset'])

export interface ApiClientOptions {
  /** Where the API lives; `/api/v1` in the browser. */
  baseUrl?: string
  /** The fetch to use (a fake one in tests). Defaults to the global fetch at call time. */
  fetch?: typeof globalThis.fetch
  /** The current session token, or null when signed out. */
  getToken: () => string | null
  /** The UI language, sent as `Accept-Language` so the server's messages match it. */
  getLocale: () => string
  /** Called when a request that carried a token is answered 401: the session has ended. */
  onSessionEnded?: () => void
}

/**
 * A typed client for the Wenji API (openapi-fetch over the generated `schema.ts`) that
 * adds the bearer token and `Accept-Language` to every request. Use it with `call()`,
 * which returns the data or throws an `ApiProblem`.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? '/api/v1',
    fetch: (input: Request) => (options.fetch ?? globalThis.fetch)(input),
  })
  client.use({
    onRequest({ request, schemaPath }) {
      request.headers.set('Accept-Language', options.getLocale())
      request.headers.set('Accept', 'application/json, application/problem+json')
      const token = options.getToken()
      if (token && !ANONYMOUS_PATHS.has(schemaPath)) request.headers.set('Authorization', `Bearer ${token}`)
      return request
    },
    onResponse({ request, response }) {
      if (response.status === 401 && request.headers.has('Authorization')) options.onSessionEnded?.()
      return undefined
    },
  })
  return client
}

interface FetchResult<D> {
  data?: D
  error?: unknown
  response: Response
}

/**
 * Awaits an openapi-fetch call and returns its data, or throws an `ApiProblem`: the
 * server's problem+json when it sent one, a stand-in otherwise (network failure, a proxy's
 * HTML error page). `lang` is the language the request asked for.
 */
export async function call<D>(request: Promise<FetchResult<D>>, lang: string): Promise<D> {
  let result: FetchResult<D>
  try {
    result = await request
  } catch (cause) {
    if (cause instanceof ApiProblem) throw cause
    throw new ApiProblem(syntheticProblem(CLIENT_CODES.network, 0), lang, true)
  }
  const { response } = result
  if (response.ok) return result.data as D
  const answeredIn = response.headers.get('Content-Language') ?? lang
  const problem = parseProblem(result.error, response.status)
  if (problem) throw new ApiProblem(problem, answeredIn)
  const requestId = response.headers.get('X-Request-Id')
  throw new ApiProblem(syntheticProblem(CLIENT_CODES.unexpected, response.status, requestId), lang, true)
}
