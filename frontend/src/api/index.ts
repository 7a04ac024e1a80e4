import { createApiClient, call } from './client'
import { currentLocale } from '@/i18n'
import { clearSession, sessionState, setCsrfToken } from '@/session/state'
import { notify } from '@/session/notice'

/** The app's API client: `/api/v1`, the session cookie and its CSRF token, the UI's language. */
export const api = createApiClient({
  baseUrl: '/api/v1',
  getCsrfToken: () => sessionState.csrfToken,
  hasSession: () => sessionState.account !== null || sessionState.expected,
  getLocale: () => currentLocale(),
  onSessionEnded: () => {
    notify('auth.sessionEnded')
    clearSession()
  },
  // Another tab signed out and in again: this tab's CSRF token is stale. Retry with the new
  // one only when the cookie is still the same person's; an action meant for one account is
  // never sent as another (the refusal is shown, and the header shows who is signed in now).
  refreshCsrfToken: async () => {
    const { data } = await api.GET('/auth/me')
    if (!data?.csrf_token) return null
    const samePerson = sessionState.account === null || sessionState.account.id === data.id
    sessionState.account = data
    setCsrfToken(data.csrf_token)
    return samePerson ? data.csrf_token : null
  },
})

/** Awaits an `api.GET(...)`/`api.POST(...)` call: its data, or a thrown `ApiProblem`. */
export function request<D>(pending: Parameters<typeof call<D>>[0]): Promise<D> {
  return call(pending, currentLocale())
}

export { ApiProblem, isApiProblem } from './problem'
export type { Problem, FieldError } from './problem'
