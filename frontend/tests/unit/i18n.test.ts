import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import zhCN from '@/i18n/messages/zh-CN'
import en from '@/i18n/messages/en'
import { LOCALES } from '@/i18n'
import { AGENCY_KINDS, CATEGORIES, CHANNELS, COMMENT_STATUSES, DISPOSITIONS, HIDDEN_REASONS, SATISFACTIONS, STAFF_ROLES, TIMELINESS } from '@/api/types'
import { DECISION_STATUSES } from '@/lib/consultation'
import { ROLES } from '@/lib/roles'
import { testI18n } from './helpers'

type Tree = { [k: string]: string | Tree }

function flatten(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : flatten(v, `${prefix}${k}.`)))
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(vue|ts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

const zhKeys = flatten(zhCN as unknown as Tree)
const enKeys = flatten(en as unknown as Tree)

describe('message catalogues', () => {
  it('have the same keys in Chinese and English', () => {
    expect(enKeys.sort()).toEqual([...zhKeys].sort())
  })

  it('have no empty message', () => {
    for (const cat of [zhCN, en]) {
      for (const key of flatten(cat as unknown as Tree)) {
        const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], cat)
        expect(String(value).trim(), key).not.toBe('')
      }
    }
  })

  it('compile: every message renders in both languages without warnings', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    for (const locale of LOCALES) {
      const { t } = testI18n(locale).global
      for (const key of zhKeys) {
        const out = t(key, { name: 'N', agency: 'A', id: 'I', role: 'R', count: 2, days: 3, max: 5000, page: 1, pages: 2, from: 'F', to: 'T', date: 'D', number: 1, label: 'L', note: 'O', reason: 'R', total: 4, published: 1, waiting: 1, groups: 1, added: 1, removed: 1, changed: 1, unchanged: 1, tn: 'WJ', url: 'U', percent: 5, hidden: 1 })
        expect(out, `${locale} ${key}`).not.toBe(key)
        expect(out, `${locale} ${key}`).not.toMatch(/[{}]/)
      }
    }
    expect(warn).not.toHaveBeenCalled()
    expect(error).not.toHaveBeenCalled()
  })

  it('contain every key the source code names literally', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src')
    const used = new Set<string>()
    const patterns = [/\bt\(\s*'([\w.-]+)'/g, /keypath="([\w.-]+)"/g, /notify\(\s*'([\w.-]+)'/g, /titleKey: '([\w.-]+)'/g]
    for (const file of sourceFiles(root)) {
      const text = readFileSync(file, 'utf8')
      for (const re of patterns) for (const m of text.matchAll(re)) used.add(m[1]!)
    }
    expect(used.size).toBeGreaterThan(50)
    const missing = [...used].filter((k) => !zhKeys.includes(k))
    expect(missing).toEqual([])
  })

  it('cover every value the code builds keys from', () => {
    const dynamic = [
      ...ROLES.map((r) => `roles.${r}`),
      ...STAFF_ROLES.map((r) => `roles.${r}`),
      ...AGENCY_KINDS.map((k) => `agencyKinds.${k}`),
      ...LOCALES.map((l) => `language.${l}`),
      ...DECISION_STATUSES.map((s) => `status.${s}`),
      ...CATEGORIES.map((c) => `categories.${c}`),
      ...CHANNELS.map((c) => `channels.${c}`),
      ...COMMENT_STATUSES.map((c) => `commentStatus.${c}`),
      ...HIDDEN_REASONS.map((r) => `hiddenReasons.${r}`),
      ...['added', 'removed', 'changed', 'unchanged'].map((c) => `diff.${c}`),
      ...[...DISPOSITIONS, 'undecided'].map((d) => `dispositions.${d}`),
      ...SATISFACTIONS.map((s) => `satisfactions.${s}`),
      ...TIMELINESS.map((s) => `timeliness.${s}`),
    ]
    expect(dynamic.filter((k) => !zhKeys.includes(k))).toEqual([])
  })
})
