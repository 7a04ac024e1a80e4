import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime } from '@/lib/datetime'

describe('formatDateTime', () => {
  it('shows UTC times in Asia/Shanghai, Chinese conventions', () => {
    expect(formatDateTime('2026-11-24T12:37:00Z', 'zh-CN')).toBe('2026年11月24日 20:37')
  })

  it('shows English conventions in the English UI', () => {
    expect(formatDateTime('2026-11-24T12:37:00Z', 'en')).toBe('24 Nov 2026, 20:37')
    expect(formatDateTime('2026-11-24T12:37:00Z', 'en-GB')).toBe('24 Nov 2026, 20:37')
  })

  it('crosses midnight into the next day in Shanghai', () => {
    expect(formatDateTime('2026-12-31T16:05:00Z', 'zh-CN')).toBe('2027年1月1日 00:05')
    expect(formatDateTime('2026-12-31T16:05:00Z', 'en')).toBe('1 Jan 2027, 00:05')
  })

  it('does not pad month and day, pads hours and minutes', () => {
    expect(formatDateTime('2026-03-04T23:09:00Z', 'zh-CN')).toBe('2026年3月5日 07:09')
  })

  it('accepts offsets, fractional seconds and Date objects', () => {
    expect(formatDateTime('2026-11-24T12:37:17.605801+00:00', 'zh-CN')).toBe('2026年11月24日 20:37')
    expect(formatDateTime('2026-11-24T20:37:00+08:00', 'zh-CN')).toBe('2026年11月24日 20:37')
    expect(formatDateTime(new Date(Date.UTC(2026, 10, 24, 12, 37)), 'zh-CN')).toBe('2026年11月24日 20:37')
  })

  it('can show another zone', () => {
    expect(formatDateTime('2026-11-24T12:37:00Z', 'zh-CN', 'UTC')).toBe('2026年11月24日 12:37')
  })

  it('gives an empty string for an invalid value', () => {
    expect(formatDateTime('not a date', 'zh-CN')).toBe('')
    expect(formatDate('', 'en')).toBe('')
  })
})

describe('formatDate', () => {
  it('shows the date alone', () => {
    expect(formatDate('2026-11-24T16:00:00Z', 'zh-CN')).toBe('2026年11月25日')
    expect(formatDate('2026-11-24T16:00:00Z', 'en')).toBe('25 Nov 2026')
  })
})
