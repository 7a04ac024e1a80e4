import { describe, expect, it } from 'vitest'
import { cleanCode, formatOffset, isAttended, isStreamed, moveItem, nextStreamStates, parseOffset } from '@/lib/consoleEvents'
import { beijingInputToIso, isoToBeijingInput } from '@/lib/consultation'

describe('replay offsets', () => {
  it('reads h:mm:ss, mm:ss and plain seconds', () => {
    expect(parseOffset('1:02:03')).toBe(3723)
    expect(parseOffset('0:00:00')).toBe(0)
    expect(parseOffset('12:05')).toBe(725)
    expect(parseOffset('90:00')).toBe(5400)
    expect(parseOffset('75')).toBe(75)
    expect(parseOffset(' 1：30 ')).toBe(90)
  })

  it('gives undefined for nothing and null for what it cannot read', () => {
    expect(parseOffset('')).toBeUndefined()
    expect(parseOffset('   ')).toBeUndefined()
    expect(parseOffset('1:60')).toBeNull()
    expect(parseOffset('1:2:3:4')).toBeNull()
    expect(parseOffset('abc')).toBeNull()
    expect(parseOffset('-5')).toBeNull()
    expect(parseOffset('24:00:01')).toBeNull()
    expect(parseOffset('24:00:00')).toBe(86_400)
  })

  it('writes m:ss under an hour and h:mm:ss from an hour', () => {
    expect(formatOffset(0)).toBe('0:00')
    expect(formatOffset(725)).toBe('12:05')
    expect(formatOffset(3600)).toBe('1:00:00')
    expect(formatOffset(3723)).toBe('1:02:03')
  })

  it('round-trips', () => {
    for (const s of [0, 59, 60, 599, 3599, 3600, 7322, 86_400]) expect(parseOffset(formatOffset(s))).toBe(s)
  })
})

describe('agenda order and openness', () => {
  it('moves an item up and down, never out of the list', () => {
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b'])
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c'])
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c'])
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c'])
    const list = ['a', 'b']
    moveItem(list, 0, 1)
    expect(list).toEqual(['a', 'b'])
  })

  it('knows which items are streamed and attended', () => {
    expect(isStreamed('both')).toBe(true)
    expect(isStreamed('livestream')).toBe(true)
    expect(isStreamed('attendance')).toBe(false)
    expect(isStreamed('closed')).toBe(false)
    expect(isAttended('both')).toBe(true)
    expect(isAttended('attendance')).toBe(true)
    expect(isAttended('livestream')).toBe(false)
  })

  it('offers the stream transitions the server allows', () => {
    expect(nextStreamStates('scheduled')).toEqual(['live', 'cancelled'])
    expect(nextStreamStates('live')).toEqual(['ended', 'cancelled'])
    expect(nextStreamStates('ended')).toEqual([])
    expect(nextStreamStates('cancelled')).toEqual([])
  })
})

describe('check-in codes', () => {
  it('drops white space only', () => {
    expect(cleanCode(' ABCD-EFGH \n')).toBe('ABCD-EFGH')
    expect(cleanCode('WJOD:abc def')).toBe('WJOD:abcdef')
  })
})

describe('Beijing time in forms', () => {
  it('turns a datetime-local value in Beijing time into UTC and back', () => {
    expect(beijingInputToIso('2026-12-01T09:30')).toBe('2026-12-01T01:30:00.000Z')
    expect(beijingInputToIso('2026-12-01T07:00')).toBe('2026-11-30T23:00:00.000Z')
    expect(beijingInputToIso('')).toBeNull()
    expect(isoToBeijingInput('2026-11-30T23:00:00Z')).toBe('2026-12-01T07:00')
  })
})

describe('console events catalogue', () => {
  it('names every value the screens build keys from, in both languages', async () => {
    const { default: zh } = await import('@/i18n/messages/zh-CN')
    const { default: en } = await import('@/i18n/messages/en')
    const { MEETING_KINDS, OPENNESS, STREAM_STATES, PERSONAL_FIELDS, REGISTRATION_STATUSES, ATTENDANCE_STATUSES, ATTENDEE_CATEGORIES } =
      await import('@/lib/consoleEvents')
    const keys = [
      ...MEETING_KINDS.map((k) => `kinds.${k}`),
      ...OPENNESS.map((k) => `openness.${k}`),
      ...STREAM_STATES.map((k) => `streamState.${k}`),
      ...['live', 'ended', 'cancelled'].map((k) => `stream.go.${k}`),
      ...PERSONAL_FIELDS.map((k) => `personalFields.${k}`),
      ...REGISTRATION_STATUSES.map((k) => `registrationStatus.${k}`),
      ...ATTENDANCE_STATUSES.map((k) => `attendanceStatus.${k}`),
      ...ATTENDEE_CATEGORIES.map((k) => `attendeeCategories.${k}`),
      ...['scheduled', 'cancelled', 'held'].map((k) => `meetingStatus.${k}`),
      ...['scheduled', 'cancelled'].map((k) => `openDayStatus.${k}`),
    ]
    for (const cat of [zh, en]) {
      for (const key of keys) {
        const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], cat.consoleEvents)
        expect(typeof value, key).toBe('string')
      }
    }
  })
})
