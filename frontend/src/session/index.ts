import { computed } from 'vue'
import { api, request, isApiProblem } from '@/api'
import type { Me } from '@/api/types'
import { clearSession, sessionState, storeSession } from './state'

export { sessionState } from './state'

export const isSignedIn = computed(() => sessionState.token !== null && sessionState.account !== null)
export const account = computed<Me | null>(() => sessionState.account)

export async function signIn(email: string, password: string): Promise<Me> {
  // A bearer session for now; the browser moves to the cookie session next.
  const s = await request(api.POST('/auth/login', { body: { email, password, cookie: false } }))
  if (!s.token) throw new Error('a bearer sign-in answered no token')
  storeSession(s.token, s.expires_at, s.account)
  return s.account
}

/** Ends the session on the server (best effort) and forgets it here in any case. */
export async function signOut(): Promise<void> {
  try {
    if (sessionState.token) await request(api.POST('/auth/logout'))
  } catch {
    // The session may already have ended; signing out locally is what matters.
  } finally {
    clearSession()
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
  clearSession()
}

let restoring: Promise<void> | null = null

/**
 * On start: if a token was kept from an earlier visit, asks the server whose it is. A 401
 * forgets it; any other failure (server away) keeps it for the next try.
 */
export function restoreSession(): Promise<void> {
  if (!sessionState.token || sessionState.account) return Promise.resolve()
  restoring ??= (async () => {
    try {
      sessionState.account = await request(api.GET('/auth/me'))
    } catch (e) {
      if (isApiProblem(e) && e.status === 401) clearSession()
    } finally {
      restoring = null
    }
  })()
  return restoring
}
