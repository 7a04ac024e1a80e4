import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// The session module reads storage when it is first imported: each test starts from a fresh
// import with the storage it needs.
async function freshSession() {
  vi.resetModules()
  const state = await import('@/session/state')
  const session = await import('@/session')
  return { ...state, ...session }
}

const me = { id: 'a1', email: 'liu@wenji.demo', display_name: '刘洋', role: 'resident', created_at: '2026-11-24T12:37:00Z' }
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })
const unauthorized = { type: 'about:blank', title: '需要登录', status: 401, detail: '', code: 'unauthenticated', errors: [] }

function stubFetch(respond: (req: Request) => Response) {
  const seen: Request[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      seen.push(req.clone())
      return respond(req)
    }),
  )
  return seen
}

/** Everything kept in the browser's storage, as one string. */
function storedEverything(): string {
  const dump = (s: Storage) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i)!)}`).join('\n')
  return `${dump(localStorage)}\n${dump(sessionStorage)}`
}

beforeEach(() => {
  localStorage.clear()
  sessionStorage.clear()
})
afterEach(() => vi.unstubAllGlobals())

describe('the cookie session', () => {
  it('drops a bearer token kept by the earlier app, and does not count it as a session', async () => {
    localStorage.setItem('wenji.session', JSON.stringify({ token: 'wjs_old', expiresAt: '2999-01-01T00:00:00Z' }))
    const seen = stubFetch(() => json(me))
    const s = await freshSession()
    expect(localStorage.getItem('wenji.session')).toBeNull()
    await s.restoreSession()
    expect(seen).toHaveLength(0)
    expect(s.isSignedIn.value).toBe(false)
  })

  it('signs in asking for a cookie, keeps the CSRF token and a flag, never a token', async () => {
    const seen = stubFetch(() => json({ account: me, csrf_token: 'csrf-1', expires_at: '2026-11-25T00:00:00Z' }))
    const s = await freshSession()
    await s.signIn('liu@wenji.demo', 'secret words')
    expect(await seen[0]!.json()).toEqual({ email: 'liu@wenji.demo', password: 'secret words', cookie: true })
    expect(seen[0]!.headers.has('Authorization')).toBe(false)
    expect(s.isSignedIn.value).toBe(true)
    expect(sessionStorage.getItem('wenji.csrf')).toBe('csrf-1')
    expect(localStorage.getItem('wenji.signed-in')).toBe('1')
    expect(storedEverything()).not.toMatch(/wjs_|token/i)
  })

  it('refuses an answer without a CSRF token (a server without cookie sessions)', async () => {
    stubFetch(() => json({ account: me, token: 'wjs_bearer', expires_at: '2026-11-25T00:00:00Z' }))
    const s = await freshSession()
    await expect(s.signIn('liu@wenji.demo', 'secret words')).rejects.toMatchObject({ code: 'unexpected_response' })
    expect(s.isSignedIn.value).toBe(false)
    expect(storedEverything()).not.toContain('wjs_bearer')
  })

  it('in a new tab (flag, no CSRF token yet) asks /auth/me and takes the CSRF token from it', async () => {
    localStorage.setItem('wenji.signed-in', '1')
    const seen = stubFetch(() => json({ ...me, csrf_token: 'csrf-2' }))
    const s = await freshSession()
    await s.restoreSession()
    expect(seen.map((r) => new URL(r.url).pathname)).toEqual(['/api/v1/auth/me'])
    expect(s.account.value?.display_name).toBe('刘洋')
    expect(s.sessionState.csrfToken).toBe('csrf-2')
    expect(sessionStorage.getItem('wenji.csrf')).toBe('csrf-2')
  })

  it('asks nothing for a visitor who never signed in', async () => {
    const seen = stubFetch(() => json(me))
    const s = await freshSession()
    await s.restoreSession()
    expect(seen).toHaveLength(0)
  })

  it('forgets everything when the cookie turns out to have ended', async () => {
    localStorage.setItem('wenji.signed-in', '1')
    sessionStorage.setItem('wenji.csrf', 'csrf-old')
    stubFetch(() => json(unauthorized, 401))
    const s = await freshSession()
    await s.restoreSession()
    expect(s.isSignedIn.value).toBe(false)
    expect(localStorage.getItem('wenji.signed-in')).toBeNull()
    expect(sessionStorage.getItem('wenji.csrf')).toBeNull()
  })

  it('signs out with the CSRF token and forgets the session', async () => {
    const seen = stubFetch((req) =>
      req.url.endsWith('/auth/login') ? json({ account: me, csrf_token: 'csrf-3', expires_at: '2026-11-25T00:00:00Z' }) : new Response(null, { status: 204 }),
    )
    const s = await freshSession()
    await s.signIn('liu@wenji.demo', 'secret words')
    await s.signOut()
    expect(seen[1]!.method).toBe('POST')
    expect(new URL(seen[1]!.url).pathname).toBe('/api/v1/auth/logout')
    expect(seen[1]!.headers.get('X-CSRF-Token')).toBe('csrf-3')
    expect(s.isSignedIn.value).toBe(false)
    expect(storedEverything().trim()).toBe('')
  })

  it('after another tab signed in again, retries a change with the new token only for the same person', async () => {
    const answers: Response[] = []
    const seen = stubFetch(() => answers.shift()!)
    const s = await freshSession()
    const { api, request } = await import('@/api')
    s.storeSession(me as never, 'csrf-old')
    const csrf403 = () => json({ type: 'about:blank', title: 't', status: 403, detail: '', code: 'csrf', errors: [] }, 403)
    // Same person: refused, /auth/me gives the new token, the change goes through.
    answers.push(csrf403(), json({ ...me, csrf_token: 'csrf-new' }), new Response(null, { status: 204 }))
    await request(api.POST('/auth/logout-everywhere'))
    expect(seen.map((r) => `${r.method} ${r.headers.get('X-CSRF-Token')}`)).toEqual(['POST csrf-old', 'GET null', 'POST csrf-new'])
    // Someone else signed in meanwhile: the change is not sent as them.
    seen.length = 0
    s.setCsrfToken('csrf-stale')
    answers.push(csrf403(), json({ ...me, id: 'b2', display_name: '别人', csrf_token: 'csrf-other' }))
    await expect(request(api.POST('/auth/logout-everywhere'))).rejects.toMatchObject({ code: 'csrf' })
    expect(seen.map((r) => r.method)).toEqual(['POST', 'GET'])
    expect(s.account.value?.display_name).toBe('别人')
  })
})
