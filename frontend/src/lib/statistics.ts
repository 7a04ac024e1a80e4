import type { LocationQuery } from 'vue-router'
import type { components, operations } from '@/api/schema'

// The statistics page: its filters as they live in the address (so a view can be shared), the
// API's query built from them, and the numbers as people read them.

export type StatisticsFigures = components['schemas']['StatisticsFigures']
export type AgencyFigures = components['schemas']['AgencyFigures']
export type MonthFigures = components['schemas']['MonthFigures']
export type StatisticsQuery = NonNullable<operations['statistics_overview']['parameters']['query']>

/** How the period is chosen: everything, one calendar year, or a range of months. */
export type PeriodKind = 'all' | 'year' | 'months'

export interface StatisticsFilters {
  /** An agency id, `''` for every agency. */
  agency: string
  /** A policy area id, `''` for every area. */
  area: string
  period: PeriodKind
  /** `YYYY` when `period` is `year`. */
  year: string
  /** `YYYY-MM` (either may be empty) when `period` is `months`. */
  from: string
  to: string
}

/** The value of `?agency=` that asks for every agency where the page would default to one. */
export const ALL_AGENCIES = 'all'

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : Array.isArray(v) && typeof v[0] === 'string' ? v[0].trim() : '')

/**
 * Reads the filters from the address. `agency` missing means `defaultAgency` (the console
 * starts at the staff member's own agency); `agency=all` means every agency.
 */
export function filtersFromQuery(q: LocationQuery, defaultAgency = ''): StatisticsFilters {
  const rawAgency = str(q.agency)
  const agency = rawAgency === ALL_AGENCIES ? '' : rawAgency || defaultAgency
  const year = str(q.year)
  const from = str(q.from)
  const to = str(q.to)
  const period: PeriodKind = year ? 'year' : from || to ? 'months' : 'all'
  return {
    agency,
    area: str(q.area),
    period,
    year: period === 'year' ? year : '',
    from: period === 'months' ? from : '',
    to: period === 'months' ? to : '',
  }
}

/**
 * The address query for the filters: only what is chosen, and only the period fields of
 * the period kind. Choosing every agency where the page defaults to one is written `all`.
 */
export function queryFromFilters(f: StatisticsFilters, defaultAgency = ''): Record<string, string> {
  const query: Record<string, string> = {}
  const agency = f.agency.trim()
  if (agency && agency !== defaultAgency) query.agency = agency
  else if (!agency && defaultAgency) query.agency = ALL_AGENCIES
  if (f.area.trim()) query.area = f.area.trim()
  if (f.period === 'year' && f.year.trim()) query.year = f.year.trim()
  if (f.period === 'months') {
    if (f.from.trim()) query.from = f.from.trim()
    if (f.to.trim()) query.to = f.to.trim()
  }
  return query
}

/** The query of every statistics call (and of the export links) for these filters. */
export function apiQuery(f: StatisticsFilters): StatisticsQuery {
  const q: StatisticsQuery = {}
  if (f.agency) q.agency_id = f.agency
  if (f.area) q.policy_area_id = f.area
  if (f.period === 'year' && f.year) {
    const y = Number(f.year)
    if (Number.isInteger(y)) q.year = y
  }
  if (f.period === 'months') {
    if (f.from) q.from = f.from
    if (f.to) q.to = f.to
  }
  return q
}

export type ExportKind = 'agencies' | 'monthly'
export type ExportFormat = 'csv' | 'xlsx'

/** The address of an export (a public GET) with the filters of the page. */
export function exportUrl(kind: ExportKind, format: ExportFormat, f: StatisticsFilters): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(apiQuery(f))) params.set(k, String(v))
  const qs = params.toString()
  return `/api/v1/statistics/${kind}.${format}${qs ? `?${qs}` : ''}`
}

// Numbers

const numberFormats = new Map<string, Intl.NumberFormat>()
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`
  let f = numberFormats.get(key)
  if (!f) {
    f = new Intl.NumberFormat(locale, options)
    numberFormats.set(key, f)
  }
  return f
}

/** What a missing figure shows: a rate with nothing to divide by, a median of no reports. */
export const NO_FIGURE = '—'

/** A count with the locale's grouping: 12,345. */
export function formatCount(n: number | null | undefined, locale: string): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return NO_FIGURE
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(n)
}

/** A decimal with at most one digit after the point: 52.5, 18. */
export function formatDecimal(n: number | null | undefined, locale: string): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return NO_FIGURE
  return numberFormat(locale, { maximumFractionDigits: 1 }).format(n)
}

/** A share (0–1) as a percentage with at most one decimal: 0.8591 → 85.9%, 1 → 100%. */
export function formatPercent(rate: number | null | undefined, locale: string): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return NO_FIGURE
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate)
}

/** `part` of `total` as a percentage, or no figure when the total is 0. */
export function formatShare(part: number, total: number, locale: string): string {
  return total > 0 ? formatPercent(part / total, locale) : NO_FIGURE
}

/** `2026-03` → 2026年3月 / Mar 2026 (the month stays in China's calendar: no time zone). */
export function formatMonth(month: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month)
  if (!m) return month
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1))
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: locale === 'en' ? 'short' : 'long', timeZone: 'UTC' }).format(date)
}

// The agency ranking

export const RANKING_SORTS = ['consultations', 'comments', 'participants', 'adoption_rate', 'reports_on_time', 'satisfaction_rate'] as const
export type RankingSort = (typeof RANKING_SORTS)[number]

export function isRankingSort(v: unknown): v is RankingSort {
  return typeof v === 'string' && (RANKING_SORTS as readonly string[]).includes(v)
}

/**
 * The ranking in the chosen order: highest first (or lowest with `ascending`), agencies
 * without the figure (no rate to compute) always last, ties by name in Chinese order.
 */
export function sortRanking(items: readonly AgencyFigures[], by: RankingSort, ascending = false): AgencyFigures[] {
  const value = (a: AgencyFigures): number | undefined => {
    const v = a.figures[by]
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined
  }
  return [...items].sort((a, b) => {
    const va = value(a)
    const vb = value(b)
    if (va === undefined && vb === undefined) return a.agency_name.localeCompare(b.agency_name, 'zh-CN')
    if (va === undefined) return 1
    if (vb === undefined) return -1
    if (va !== vb) return ascending ? va - vb : vb - va
    return a.agency_name.localeCompare(b.agency_name, 'zh-CN')
  })
}

/** Comments by disposition, in the order the report uses. */
export const DISPOSITION_KEYS = ['adopted', 'partly_adopted', 'not_adopted', 'not_applicable'] as const
export type DispositionKey = (typeof DISPOSITION_KEYS)[number]

export function dispositionCounts(f: StatisticsFigures): { key: DispositionKey; count: number }[] {
  return DISPOSITION_KEYS.map((key) => ({ key, count: f[key] }))
}

/** Months with no consultation are left out by the API; the chart and table show them as 0. */
export function fillMonths(items: readonly MonthFigures[]): { month: string; consultations: number; comments: number; figures?: StatisticsFigures }[] {
  if (items.length === 0) return []
  const byMonth = new Map(items.map((i) => [i.month, i]))
  const sorted = [...byMonth.keys()].sort()
  const out: { month: string; consultations: number; comments: number; figures?: StatisticsFigures }[] = []
  let [y, m] = sorted[0]!.split('-').map(Number) as [number, number]
  const last = sorted[sorted.length - 1]!
  for (let guard = 0; guard < 1200; guard++) {
    const key = `${y}-${String(m).padStart(2, '0')}`
    const item = byMonth.get(key)
    out.push({ month: key, consultations: item?.figures.consultations ?? 0, comments: item?.figures.comments ?? 0, figures: item?.figures })
    if (key >= last) break
    m += 1
    if (m > 12) {
      m = 1
      y += 1
    }
  }
  return out
}
