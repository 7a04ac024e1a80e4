import { describe, expect, it, vi } from 'vitest'
import { call, createApiClient } from '@/api/client'
import { ApiProblem } from '@/api/problem'

const BASE = 'http://wenji.test/api/v1'

interface Seen {
  request: Request
}

function fakeFetch(respond: (req: Request) => Response | Promise<Response>) {
  const seen: Seen[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init)
    seen.push({ request })
    return respond(request)
  })
  return { fetch: fetch as unknown as typeof globalThis.fetch, seen }
}

const json = (body: unknown, status = 200, type = 'application/json; charset=utf-8', headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type, ...headers } })

const problemBody = {
  type: 'https://wenji.gov.cn/problems/validation-failed',
  title: 'Some values are not valid',
  status: 422,
  detail: 'Correct the fields listed and try again.',
  code: 'validation_failed',
  request_id: 'req-1',
  errors: [
    { field: 'email', code: 'invalid_email', message: 'Enter a valid e-mail address.' },
    { field: 'password', code: 'too_short', message: 'The password needs at least 8 characters.' },
    { field: 'password', code: 'too_common', message: 'Too common.' },
  ],
}

function client(
  opts: {
    csrf?: string | null
    signedIn?: boolean
    locale?: string
    onSessionEnded?: () => void
    refresh?: () => Promise<string | null>
  },
  f: typeof globalThis.fetch,
) {
  return createApiClient({
    baseUrl: BASE,
    fetch: f,
    getCsrfToken: () => opts.csrf ?? null,
    hasSession: () => opts.signedIn ?? false,
    getLocale: () => opts.locale ?? 'zh-CN',
    onSessionEnded: opts.onSessionEnded,
    refreshCsrfToken: opts.refresh,
  })
}

const me = { id: 'a', email: 'x@y.cn', display_name: 'X', role: 'resident', created_at: '2026-11-24T12:37:00Z' }
const csrfProblem = { type: 'about:blank', title: '无权操作', status: 403, detail: '', code: 'csrf', errors: [] }

describe('createApiClient', () => {
  it('sends Accept-Language from the current locale, and never an Authorization header', async () => {
    const { fetch, seen } = fakeFetch(() => json({ items: [], meta: { page: 1, per_page: 50, total: 0, total_pages: 0 } }))
    let locale = 'zh-CN'
    const api = createApiClient({ baseUrl: BASE, fetch, getCsrfToken: () => 'c', hasSession: () => true, getLocale: () => locale })
    await call(api.GET('/policy-areas'), locale)
    locale = 'en'
    await call(api.GET('/policy-areas'), locale)
    expect(seen.map((s) => s.request.headers.get('Accept-Language'))).toEqual(['zh-CN', 'en'])
    expect(seen.some((s) => s.request.headers.has('Authorization'))).toBe(false)
    expect(seen[0]!.request.url).toBe(`${BASE}/policy-areas`)
    // Fetch's default: the session cookie goes with same-origin requests.
    expect(seen[0]!.request.credentials).toBe('same-origin')
  })

  it('sends the CSRF token with changes (POST, PUT, PATCH, DELETE) only, and only when there is one', async () => {
    const { fetch, seen } = fakeFetch((req) => (req.method === 'GET' ? json(me) : new Response(null, { status: 204 })))
    const api = client({ csrf: 'csrf-1', signedIn: true }, fetch)
    await call(api.GET('/auth/me'), 'zh-CN')
    await call(api.POST('/auth/logout'), 'zh-CN')
    await call(api.POST('/auth/password', { body: { current_password: 'a', new_password: 'b' } }), 'zh-CN')
    expect(seen.map((s) => [s.request.method, s.request.headers.get('X-CSRF-Token')])).toEqual([
      ['GET', null],
      ['POST', 'csrf-1'],
      ['POST', 'csrf-1'],
    ])
    const anonymous = fakeFetch(() => new Response(null, { status: 204 }))
    await call(client({ csrf: null }, anonymous.fetch).POST('/auth/logout'), 'zh-CN')
    expect(anonymous.seen[0]!.request.headers.has('X-CSRF-Token')).toBe(false)
  })

  it('does not take a refused sign-in for an ended session', async () => {
    const refused = { ...problemBody, status: 401, code: 'unauthenticated', errors: [] }
    const { fetch } = fakeFetch(() => json(refused, 401, 'application/problem+json'))
    const ended = vi.fn()
    const api = client({ csrf: 'c', signedIn: true, onSessionEnded: ended }, fetch)
    await call(api.POST('/auth/login', { body: { email: 'a@b.cn', password: 'wrong', cookie: true } }), 'zh-CN').catch(() => {})
    expect(ended).not.toHaveBeenCalled()
  })

  it('sends a change refused for its CSRF token once more, body and all, with the fresh token', async () => {
    let calls = 0
    const { fetch, seen } = fakeFetch(() => (++calls === 1 ? json(csrfProblem, 403, 'application/problem+json') : new Response(null, { status: 204 })))
    const refresh = vi.fn(async () => 'csrf-new')
    const api = client({ csrf: 'csrf-old', signedIn: true, refresh }, fetch)
    await expect(call(api.POST('/auth/password', { body: { current_password: 'a', new_password: 'b' } }), 'zh-CN')).resolves.toBeUndefined()
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(seen.map((s) => s.request.headers.get('X-CSRF-Token'))).toEqual(['csrf-old', 'csrf-new'])
    expect(await seen[1]!.request.json()).toEqual({ current_password: 'a', new_password: 'b' })
  })

  it('does not retry other refusals, reads, or when no fresher token comes', async () => {
    const forbidden = { ...csrfProblem, code: 'forbidden' }
    const refresh = vi.fn(async () => 'csrf-1')
    const a = fakeFetch(() => json(forbidden, 403, 'application/problem+json'))
    const err = (await call(client({ csrf: 'csrf-1', refresh }, a.fetch).POST('/auth/logout'), 'zh-CN').catch((e: unknown) => e)) as ApiProblem
    expect(err.code).toBe('forbidden')
    expect(refresh).not.toHaveBeenCalled()
    // The same token again (or none): the refusal stands, sent once.
    const b = fakeFetch(() => json(csrfProblem, 403, 'application/problem+json'))
    const again = (await call(client({ csrf: 'csrf-1', refresh }, b.fetch).POST('/auth/logout'), 'zh-CN').catch((e: unknown) => e)) as ApiProblem
    expect(again.code).toBe('csrf')
    expect(b.seen).toHaveLength(1)
    const d = fakeFetch(() => json(csrfProblem, 403, 'application/problem+json'))
    const unused = vi.fn(async () => 'csrf-2')
    await call(client({ csrf: 'x', refresh: unused }, d.fetch).GET('/auth/me'), 'zh-CN').catch(() => {})
    expect(d.seen).toHaveLength(1)
    expect(unused).not.toHaveBeenCalled()
    const none = vi.fn(async () => null)
    const c = fakeFetch(() => json(csrfProblem, 403, 'application/problem+json'))
    await call(client({ csrf: 'x', refresh: none }, c.fetch).POST('/auth/logout'), 'zh-CN').catch(() => {})
    expect(c.seen).toHaveLength(1)
  })

  it('sends JSON bodies and path and query parameters', async () => {
    const { fetch, seen } = fakeFetch(() => json({ ...me, agency_id: 'ag' }, 201))
    const api = client({ csrf: 'c' }, fetch)
    await call(
      api.POST('/agencies/{agency_id}/staff', {
        params: { path: { agency_id: 'ag-1' } },
        body: { email: 'a@b.cn', display_name: 'A', password: 'long enough', role: 'agency_staff' },
      }),
      'zh-CN',
    )
    const req = seen[0]!.request
    expect(req.method).toBe('POST')
    expect(req.url).toBe(`${BASE}/agencies/ag-1/staff`)
    expect(req.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(await req.json()).toMatchObject({ email: 'a@b.cn', role: 'agency_staff' })
  })

  it('returns undefined for 204 No Content', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 204 }))
    const api = client({ csrf: 'c' }, fetch)
    await expect(call(api.POST('/auth/logout'), 'zh-CN')).resolves.toBeUndefined()
  })
})

describe('call: problems', () => {
  it('turns problem+json into an ApiProblem with field errors by field name', async () => {
    const { fetch } = fakeFetch(() => json(problemBody, 422, 'application/problem+json'))
    const api = client({ locale: 'en' }, fetch)
    const err = await call(api.POST('/auth/register', { body: { email: 'x', password: 'y', display_name: 'z' } }), 'en').catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(ApiProblem)
    const p = err as ApiProblem
    expect(p.status).toBe(422)
    expect(p.code).toBe('validation_failed')
    expect(p.lang).toBe('en')
    expect(p.synthetic).toBe(false)
    expect(p.problem.request_id).toBe('req-1')
    expect(p.errorsFor('email').map((e) => e.code)).toEqual(['invalid_email'])
    expect(p.errorsFor('password').map((e) => e.code)).toEqual(['too_short', 'too_common'])
    expect(p.errorsFor('display_name')).toEqual([])
    expect(Object.keys(p.byField())).toEqual(['email', 'password'])
    expect(p.message).toBe('Correct the fields listed and try again.')
  })

  it('takes the answer language from Content-Language when the server sends it', async () => {
    const { fetch } = fakeFetch(() => json({ ...problemBody, errors: [] }, 422, 'application/problem+json', { 'Content-Language': 'zh-CN' }))
    const err = (await call(client({ locale: 'en' }, fetch).GET('/auth/me'), 'en').catch((e: unknown) => e)) as ApiProblem
    expect(err.lang).toBe('zh-CN')
  })

  it('makes a stand-in problem for a non-problem error body, keeping the request id', async () => {
    const { fetch } = fakeFetch(
      () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html', 'X-Request-Id': 'r-9' } }),
    )
    const err = (await call(client({}, fetch).GET('/policy-areas'), 'zh-CN').catch((e: unknown) => e)) as ApiProblem
    expect(err).toBeInstanceOf(ApiProblem)
    expect(err.synthetic).toBe(true)
    expect(err.code).toBe('unexpected_response')
    expect(err.status).toBe(502)
    expect(err.problem.request_id).toBe('r-9')
    expect(err.fieldErrors).toEqual([])
  })

  it('makes a network_error problem when fetch itself fails', async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError('Failed to fetch')
    })
    const err = (await call(client({}, fetch).GET('/policy-areas'), 'en').catch((e: unknown) => e)) as ApiProblem
    expect(err).toBeInstanceOf(ApiProblem)
    expect(err.code).toBe('network_error')
    expect(err.status).toBe(0)
    expect(err.lang).toBe('en')
  })

  it('reports an ended session only when a 401 comes while the app believed it had one', async () => {
    const unauthorized = { ...problemBody, status: 401, code: 'unauthenticated', errors: [] }
    const { fetch } = fakeFetch(() => json(unauthorized, 401, 'application/problem+json'))
    const ended = vi.fn()
    await call(client({ signedIn: true, onSessionEnded: ended }, fetch).GET('/auth/me'), 'zh-CN').catch(() => {})
    expect(ended).toHaveBeenCalledTimes(1)
    const notSignedIn = vi.fn()
    await call(client({ signedIn: false, onSessionEnded: notSignedIn }, fetch).GET('/auth/me'), 'zh-CN').catch(() => {})
    expect(notSignedIn).not.toHaveBeenCalled()
  })
})
