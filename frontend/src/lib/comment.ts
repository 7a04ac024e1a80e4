import { MAX_COMMENT_CHARS } from '@/api/types'

// The comment form's character counter, counted as the server counts (characters, not
// UTF-16 units, after trimming).

export interface CounterState {
  count: number
  max: number
  over: number
  key: 'commentForm.counter' | 'commentForm.counterOver'
  params: Record<string, number>
}

export function charCount(text: string): number {
  return [...text.trim()].length
}

export function counterState(text: string, max = MAX_COMMENT_CHARS): CounterState {
  const count = charCount(text)
  const over = Math.max(0, count - max)
  return over > 0
    ? { count, max, over, key: 'commentForm.counterOver', params: { count: over } }
    : { count, max, over, key: 'commentForm.counter', params: { count, max } }
}

/** Why a submission was refused, in words for the person writing (not a field error). */
export type RefusalKind = 'signIn' | 'notOpenYet' | 'closed' | null

export function refusalKind(status: number, code: string): RefusalKind {
  if (status === 401) return 'signIn'
  if (code === 'consultation_not_open_yet') return 'notOpenYet'
  if (code === 'consultation_closed') return 'closed'
  return null
}
