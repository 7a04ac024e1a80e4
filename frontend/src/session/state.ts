import { reactive } from 'vue'
import type { Me } from '@/api/types'

export const TOKEN_STORAGE_KEY = 'wenji.session'

interface StoredToken {
  token: string
  expiresAt: string
}

export interface SessionState {
  token: string | null
  expiresAt: string | null
  /** The signed-in account, once known (after sign-in or after `/auth/me` on start). */
  account: Me | null
}

function readStored(): StoredToken | null {
  try {
    const raw = globalThis.localStorage?.getItem(TOKEN_STORAGE_KEY)
    if (!raw) return null
    const parsed: unknown = JSON.parse(raw)
    if (typeof parsed !== 'object' || parsed === null) return null
    const { token, expiresAt } = parsed as Record<string, unknown>
    if (typeof token !== 'string' || typeof expiresAt !== 'string') return null
    if (Date.parse(expiresAt) <= Date.now()) return null
    return { token, expiresAt }
  } catch {
    return null
  }
}

const stored = readStored()

/**
 * The one session of this tab. The token is kept in localStorage so that a reload or a new
 * tab stays signed in until the session expires or the person signs out.
 */
export const sessionState = reactive<SessionState>({
  token: stored?.token ?? null,
  expiresAt: stored?.expiresAt ?? null,
  account: null,
})

export function storeSession(token: string, expiresAt: string, account: Me): void {
  sessionState.token = token
  sessionState.expiresAt = expiresAt
  sessionState.account = account
  try {
    globalThis.localStorage?.setItem(TOKEN_STORAGE_KEY, JSON.stringify({ token, expiresAt }))
  } catch {
    // Storage refused (private mode): the session lasts as long as this page.
  }
}

export function clearSession(): void {
  sessionState.token = null
  sessionState.expiresAt = null
  sessionState.account = null
  try {
    globalThis.localStorage?.removeItem(TOKEN_STORAGE_KEY)
  } catch {
    // nothing to do
  }
}
