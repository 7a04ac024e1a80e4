import createClient, { type Client } from 'openapi-fetch'
import type { paths } from './schema'
import { ApiProblem, CLIENT_CODES, parseProblem, syntheticProblem } from './problem'

export type ApiClient = Client<paths>

/** Operations that never take a session: their 401 (a wrong password) does not mean a session ended. */
const ANONYMOUS_PATHS: ReadonlySet<string> = new Set(['/auth/login', '/auth/register', '/auth/password-reset'])

/** Methods that change something: with the session cookie they must carry the CSRF token. */
const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export const CSRF_HEADER = 'X-CSRF-Token'

export interface ApiClientOptions {
  /** Where the API lives; `/api/v1` in the browser. */
  baseUrl?: string
  /** The fetch to use (a fake one in tests). Defaults to the global fetch at call time. */
  fetch?: typeof globalThis.fetch
  /** The session's CSRF token, or null when signed out. */
  getCsrfToken: () => string | null
  /** Whether the app believes it has a session: a 401 then means that the session has ended. */
  hasSession: () => boolean
  /** The UI language, sent as `Accept-Language` so the server's messages match it. */
  getLocale: () => string
  /** Called when a request is answered 401 while the app believed it had a session. */
  onSessionEnded?: () => void
  /**
   * Asks the server for the session's current CSRF token (after a 403 `csrf`: another tab
   * signed in again, so this tab's token is stale); null when there is none.
   */
  refreshCsrfToken?: () => Promise<string | null>
}

async function problemCode(response: Response): Promise<string | null> {
  try {
    const body: unknown = await response.clone().json()
    return typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string'
      ? (body as { code: string }).code
      : null
  } catch {
    return null
  }
}

/**
 * A typed client for the Wenji API (openapi-fetch over the generated `schema.ts`). The
 * browser's session is its cookie, which fetch sends by itself (same origin); the client adds
 * `Accept-Language`, and `X-CSRF-Token` to every unsafe request. An unsafe request refused
 * with 403 `csrf` is sent once more with a fresh token. Use it with `call()`, which returns
 * the data or throws an `ApiProblem`.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const send = (r: Request) => (options.fetch ?? globalThis.fetch)(r)
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? '/api/v1',
    fetch: async (input: Request) => {
      const retry = UNSAFE_METHODS.has(input.method) && options.refreshCsrfToken ? input.clone() : null
      const response = await send(input)
      if (!retry || response.status !== 403 || (await problemCode(response)) !== 'csrf') return response
      const token = await options.refreshCsrfToken!()
      if (!token || token === input.headers.get(CSRF_HEADER)) return response
      retry.headers.set(CSRF_HEADER, token)
      return send(retry)
    },
  })
  client.use({
    onRequest({ request }) {
      request.headers.set('Accept-Language', options.getLocale())
      request.headers.set('Accept', 'application/json, application/problem+json')
      const csrf = options.getCsrfToken()
      if (csrf && UNSAFE_METHODS.has(request.method)) request.headers.set(CSRF_HEADER, csrf)
      return request
    },
    onResponse({ response, schemaPath }) {
      if (response.status === 401 && !ANONYMOUS_PATHS.has(schemaPath) && options.hasSession()) options.onSessionEnded?.()
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
