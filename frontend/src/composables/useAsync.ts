import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import { ApiProblem, CLIENT_CODES, syntheticProblem } from '@/api/problem'
import { currentLocale } from '@/i18n'

export interface AsyncState<T> {
  data: ShallowRef<T | undefined>
  error: ShallowRef<ApiProblem | null>
  loading: Ref<boolean>
  reload: () => Promise<void>
}

/** Anything thrown becomes an `ApiProblem`, so views have one kind of error to show. */
export function toProblem(e: unknown): ApiProblem {
  if (e instanceof ApiProblem) return e
  if (import.meta.env.DEV) console.error(e)
  return new ApiProblem(syntheticProblem(CLIENT_CODES.unexpected, 0), currentLocale(), true)
}

/**
 * Loads data for a view, with loading and error states. Only the latest load counts, so a
 * slow earlier answer never overwrites a newer one.
 */
export function useAsync<T>(loader: () => Promise<T>, options: { immediate?: boolean } = {}): AsyncState<T> {
  const data = shallowRef<T>()
  const error = shallowRef<ApiProblem | null>(null)
  const loading = ref(false)
  let latest = 0

  async function reload(): Promise<void> {
    const mine = ++latest
    loading.value = true
    error.value = null
    try {
      const value = await loader()
      if (mine === latest) data.value = value
    } catch (e) {
      if (mine === latest) error.value = toProblem(e)
    } finally {
      if (mine === latest) loading.value = false
    }
  }

  if (options.immediate ?? true) void reload()
  return { data, error, loading, reload }
}

/**
 * The state of a form's submission: `submitting` while it is on its way, `problem` when the
 * server refused it. `run` clears the old problem first and returns whether it succeeded.
 */
export function useSubmit() {
  const submitting = ref(false)
  const problem = shallowRef<ApiProblem | null>(null)

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    if (submitting.value) return false
    submitting.value = true
    problem.value = null
    try {
      await action()
      return true
    } catch (e) {
      problem.value = toProblem(e)
      return false
    } finally {
      submitting.value = false
    }
  }

  return { submitting, problem, run }
}
