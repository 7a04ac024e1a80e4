import { ref } from 'vue'

/** A message for the next page the person sees ("You have signed out."), shown once. */
export interface Notice {
  key: string
  params?: Record<string, string>
}

export const pendingNotice = ref<Notice | null>(null)

export function notify(key: string, params?: Record<string, string>): void {
  pendingNotice.value = params ? { key, params } : { key }
}

export function takeNotice(): Notice | null {
  const n = pendingNotice.value
  pendingNotice.value = null
  return n
}
