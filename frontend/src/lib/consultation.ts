import { decisionStatusValues } from '@/api/schema'
import type { Consultation, DecisionStatus } from '@/api/types'

// The consultation window in plain words: whether it is open, and how long is left.

export type WindowPhase = 'upcoming' | 'open' | 'closed'

const DAY_MS = 86_400_000

/** Where a window stands at `now`. */
export function windowPhase(opensAt: string, closesAt: string, now: Date = new Date()): WindowPhase {
  const t = now.getTime()
  if (t < Date.parse(opensAt)) return 'upcoming'
  if (t < Date.parse(closesAt)) return 'open'
  return 'closed'
}

/**
 * Whole days left until `closesAt`, rounded up (9 days and 2 hours left is "10 days");
 * 0 once it has closed. Less than a day left is 1: use `closesWithinADay` to say "today".
 */
export function daysLeft(closesAt: string, now: Date = new Date()): number {
  const ms = Date.parse(closesAt) - now.getTime()
  if (Number.isNaN(ms) || ms <= 0) return 0
  return Math.ceil(ms / DAY_MS)
}

/** A message key and its parameters, for the window's short state ("还剩 5 天"). */
export interface WindowText {
  key: 'window.upcoming' | 'window.daysLeft' | 'window.lastDay' | 'window.closed'
  params: Record<string, number>
}

export function windowText(opensAt: string, closesAt: string, now: Date = new Date()): WindowText {
  const phase = windowPhase(opensAt, closesAt, now)
  if (phase === 'upcoming') return { key: 'window.upcoming', params: { days: daysLeft(opensAt, now) } }
  if (phase === 'closed') return { key: 'window.closed', params: {} }
  const ms = Date.parse(closesAt) - now.getTime()
  if (ms < DAY_MS) return { key: 'window.lastDay', params: {} }
  return { key: 'window.daysLeft', params: { days: daysLeft(closesAt, now) } }
}

/** True when comments can be sent now. */
export function acceptsComments(c: Pick<Consultation, 'opens_at' | 'closes_at'> | undefined, now: Date = new Date()): boolean {
  return !!c && windowPhase(c.opens_at, c.closes_at, now) === 'open'
}

export const DECISION_STATUSES: readonly DecisionStatus[] = decisionStatusValues

/** Statuses the public can see (drafts are the agency's own). */
export const PUBLIC_STATUSES: readonly DecisionStatus[] = DECISION_STATUSES.filter((s) => s !== 'draft')

/** The normal shortest window; a shorter one needs a published reason. */
export const NORMAL_WINDOW_DAYS = 30

/**
 * A `<input type="datetime-local">` value read as Beijing time (the platform's zone, whatever
 * the browser's), as an ISO instant; null when empty or invalid.
 */
export function beijingInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null
  const withSeconds = value.length === 16 ? `${value}:00` : value
  const d = new Date(`${withSeconds}+08:00`)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

/** An instant as a `datetime-local` value in Beijing time. */
export function isoToBeijingInput(iso: string | Date): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3_600_000)
  return d.toISOString().slice(0, 16)
}

/** Whole days between two instants, rounded to the nearest day (as the server counts). */
export function windowLengthDays(opensIso: string, closesIso: string): number {
  return Math.floor((Date.parse(closesIso) - Date.parse(opensIso) + DAY_MS / 2) / DAY_MS)
}

/** The server's slack for a form filled in a little before it reaches it. */
const LENGTH_TOLERANCE_MS = 3_600_000

/** True when the window needs a published reason (shorter than 30 days). */
export function isShortWindow(opensIso: string, closesIso: string): boolean {
  return Date.parse(closesIso) - Date.parse(opensIso) + LENGTH_TOLERANCE_MS < NORMAL_WINDOW_DAYS * DAY_MS
}
