import { createI18n } from 'vue-i18n'
import zhCN, { type MessageSchema } from './messages/zh-CN'
import en from './messages/en'

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'
export const LOCALE_STORAGE_KEY = 'wenji.locale'

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

function readStoredLocale(): Locale {
  try {
    const stored = globalThis.localStorage?.getItem(LOCALE_STORAGE_KEY)
    return isLocale(stored) ? stored : DEFAULT_LOCALE
  } catch {
    return DEFAULT_LOCALE
  }
}

export type WenjiI18n = ReturnType<typeof createWenjiI18n>

/** A fresh i18n instance; the app uses the one below, component tests make their own. */
export function createWenjiI18n(locale: Locale = DEFAULT_LOCALE) {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: DEFAULT_LOCALE,
    messages: { 'zh-CN': zhCN, en },
    missingWarn: import.meta.env.DEV,
    fallbackWarn: import.meta.env.DEV,
  })
}

export const i18n = createWenjiI18n(readStoredLocale())

/** The language of the UI right now. */
export function currentLocale(instance: WenjiI18n = i18n): Locale {
  return instance.global.locale.value
}

/**
 * Switches the UI language without a reload: the texts, `<html lang>`, and the language the
 * API answers in all follow. The choice is remembered in localStorage.
 */
export function setLocale(locale: Locale, instance: WenjiI18n = i18n): void {
  instance.global.locale.value = locale
  applyDocumentLocale(locale)
  try {
    globalThis.localStorage?.setItem(LOCALE_STORAGE_KEY, locale)
  } catch {
    // Private browsing may refuse storage; the choice then lasts until the tab closes.
  }
}

export function applyDocumentLocale(locale: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}

export type { MessageSchema }
