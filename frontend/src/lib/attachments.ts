// How an attached file is described to people: its kind in words and its size.

/** The kinds of file the server accepts, as catalogue keys under `attachments.kinds`. */
export type FileKind = 'pdf' | 'ofd' | 'word' | 'excel' | 'image' | 'other'

const BY_TYPE: Record<string, FileKind> = {
  'application/pdf': 'pdf',
  'application/ofd': 'ofd',
  'application/msword': 'word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'word',
  'application/vnd.ms-excel': 'excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'excel',
}

const BY_EXTENSION: Record<string, FileKind> = {
  pdf: 'pdf',
  ofd: 'ofd',
  doc: 'word',
  docx: 'word',
  xls: 'excel',
  xlsx: 'excel',
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gif: 'image',
  webp: 'image',
}

/** The kind of a file from its media type, else from its name's extension. */
export function fileKind(contentType: string, fileName = ''): FileKind {
  const type = contentType.split(';')[0]!.trim().toLowerCase()
  const known = BY_TYPE[type]
  if (known) return known
  if (type.startsWith('image/')) return 'image'
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? ''
  return BY_EXTENSION[ext] ?? 'other'
}

/**
 * A size in words: bytes below 1 KB, KB (whole numbers) below 1 MB, MB with at most one decimal.
 * 1 KB = 1024 bytes. Numbers follow the locale's conventions.
 */
export function formatFileSize(bytes: number, locale: string): string {
  const n = Math.max(0, bytes)
  if (n < 1024) return `${new Intl.NumberFormat(locale).format(n)} B`
  if (n < 1024 * 1024) return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(Math.max(1, Math.round(n / 1024)))} KB`
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n / (1024 * 1024))} MB`
}

/** The largest file the server accepts by default, in bytes. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

/** What the file input offers (the server checks again, by content). */
export const ACCEPTED_FILES = '.pdf,.ofd,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.gif,.webp'
