import type { components } from '@/api/schema'
import {
  attendanceStatusValues,
  attendeeCategoryValues,
  meetingKindValues,
  opennessValues,
  personalFieldValues,
  registrationStatusValues,
  streamStateValues,
} from '@/api/schema'

// Meetings (会议), livestreams and open days (政务开放日) as the console handles them: short
// names for the API's schemas, and the small rules the forms need (replay offsets typed as
// h:mm:ss, agenda order, which items are streamed).

type Schemas = components['schemas']
export type Meeting = Schemas['Meeting']
export type MeetingSummary = Schemas['MeetingSummary']
export type MeetingPage = Schemas['MeetingPage']
export type MeetingInput = Schemas['MeetingInput']
export type MeetingKind = Schemas['MeetingKind']
export type AgendaItem = Schemas['AgendaItem']
export type Openness = Schemas['Openness']
export type StreamState = Schemas['StreamState']
export type AttendanceList = Schemas['AttendanceList']
export type StaffAttendanceRequest = Schemas['StaffAttendanceRequest']
export type OpenDay = Schemas['OpenDay']
export type OpenDayPage = Schemas['OpenDayPage']
export type OpenDayInput = Schemas['OpenDayInput']
export type PersonalField = Schemas['PersonalField']
export type RegistrationPage = Schemas['RegistrationPage']
export type RegistrationStatus = Schemas['RegistrationStatus']
export type StaffRegistration = Schemas['StaffRegistration']
export type CheckInResult = Schemas['CheckInResult']

export const MEETING_KINDS: readonly MeetingKind[] = meetingKindValues
export const OPENNESS: readonly Openness[] = opennessValues
export const STREAM_STATES: readonly StreamState[] = streamStateValues
export const PERSONAL_FIELDS: readonly PersonalField[] = personalFieldValues
export const REGISTRATION_STATUSES: readonly RegistrationStatus[] = registrationStatusValues
export const ATTENDANCE_STATUSES = attendanceStatusValues
export const ATTENDEE_CATEGORIES = attendeeCategoryValues

/** The public can watch this item (live and in the replay). */
export function isStreamed(o: Openness): boolean {
  return o === 'livestream' || o === 'both'
}

/** The public can ask to sit in on this item (列席). */
export function isAttended(o: Openness): boolean {
  return o === 'attendance' || o === 'both'
}

/** The stream states a stream in `from` may move to, in the order the buttons are shown. */
export function nextStreamStates(from: StreamState): StreamState[] {
  switch (from) {
    case 'scheduled':
      return ['live', 'cancelled']
    case 'live':
      return ['ended', 'cancelled']
    default:
      return []
  }
}

/** The longest offset the server accepts: 24 hours. */
export const MAX_OFFSET_SECONDS = 86_400

/**
 * Reads a replay offset as typed: `h:mm:ss`, `mm:ss` (minutes may exceed 59) or plain
 * seconds; a full-width colon counts too. `''` gives `undefined` (no offset); anything else
 * that cannot be read, or is over 24 hours, gives `null`.
 */
export function parseOffset(text: string): number | null | undefined {
  const s = text.trim().replace(/：/g, ':')
  if (s === '') return undefined
  let seconds: number
  let m: RegExpExecArray | null
  if ((m = /^(\d+):([0-5]?\d):([0-5]?\d)$/.exec(s))) {
    seconds = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])
  } else if ((m = /^(\d+):([0-5]?\d)$/.exec(s))) {
    seconds = Number(m[1]) * 60 + Number(m[2])
  } else if (/^\d+$/.test(s)) {
    seconds = Number(s)
  } else {
    return null
  }
  return seconds <= MAX_OFFSET_SECONDS ? seconds : null
}

/** An offset as `m:ss` under an hour, else `h:mm:ss`. */
export function formatOffset(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/** A copy of `list` with the item at `index` moved by `delta` places (kept inside the list). */
export function moveItem<T>(list: readonly T[], index: number, delta: number): T[] {
  const out = [...list]
  const to = index + delta
  if (index < 0 || index >= out.length || to < 0 || to >= out.length) return out
  const [item] = out.splice(index, 1)
  out.splice(to, 0, item as T)
  return out
}

/** What a scanner read or a person typed, trimmed; the server reads dashes and `WJOD:` itself. */
export function cleanCode(raw: string): string {
  return raw.trim().replace(/\s+/g, '')
}
