import { afterEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import LanguageSwitch from '@/components/layout/LanguageSwitch.vue'
import { i18n, LOCALE_STORAGE_KEY, setLocale } from '@/i18n'

afterEach(() => {
  setLocale('zh-CN')
  localStorage.clear()
})

describe('LanguageSwitch', () => {
  it('is a labelled group of two buttons named in their own language, the current one pressed', () => {
    const w = mount(LanguageSwitch, { global: { plugins: [i18n] } })
    const group = w.get('[role=group]')
    expect(group.attributes('aria-label')).toBe('语言')
    const buttons = w.findAll('button')
    expect(buttons.map((b) => [b.text(), b.attributes('lang'), b.attributes('aria-pressed')])).toEqual([
      ['中文', 'zh-CN', 'true'],
      ['English', 'en', 'false'],
    ])
  })

  it('switches the language without a reload, updates <html lang> and remembers the choice', async () => {
    const w = mount(LanguageSwitch, { global: { plugins: [i18n] } })
    await w.findAll('button')[1]!.trigger('click')
    expect(i18n.global.locale.value).toBe('en')
    expect(document.documentElement.lang).toBe('en')
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('en')
    expect(w.get('[role=group]').attributes('aria-label')).toBe('Language')
    expect(w.findAll('button').map((b) => b.attributes('aria-pressed'))).toEqual(['false', 'true'])

    await w.findAll('button')[0]!.trigger('click')
    expect(document.documentElement.lang).toBe('zh-CN')
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('zh-CN')
  })
})
