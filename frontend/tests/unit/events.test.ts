import { describe, expect, it } from 'vitest'
import {
  addMonths,
  beijingDay,
  beijingMidnight,
  beijingTime,
  dayGroups,
  eventsByDay,
  forgetRegistration,
  formatMonth,
  gridRange,
  keepRegistration,
  keptRegistration,
  monthGrid,
  monthKey,
  nextDay,
  parseMonthKey,
  REGISTRATIONS_KEY,
} from '@/lib/events'

describe('Beijing days', () => {
  it('puts a UTC instant on its day in Beijing', () => {
    expect(beijingDay('2026-11-30T15:59:00Z')).toBe('2026-11-30')
    expect(beijingDay('2026-11-30T16:00:00Z')).toBe('2026-12-01')
    expect(beijingDay('2026-12-31T16:05:00Z')).toBe('2027-01-01')
    expect(beijingDay('nonsense')).toBe('')
    expect(beijingTime('2026-11-30T01:05:00Z')).toBe('09:05')
  })

  it('knows midnight in Beijing and the next day', () => {
    expect(beijingMidnight('2026-12-01').toISOString()).toBe('2026-11-30T16:00:00.000Z')
    expect(nextDay('2026-02-28')).toBe('2026-03-01')
    expect(nextDay('2028-02-28')).toBe('2028-02-29')
    expect(nextDay('2026-12-31')).toBe('2027-01-01')
  })
})

describe('months', () => {
  it('steps across years and reads keys', () => {
    expect(addMonths({ year: 2026, month: 12 }, 1)).toEqual({ year: 2027, month: 1 })
    expect(addMonths({ year: 2026, month: 1 }, -1)).toEqual({ year: 2025, month: 12 })
    expect(monthKey({ year: 2026, month: 3 })).toBe('2026-03')
    expect(parseMonthKey('2026-03')).toEqual({ year: 2026, month: 3 })
    expect(parseMonthKey('2026-13')).toBeNull()
    expect(parseMonthKey(['2026-03'])).toBeNull()
    expect(formatMonth({ year: 2026, month: 11 }, 'zh-CN')).toBe('2026年11月')
    expect(formatMonth({ year: 2026, month: 11 }, 'en')).toBe('November 2026')
  })

  it('builds a Monday-first grid of whole weeks', () => {
    // November 2026 starts on a Sunday and has 30 days.
    const weeks = monthGrid({ year: 2026, month: 11 })
    expect(weeks).toHaveLength(6)
    expect(weeks.every((w) => w.length === 7)).toBe(true)
    expect(weeks[0]![0]).toEqual({ day: '2026-10-26', date: 26, inMonth: false })
    expect(weeks[0]![6]).toEqual({ day: '2026-11-01', date: 1, inMonth: true })
    expect(weeks[5]![0]).toEqual({ day: '2026-11-30', date: 30, inMonth: true })
    expect(weeks[5]![6]).toEqual({ day: '2026-12-06', date: 6, inMonth: false })
    expect(weeks.flat().filter((d) => d.inMonth)).toHaveLength(30)
    // February 2027 starts on a Monday and fills exactly four weeks.
    const feb = monthGrid({ year: 2027, month: 2 })
    expect(feb).toHaveLength(4)
    expect(feb[0]![0]!.day).toBe('2027-02-01')
  })

  it('asks the calendar for the whole grid, from midnight to midnight in Beijing', () => {
    expect(gridRange({ year: 2026, month: 11 })).toEqual({
      from: '2026-10-25T16:00:00.000Z',
      to: '2026-12-06T16:00:00.000Z',
    })
  })
})

describe('events by day', () => {
  const ev = (id: string, starts_at: string, ends_at: string) => ({ id, starts_at, ends_at })

  it('groups by the Beijing day, several-day events on each of their days', () => {
    const events = [
      ev('evening', '2026-11-30T15:30:00Z', '2026-11-30T15:50:00Z'), // 23:30 Beijing, 30 Nov
      ev('late', '2026-11-30T16:30:00Z', '2026-11-30T18:00:00Z'), // 00:30 Beijing, 1 Dec
      ev('span', '2026-12-01T01:00:00Z', '2026-12-03T09:00:00Z'), // 1–3 Dec
      ev('to-midnight', '2026-12-04T10:00:00Z', '2026-12-04T16:00:00Z'), // ends 00:00 on 5 Dec
    ]
    const map = eventsByDay(events)
    expect(map.get('2026-11-30')?.map((e) => e.id)).toEqual(['evening'])
    expect(map.get('2026-12-01')?.map((e) => e.id)).toEqual(['late', 'span'])
    expect(map.get('2026-12-02')?.map((e) => e.id)).toEqual(['span'])
    expect(map.get('2026-12-03')?.map((e) => e.id)).toEqual(['span'])
    expect(map.get('2026-12-04')?.map((e) => e.id)).toEqual(['to-midnight'])
    expect(map.has('2026-12-05')).toBe(false)
    expect(dayGroups(events).map((g) => g.day)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04'])
  })
})

describe('registrations kept on this device', () => {
  it('keeps, finds and forgets a code per open day', () => {
    localStorage.removeItem(REGISTRATIONS_KEY)
    expect(keptRegistration('a')).toBeNull()
    keepRegistration('a', 'CODE1', 'WJOD:CODE1')
    keepRegistration('b', 'CODE2', 'WJOD:CODE2')
    expect(keptRegistration('a')).toMatchObject({ code: 'CODE1', qr_payload: 'WJOD:CODE1' })
    forgetRegistration('a')
    expect(keptRegistration('a')).toBeNull()
    expect(keptRegistration('b')?.code).toBe('CODE2')
  })

  it('ignores what it cannot read', () => {
    localStorage.setItem(REGISTRATIONS_KEY, '{not json')
    expect(keptRegistration('a')).toBeNull()
    localStorage.setItem(REGISTRATIONS_KEY, JSON.stringify({ a: { code: 5 }, b: { code: 'X' } }))
    expect(keptRegistration('a')).toBeNull()
    expect(keptRegistration('b')?.code).toBe('X')
  })
})
