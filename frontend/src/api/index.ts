import { createApiClient, call } from './client'
import { currentLocale } from '@/i18n'
import { clearSession, sessionState } from '@/session/state'
import { notify } from '@/session/notice'

/** The app's API client: `/api/v1`, the session's token, the UI's language. */
export const api = createApiClient({
  baseUrl: '/api/v1',
  getToken: () => sessionState.token,
  getLocale: () => currentLocale(),
  onSessionEnded: () => {
    if (sessionState.token) notify('auth.sessionEnded')
    clearSession()
  },
})

/** Awaits an `api.GET(...)`/`api.POST(...)` call: its data, or a thrown `ApiProblem`. */
export function request<D>(pending: Parameters<typeof call<D>>[0]): Promise<D> {
  return call(pending, currentLocale())
}

export { ApiProblem, isApiProblem } from './problem'
export type { Problem, FieldError } from './problem'
