import { DISPOSITIONS, type Disposition, type DispositionTally } from '@/api/types'

// Adoption feedback (采纳情况) in plain numbers: the tally as rows with percentages, the
// report's deadline in China's calendar, and the small rules the forms show before the
// server checks them again.

/** A row of the tally: a disposition, or comments that have none yet. */
export type TallyKey = Disposition | 'undecided'

export interface TallyRow {
  key: TallyKey
  count: number
  /** Whole percent of all rows; the rows' percentages add up to 100 (0 when there is nothing). */
  percent: number
}

/**
 * Whole percentages of `counts` that add up to exactly 100 (largest remainder), so a chart
 * and its text never disagree with the total. All zero when the counts add up to 0.
 */
export function percentages(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0)
  if (total <= 0) return counts.map(() => 0)
  const exact = counts.map((c) => (c * 100) / total)
  const floors = exact.map(Math.floor)
  let left = 100 - floors.reduce((a, b) => a + b, 0)
  const byRemainder = exact
    .map((e, i) => ({ i, r: e - Math.floor(e) }))
    .sort((a, b) => b.r - a.r || a.i - b.i)
  for (const { i } of byRemainder) {
    if (left <= 0) break
    floors[i]! += 1
    left -= 1
  }
  return floors
}

/**
 * The tally in the order the report reads it: adopted, partly adopted, not adopted, not
 * applicable, then undecided (left out when `withUndecided` is false, or when there are none
 * and `withUndecided` is 'when-any').
 */
export function tallyRows(tally: DispositionTally, withUndecided: boolean | 'when-any' = 'when-any'): TallyRow[] {
  const keys: TallyKey[] = [...DISPOSITIONS]
  if (withUndecided === true || (withUndecided === 'when-any' && tally.undecided > 0)) keys.push('undecided')
  const counts = keys.map((k) => tally[k])
  const pct = percentages(counts)
  return keys.map((key, i) => ({ key, count: counts[i]!, percent: pct[i]! }))
}

/** Comments the tally counts, undecided ones included. */
export function tallyTotal(tally: DispositionTally): number {
  return tally.adopted + tally.partly_adopted + tally.not_adopted + tally.not_applicable + tally.undecided
}

/** A reason must be given when a point is not, or only partly, adopted (未采纳意见理由). */
export function needsReason(d: Disposition | '' | undefined): boolean {
  return d === 'partly_adopted' || d === 'not_adopted'
}

/** Today's date in China (`YYYY-MM-DD`), whatever the browser's zone: due dates are China's. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
}

/**
 * Days from today (in China) until `dueOn`: 0 on the day itself, negative once it has
 * passed. NaN for an invalid date.
 */
export function daysUntilDue(dueOn: string, now: Date = new Date()): number {
  const due = Date.parse(`${dueOn}T00:00:00Z`)
  const today = Date.parse(`${todayInChina(now)}T00:00:00Z`)
  return Math.round((due - today) / 86_400_000)
}

export type DueState = 'none' | 'published' | 'upcoming' | 'today' | 'overdue'

/** Where the first report stands against its due date, for the workbench's banner. */
export function dueState(dueOn: string | undefined, publishedVersion: number, now: Date = new Date()): DueState {
  if (publishedVersion > 0) return 'published'
  if (!dueOn) return 'none'
  const days = daysUntilDue(dueOn, now)
  if (Number.isNaN(days)) return 'none'
  if (days < 0) return 'overdue'
  return days === 0 ? 'today' : 'upcoming'
}

/** A `YYYY-MM-DD` day of China as an instant at its noon, for `formatDate`. */
export function chinaDay(day: string): string {
  return `${day}T12:00:00+08:00`
}

/** Where the exact text of a report version is served (`sha256sum` of it is the hash). */
export function canonicalUrl(decisionId: string, version: number): string {
  return `/api/v1/decisions/${encodeURIComponent(decisionId)}/feedback-reports/${version}/canonical`
}
