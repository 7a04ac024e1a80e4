/**
 * Times are stored in UTC by the API and shown in the platform's zone, Asia/Shanghai, in the
 * conventions of the UI language:
 *   zh-CN  2026年11月24日 20:37
 *   en     24 Nov 2026, 20:37
 * The text is assembled from numeric parts so it does not depend on the ICU version.
 */

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

interface Parts {
  year: number
  month: number
  day: number
  hour: string
  minute: string
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function partsIn(date: Date, timeZone: string): Parts {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, f)
  }
  const get = (type: Intl.DateTimeFormatPartTypes) => f.formatToParts(date).find((p) => p.type === type)?.value ?? ''
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: get('hour').padStart(2, '0'),
    minute: get('minute').padStart(2, '0'),
  }
}

function toDate(value: string | Date): Date | null {
  const d = value instanceof Date ? value : new Date(value)
  return Number.isNaN(d.getTime()) ? null : d
}

function isEnglish(locale: string): boolean {
  return locale === 'en' || locale.startsWith('en-')
}

/** A date and time, e.g. `2026年11月24日 20:37` or `24 Nov 2026, 20:37`; '' for an invalid value. */
export function formatDateTime(value: string | Date, locale: string, timeZone = DEFAULT_TIME_ZONE): string {
  const d = toDate(value)
  if (!d) return ''
  const p = partsIn(d, timeZone)
  return isEnglish(locale)
    ? `${p.day} ${MONTHS_EN[p.month - 1]} ${p.year}, ${p.hour}:${p.minute}`
    : `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}`
}

/** A date alone, e.g. `2026年11月24日` or `24 Nov 2026`; '' for an invalid value. */
export function formatDate(value: string | Date, locale: string, timeZone = DEFAULT_TIME_ZONE): string {
  const d = toDate(value)
  if (!d) return ''
  const p = partsIn(d, timeZone)
  return isEnglish(locale) ? `${p.day} ${MONTHS_EN[p.month - 1]} ${p.year}` : `${p.year}年${p.month}月${p.day}日`
}
