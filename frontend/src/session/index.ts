import { computed } from 'vue'
import { api, request, isApiProblem } from '@/api'
import { ApiProblem, CLIENT_CODES, syntheticProblem } from '@/api/problem'
import type { Me } from '@/api/types'
import { currentLocale } from '@/i18n'
import { clearSession, sessionState, setCsrfToken, storeSession } from './state'

export { sessionState } from './state'

export const isSignedIn = computed(() => sessionState.account !== null)
export const account = computed<Me | null>(() => sessionState.account)

/**
 * Signs in with a cookie session: the server sets the HttpOnly `wenji_session` cookie and
 * answers the CSRF token instead of a bearer token.
 */
export async function signIn(email: string, password: string): Promise<Me> {
  const s = await request(api.POST('/auth/login', { body: { email, password, cookie: true } }))
  if (!s.csrf_token) {
    // A server without cookie sessions: nothing this app can use.
    throw new ApiProblem(syntheticProblem(CLIENT_CODES.unexpected, 200), currentLocale(), true)
  }
  storeSession(s.account, s.csrf_token)
  return s.account
}

/**
 * Counts sessions ended in this tab, so that an answer about the session asked for before
 * it ended (a `GET /auth/me` still on its way) cannot bring its CSRF token back afterwards.
 */
let ended = 0

function forgetSession(): void {
  ended += 1
  clearSession()
}

/** Ends the session on the server (best effort; it clears the cookie) and forgets it here in any case. */
export async function signOut(): Promise<void> {
  try {
    if (isSignedIn.value) await request(api.POST('/auth/logout'))
  } catch {
    // The session may already have ended; signing out locally is what matters.
  } finally {
    forgetSession()
  }
}

/**
 * Ends every session of the account on the server, this one included. The caller forgets
 * the session here with `endSessionHere()` once it has left any page that needs one.
 */
export async function signOutEverywhere(): Promise<void> {
  await request(api.POST('/auth/logout-everywhere'))
}

/** Forgets the session in this tab (it has already ended on the server). */
export function endSessionHere(): void {
  forgetSession()
}

/** Takes the account (and, when the request came with the cookie, the CSRF token) from `GET /auth/me`. */
export function rememberMe(me: Me): void {
  sessionState.account = me
  if (me.csrf_token) setCsrfToken(me.csrf_token)
}

let restoring: Promise<void> | null = null

/**
 * On start (and in a new tab): if this browser signed in earlier, asks the server whose
 * session the cookie is; the answer carries the CSRF token too. A 401 forgets the session;
 * any other failure (server away) keeps the hope for the next try.
 */
export function restoreSession(): Promise<void> {
  if (sessionState.account || !(sessionState.expected || sessionState.csrfToken)) return Promise.resolve()
  const asked = ended
  restoring ??= (async () => {
    try {
      const me = await request(api.GET('/auth/me'))
      if (ended === asked) rememberMe(me)
    } catch (e) {
      if (isApiProblem(e) && e.status === 401) forgetSession()
    } finally {
      restoring = null
    }
  })()
  return restoring
}
