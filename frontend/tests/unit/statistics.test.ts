import { describe, expect, it } from 'vitest'
import zhCN from '@/i18n/messages/zh-CN'
import { CHANNELS } from '@/api/types'
import {
  apiQuery,
  DISPOSITION_KEYS,
  exportUrl,
  fillMonths,
  filtersFromQuery,
  formatCount,
  formatDecimal,
  formatMonth,
  formatPercent,
  formatShare,
  NO_FIGURE,
  queryFromFilters,
  RANKING_SORTS,
  sortRanking,
  type AgencyFigures,
  type StatisticsFigures,
  type StatisticsFilters,
} from '@/lib/statistics'
import { barOption, monthlyOption } from '@/lib/statisticsCharts'
import { testI18n } from './helpers'

const A = '01a22b9c-efba-7324-96fe-f9033152dfb2'
const B = '01a22b9c-efbb-74b1-b32f-af943cc99833'
const AREA = '01a22b9c-efbf-71a1-9ef9-9bdfc5826376'

const filters = (f: Partial<StatisticsFilters>): StatisticsFilters => ({ agency: '', area: '', period: 'all', year: '', from: '', to: '', ...f })

describe('statistics filters and the address', () => {
  it('reads nothing as everything, all time', () => {
    expect(filtersFromQuery({})).toEqual(filters({}))
  })

  it('reads agency, area and a year', () => {
    expect(filtersFromQuery({ agency: A, area: AREA, year: '2026' })).toEqual(filters({ agency: A, area: AREA, period: 'year', year: '2026' }))
  })

  it('reads a range of months, or one end of it', () => {
    expect(filtersFromQuery({ from: '2026-03', to: '2026-09' })).toEqual(filters({ period: 'months', from: '2026-03', to: '2026-09' }))
    expect(filtersFromQuery({ to: '2026-09' })).toEqual(filters({ period: 'months', to: '2026-09' }))
  })

  it('lets a year win over months, as the API takes one or the other', () => {
    expect(filtersFromQuery({ year: '2025', from: '2026-03' })).toEqual(filters({ period: 'year', year: '2025' }))
  })

  it('takes the first of repeated parameters and trims them', () => {
    expect(filtersFromQuery({ agency: [` ${A} `, B], year: [' 2026'] })).toEqual(filters({ agency: A, period: 'year', year: '2026' }))
  })

  it('defaults to the given agency unless the address says all', () => {
    expect(filtersFromQuery({}, A).agency).toBe(A)
    expect(filtersFromQuery({ agency: B }, A).agency).toBe(B)
    expect(filtersFromQuery({ agency: 'all' }, A).agency).toBe('')
    expect(filtersFromQuery({ agency: 'all' }).agency).toBe('')
  })

  it('writes only what is chosen, and only the fields of the period kind', () => {
    expect(queryFromFilters(filters({}))).toEqual({})
    expect(queryFromFilters(filters({ agency: A, area: AREA, period: 'year', year: '2026', from: '2026-01' }))).toEqual({
      agency: A,
      area: AREA,
      year: '2026',
    })
    expect(queryFromFilters(filters({ period: 'months', year: '2026', from: '2026-01', to: '' }))).toEqual({ from: '2026-01' })
    expect(queryFromFilters(filters({ period: 'all', year: '2026', from: '2026-01' }))).toEqual({})
  })

  it('writes the default agency as nothing and every agency as all', () => {
    expect(queryFromFilters(filters({ agency: A }), A)).toEqual({})
    expect(queryFromFilters(filters({ agency: '' }), A)).toEqual({ agency: 'all' })
    expect(queryFromFilters(filters({ agency: B }), A)).toEqual({ agency: B })
  })

  it('round-trips through the address', () => {
    const cases: [StatisticsFilters, string][] = [
      [filters({}), ''],
      [filters({ agency: A, period: 'year', year: '2024' }), ''],
      [filters({ area: AREA, period: 'months', from: '2025-11', to: '2026-02' }), ''],
      [filters({ agency: '' }), A],
      [filters({ agency: A }), A],
      [filters({ agency: B, period: 'months', to: '2026-02' }), A],
    ]
    for (const [f, def] of cases) expect(filtersFromQuery(queryFromFilters(f, def), def)).toEqual(f)
  })

  it('builds the API query', () => {
    expect(apiQuery(filters({}))).toEqual({})
    expect(apiQuery(filters({ agency: A, area: AREA, period: 'year', year: '2026' }))).toEqual({ agency_id: A, policy_area_id: AREA, year: 2026 })
    expect(apiQuery(filters({ period: 'months', from: '2026-01', to: '2026-06' }))).toEqual({ from: '2026-01', to: '2026-06' })
    // A month written wrongly goes to the server as it is, which names the field in its 422.
    expect(apiQuery(filters({ period: 'months', from: '2026-13' }))).toEqual({ from: '2026-13' })
  })

  it('links the exports with the same filters', () => {
    expect(exportUrl('agencies', 'xlsx', filters({}))).toBe('/api/v1/statistics/agencies.xlsx')
    expect(exportUrl('monthly', 'csv', filters({ agency: A, period: 'year', year: '2026' }))).toBe(
      `/api/v1/statistics/monthly.csv?agency_id=${A}&year=2026`,
    )
    expect(exportUrl('agencies', 'csv', filters({ period: 'months', from: '2026-01', to: '2026-03' }))).toBe(
      '/api/v1/statistics/agencies.csv?from=2026-01&to=2026-03',
    )
  })
})

describe('statistics numbers', () => {
  it('formats percentages with at most one decimal', () => {
    expect(formatPercent(0.8591549295774648, 'zh-CN')).toBe('85.9%')
    expect(formatPercent(0.8591549295774648, 'en')).toBe('85.9%')
    expect(formatPercent(1, 'zh-CN')).toBe('100%')
    expect(formatPercent(0, 'en')).toBe('0%')
    expect(formatPercent(0.5, 'en')).toBe('50%')
    expect(formatPercent(0.12345, 'en')).toBe('12.3%')
    expect(formatPercent(0.99999, 'en')).toBe('100%')
  })

  it('shows no figure when there is nothing to compute', () => {
    expect(formatPercent(undefined, 'zh-CN')).toBe(NO_FIGURE)
    expect(formatPercent(null, 'en')).toBe(NO_FIGURE)
    expect(formatPercent(Number.NaN, 'en')).toBe(NO_FIGURE)
    expect(formatDecimal(undefined, 'en')).toBe(NO_FIGURE)
    expect(formatCount(undefined, 'en')).toBe(NO_FIGURE)
    expect(formatShare(3, 0, 'en')).toBe(NO_FIGURE)
  })

  it('formats counts with grouping and decimals with one digit at most', () => {
    expect(formatCount(12345, 'zh-CN')).toBe('12,345')
    expect(formatCount(12345, 'en')).toBe('12,345')
    expect(formatCount(0, 'en')).toBe('0')
    expect(formatDecimal(18, 'en')).toBe('18')
    expect(formatDecimal(18.25, 'en')).toBe('18.3')
    expect(formatDecimal(69.25, 'zh-CN')).toBe('69.3')
  })

  it('formats shares of a total', () => {
    expect(formatShare(41, 71, 'en')).toBe('57.7%')
    expect(formatShare(71, 71, 'zh-CN')).toBe('100%')
  })

  it('names months in either language', () => {
    expect(formatMonth('2026-03', 'zh-CN')).toBe('2026年3月')
    expect(formatMonth('2026-03', 'en')).toBe('Mar 2026')
    expect(formatMonth('not a month', 'en')).toBe('not a month')
  })
})

const figures = (f: Partial<StatisticsFigures>): StatisticsFigures => ({
  consultations: 0,
  comments: 0,
  by_channel: [],
  by_category: [],
  participants: 0,
  adopted: 0,
  partly_adopted: 0,
  not_adopted: 0,
  not_applicable: 0,
  short_windows: 0,
  reports_on_time: 0,
  reports_late: 0,
  reports_missing: 0,
  reports_pending: 0,
  satisfied: 0,
  basically_satisfied: 0,
  dissatisfied: 0,
  ...f,
})
const agency = (name: string, f: Partial<StatisticsFigures>): AgencyFigures => ({ agency_id: name, agency_name: name, figures: figures(f) })

describe('the agency ranking', () => {
  const items = [
    agency('民政局', { consultations: 2, adoption_rate: 0.5 }),
    agency('住建局', { consultations: 4 }),
    agency('发改委', { consultations: 2, adoption_rate: 0.86 }),
    agency('教育局', { consultations: 1, adoption_rate: 0.5 }),
  ]

  it('sorts by consultations, highest first, ties by name', () => {
    expect(sortRanking(items, 'consultations').map((a) => a.agency_name)).toEqual(['住建局', '发改委', '民政局', '教育局'])
  })

  it('sorts by adoption rate, agencies without one last either way', () => {
    expect(sortRanking(items, 'adoption_rate').map((a) => a.agency_name)).toEqual(['发改委', '教育局', '民政局', '住建局'])
    expect(sortRanking(items, 'adoption_rate', true).map((a) => a.agency_name)).toEqual(['教育局', '民政局', '发改委', '住建局'])
  })

  it('does not change the list it was given', () => {
    const before = items.map((a) => a.agency_name)
    sortRanking(items, 'adoption_rate')
    expect(items.map((a) => a.agency_name)).toEqual(before)
  })
})

describe('the monthly series', () => {
  it('fills the months without consultations with zeros', () => {
    const out = fillMonths([
      { month: '2026-12', figures: figures({ consultations: 1, comments: 3 }) },
      { month: '2026-10', figures: figures({ consultations: 2, comments: 5 }) },
      { month: '2027-01', figures: figures({ consultations: 1 }) },
    ])
    expect(out.map((m) => [m.month, m.consultations, m.comments])).toEqual([
      ['2026-10', 2, 5],
      ['2026-11', 0, 0],
      ['2026-12', 1, 3],
      ['2027-01', 1, 0],
    ])
    expect(out[1]!.figures).toBeUndefined()
  })

  it('is empty without data', () => {
    expect(fillMonths([])).toEqual([])
  })
})

describe('the charts', () => {
  it('draw the same numbers as the tables', () => {
    const bars = barOption([{ label: '采纳', value: 41 }, { label: '未采纳', value: 10 }], String)
    const series = bars.series as { data: { value: number }[] }[]
    expect(series[0]!.data.map((d) => d.value)).toEqual([41, 10])
    expect((bars.yAxis as { data: string[] }).data).toEqual(['采纳', '未采纳'])
    const monthly = monthlyOption([{ label: '2026年10月', consultations: 2, comments: 264 }], { consultations: '事项数', comments: '意见数' })
    const [bar, line] = monthly.series as { name: string; data: number[] }[]
    expect([bar!.name, bar!.data, line!.name, line!.data]).toEqual(['事项数', [2], '意见数', [264]])
  })
})

describe('statistics texts', () => {
  const keys = JSON.stringify(zhCN.statistics)
  it('cover every key the dashboard builds', () => {
    const { te } = testI18n('zh-CN').global
    const built = [
      ...RANKING_SORTS.map((s) => `statistics.ranking.${s}`),
      ...DISPOSITION_KEYS.map((d) => `statistics.adoption.${d}`),
      ...CHANNELS.map((c) => `channels.${c}`),
    ]
    expect(built.filter((k) => !te(k))).toEqual([])
    expect(keys.length).toBeGreaterThan(100)
  })

  it('read the same in English where numbers are put in', () => {
    const en = testI18n('en').global
    const zh = testI18n('zh-CN').global
    expect(zh.t('statistics.headline.days', { number: '18' })).toBe('18 天')
    expect(en.t('statistics.headline.days', { number: '18' })).toBe('18 days')
    expect(en.t('statistics.scope', { label: 'all agencies, all time' })).toBe('Showing: all agencies, all time')
  })
})
