import { reactive } from 'vue'
import type { Me } from '@/api/types'

// The browser's session lives in an HttpOnly cookie (`wenji_session`) that scripts cannot
// read. What the app keeps is not a credential:
//   - the CSRF token of that session, sent as `X-CSRF-Token` with every unsafe request; in
//     memory and in sessionStorage (this tab only), so a reload keeps it;
//   - a flag in localStorage saying that this browser signed in and has not signed out, so
//     that a new tab or a later visit asks the server (`GET /auth/me`, which also answers the
//     CSRF token) instead of starting signed out. Visitors who never signed in send nothing.

/** sessionStorage: the CSRF token of the current session cookie. */
export const CSRF_STORAGE_KEY = 'wenji.csrf'
/** localStorage: '1' while this browser has a session cookie, as far as the app knows. */
export const SIGNED_IN_STORAGE_KEY = 'wenji.signed-in'
/** localStorage: where a bearer token used to be kept (before the cookie session); dropped. */
export const LEGACY_TOKEN_STORAGE_KEY = 'wenji.session'

export interface SessionState {
  /** The signed-in account, once known (after sign-in or after `/auth/me` on start). */
  account: Me | null
  /** The session's CSRF token, or null when there is no session (or it is not known yet). */
  csrfToken: string | null
  /** This browser signed in earlier and has not signed out: ask the server on start. */
  expected: boolean
}

type StorageKind = 'localStorage' | 'sessionStorage'

function read(kind: StorageKind, key: string): string | null {
  try {
    return globalThis[kind]?.getItem(key) ?? null
  } catch {
    return null // storage refused (some private modes): the session lasts as long as the page
  }
}

function write(kind: StorageKind, key: string, value: string | null): void {
  try {
    const s = globalThis[kind]
    if (value === null) s?.removeItem(key)
    else s?.setItem(key, value)
  } catch {
    // nothing to do
  }
}

/**
 * A bearer token kept by an earlier version of the app is dropped: the browser no longer
 * keeps credentials where scripts can read them. Its owner signs in again.
 */
export function dropLegacyToken(): void {
  write('localStorage', LEGACY_TOKEN_STORAGE_KEY, null)
}

dropLegacyToken()

/** The one session of this tab. */
export const sessionState = reactive<SessionState>({
  account: null,
  csrfToken: read('sessionStorage', CSRF_STORAGE_KEY),
  expected: read('localStorage', SIGNED_IN_STORAGE_KEY) === '1',
})

export function setCsrfToken(csrfToken: string): void {
  sessionState.csrfToken = csrfToken
  write('sessionStorage', CSRF_STORAGE_KEY, csrfToken)
}

/** After signing in: the account and the CSRF token of the new session cookie. */
export function storeSession(account: Me, csrfToken: string): void {
  sessionState.account = account
  setCsrfToken(csrfToken)
  sessionState.expected = true
  write('localStorage', SIGNED_IN_STORAGE_KEY, '1')
}

/** The session has ended (signed out, expired, revoked): forget everything about it here. */
export function clearSession(): void {
  sessionState.account = null
  sessionState.csrfToken = null
  sessionState.expected = false
  write('sessionStorage', CSRF_STORAGE_KEY, null)
  write('localStorage', SIGNED_IN_STORAGE_KEY, null)
}
