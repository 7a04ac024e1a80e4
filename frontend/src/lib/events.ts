import type { components } from '@/api/schema'

// Meetings, open days and the calendar: short names for their schemas, the month grid of the
// calendar, grouping by day in Beijing time, and the registrations a resident keeps on this
// device (their codes), so they can come back to them.

type Schemas = components['schemas']
export type Meeting = Schemas['Meeting']
export type MeetingKind = Schemas['MeetingKind']
export type MeetingStatus = Schemas['MeetingStatus']
export type AgendaItem = Schemas['AgendaItem']
export type Openness = Schemas['Openness']
export type Stream = Schemas['Stream']
export type StreamState = Schemas['StreamState']
export type Attendance = Schemas['Attendance']
export type AttendeeCategory = Schemas['AttendeeCategory']
export type AttendanceRequestInput = Schemas['AttendanceRequestInput']
export type OwnAttendanceRequest = Schemas['OwnAttendanceRequest']
export type AttendanceStatus = Schemas['AttendanceStatus']
export type OpenDay = Schemas['OpenDay']
export type PersonalField = Schemas['PersonalField']
export type RegistrationInput = Schemas['RegistrationInput']
export type OwnRegistration = Schemas['OwnRegistration']
export type RegistrationStatus = Schemas['RegistrationStatus']
export type CalendarEvent = Schemas['CalendarEvent']
export type DecisionAgendaItem = Schemas['DecisionAgendaItem']

export const ATTENDEE_CATEGORIES: readonly AttendeeCategory[] = ['resident', 'company', 'organisation', 'media', 'deputy']

/** Beijing is UTC+8 all year (no daylight saving time). */
const BEIJING_OFFSET_MS = 8 * 3600 * 1000
const DAY_MS = 24 * 3600 * 1000

/** A calendar day, `YYYY-MM-DD`. */
export type DayKey = string

const pad = (n: number) => String(n).padStart(2, '0')

/** The day (in Beijing) a moment falls on, as `YYYY-MM-DD`; '' for an invalid value. */
export function beijingDay(value: string | Date): DayKey {
  const t = (value instanceof Date ? value : new Date(value)).getTime()
  if (Number.isNaN(t)) return ''
  const d = new Date(t + BEIJING_OFFSET_MS)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

/** The time of day in Beijing, `HH:MM`. */
export function beijingTime(value: string | Date): string {
  const t = (value instanceof Date ? value : new Date(value)).getTime()
  if (Number.isNaN(t)) return ''
  const d = new Date(t + BEIJING_OFFSET_MS)
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

/** Midnight in Beijing at the start of a day, as a UTC instant. */
export function beijingMidnight(day: DayKey): Date {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(Date.UTC(y!, m! - 1, d!) - BEIJING_OFFSET_MS)
}

/** The day after. */
export function nextDay(day: DayKey): DayKey {
  return beijingDay(new Date(beijingMidnight(day).getTime() + DAY_MS))
}

export interface YearMonth {
  year: number
  /** 1–12 */
  month: number
}

export function monthOf(day: DayKey): YearMonth {
  const [y, m] = day.split('-').map(Number)
  return { year: y!, month: m! }
}

export function addMonths(ym: YearMonth, n: number): YearMonth {
  const index = ym.year * 12 + (ym.month - 1) + n
  return { year: Math.floor(index / 12), month: (index % 12) + 1 }
}

/** `2026-11` */
export function monthKey(ym: YearMonth): string {
  return `${ym.year}-${pad(ym.month)}`
}

/** Reads `2026-11` (from the address); null when it is not a month. */
export function parseMonthKey(value: unknown): YearMonth | null {
  if (typeof value !== 'string') return null
  const m = /^(\d{4})-(\d{2})$/.exec(value)
  if (!m) return null
  const month = Number(m[2])
  return month >= 1 && month <= 12 ? { year: Number(m[1]), month } : null
}

export interface GridDay {
  day: DayKey
  /** Day of the month, 1–31. */
  date: number
  /** Part of the month shown (not a leading or trailing day of its neighbours). */
  inMonth: boolean
}

/**
 * The weeks of a month as a calendar shows them: Monday first (the Chinese convention),
 * starting with the week of the 1st and ending with the week of the last day, so 4–6 rows
 * of 7 days.
 */
export function monthGrid(ym: YearMonth): GridDay[][] {
  const first = new Date(Date.UTC(ym.year, ym.month - 1, 1))
  const daysInMonth = new Date(Date.UTC(ym.year, ym.month, 0)).getUTCDate()
  const lead = (first.getUTCDay() + 6) % 7 // Monday = 0
  const cells = Math.ceil((lead + daysInMonth) / 7) * 7
  const weeks: GridDay[][] = []
  for (let i = 0; i < cells; i++) {
    const d = new Date(Date.UTC(ym.year, ym.month - 1, 1 - lead + i))
    const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
    if (i % 7 === 0) weeks.push([])
    weeks[weeks.length - 1]!.push({ day, date: d.getUTCDate(), inMonth: d.getUTCMonth() === ym.month - 1 })
  }
  return weeks
}

/** The instants to ask the calendar for to fill a month's grid: from its first cell to after its last. */
export function gridRange(ym: YearMonth): { from: string; to: string } {
  const weeks = monthGrid(ym)
  const first = weeks[0]![0]!.day
  const last = weeks[weeks.length - 1]![6]!.day
  return { from: beijingMidnight(first).toISOString(), to: beijingMidnight(nextDay(last)).toISOString() }
}

/**
 * Events by the Beijing days they take place on: an event that lasts several days is listed
 * on each of them (one that ends at midnight sharp not on the day after). Each day's events
 * keep the order they came in (the API sends them soonest first).
 */
export function eventsByDay<E extends { starts_at: string; ends_at: string }>(events: readonly E[]): Map<DayKey, E[]> {
  const out = new Map<DayKey, E[]>()
  for (const e of events) {
    const start = beijingDay(e.starts_at)
    if (!start) continue
    const endMs = new Date(e.ends_at).getTime()
    // The last day is the one holding the last instant before the end.
    const last = Number.isNaN(endMs) || endMs <= new Date(e.starts_at).getTime() ? start : beijingDay(new Date(endMs - 1))
    let day = start
    for (let guard = 0; guard < 400; guard++) {
      const list = out.get(day)
      if (list) list.push(e)
      else out.set(day, [e])
      if (day >= last) break
      day = nextDay(day)
    }
  }
  return out
}

/** Days in order, each with its events: for the list view. */
export function dayGroups<E extends { starts_at: string; ends_at: string }>(events: readonly E[]): { day: DayKey; events: E[] }[] {
  return [...eventsByDay(events).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([day, evs]) => ({ day, events: evs }))
}

// Registrations kept on this device: the code is all a resident has to see or cancel their
// registration, and it is shown once; keeping it here lets them come back to the open day.

export const REGISTRATIONS_KEY = 'wenji.registrations'

export interface KeptRegistration {
  code: string
  qr_payload: string
  /** When it was kept (ISO). */
  saved_at: string
}

function readAll(storage: Storage | undefined): Record<string, KeptRegistration> {
  try {
    const raw = storage?.getItem(REGISTRATIONS_KEY)
    if (!raw) return {}
    const parsed: unknown = JSON.parse(raw)
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {}
    const out: Record<string, KeptRegistration> = {}
    for (const [id, v] of Object.entries(parsed as Record<string, unknown>)) {
      const o = v as Partial<KeptRegistration> | null
      if (o && typeof o.code === 'string' && o.code) {
        out[id] = { code: o.code, qr_payload: typeof o.qr_payload === 'string' ? o.qr_payload : '', saved_at: String(o.saved_at ?? '') }
      }
    }
    return out
  } catch {
    return {}
  }
}

function writeAll(all: Record<string, KeptRegistration>, storage: Storage | undefined): void {
  try {
    storage?.setItem(REGISTRATIONS_KEY, JSON.stringify(all))
  } catch {
    // Private browsing may refuse storage: the code is still shown on the page.
  }
}

const defaultStorage = (): Storage | undefined => globalThis.localStorage

export function keptRegistration(openDayId: string, storage = defaultStorage()): KeptRegistration | null {
  return readAll(storage)[openDayId] ?? null
}

export function keepRegistration(openDayId: string, code: string, qrPayload: string, storage = defaultStorage()): void {
  const all = readAll(storage)
  all[openDayId] = { code, qr_payload: qrPayload, saved_at: new Date().toISOString() }
  writeAll(all, storage)
}

export function forgetRegistration(openDayId: string, storage = defaultStorage()): void {
  const all = readAll(storage)
  delete all[openDayId]
  writeAll(all, storage)
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** `2026年11月` or `November 2026`. */
export function formatMonth(ym: YearMonth, locale: string): string {
  return locale === 'en' || locale.startsWith('en-') ? `${MONTHS_EN[ym.month - 1]} ${ym.year}` : `${ym.year}年${ym.month}月`
}
