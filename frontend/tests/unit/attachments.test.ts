import { describe, expect, it } from 'vitest'
import { fileKind, formatFileSize } from '@/lib/attachments'

describe('fileKind', () => {
  it('names a file by its media type', () => {
    expect(fileKind('application/pdf')).toBe('pdf')
    expect(fileKind('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('word')
    expect(fileKind('application/msword')).toBe('word')
    expect(fileKind('application/vnd.ms-excel')).toBe('excel')
    expect(fileKind('image/png')).toBe('image')
    expect(fileKind('image/webp; charset=binary')).toBe('image')
  })

  it('falls back to the extension, then to "other"', () => {
    expect(fileKind('application/octet-stream', '通知.OFD')).toBe('ofd')
    expect(fileKind('application/octet-stream', '表.xlsx')).toBe('excel')
    expect(fileKind('application/octet-stream', 'readme')).toBe('other')
    expect(fileKind('text/plain', 'a.txt')).toBe('other')
  })
})

describe('formatFileSize', () => {
  it('uses bytes, KB and MB', () => {
    expect(formatFileSize(0, 'zh-CN')).toBe('0 B')
    expect(formatFileSize(512, 'en')).toBe('512 B')
    expect(formatFileSize(1024, 'en')).toBe('1 KB')
    expect(formatFileSize(1536, 'zh-CN')).toBe('2 KB')
    expect(formatFileSize(300 * 1024, 'en')).toBe('300 KB')
    expect(formatFileSize(1024 * 1024, 'en')).toBe('1 MB')
    expect(formatFileSize(20 * 1024 * 1024, 'zh-CN')).toBe('20 MB')
    expect(formatFileSize(5.25 * 1024 * 1024, 'zh-CN')).toBe('5.3 MB')
  })

  it('groups digits the locale way', () => {
    expect(formatFileSize(1000 * 1024 - 1, 'en')).toBe('1,000 KB')
  })
})
