import { useI18n } from 'vue-i18n'
import type { ApiProblem, FieldError } from '@/api/problem'

/** A text to show, with `lang` set when it is in another language than the UI's. */
export interface ShownText {
  text: string
  lang?: string
}

/**
 * Turns problems into texts in the UI language. Known codes are translated here, so the
 * texts follow a language switch; anything else shows the server's own words (already in
 * the language the request asked for), marked with their language.
 */
export function useProblemText() {
  const { t, te, locale } = useI18n()

  const server = (text: string, lang: string): ShownText =>
    lang === locale.value ? { text } : { text, lang }

  function title(p: ApiProblem): ShownText {
    const key = `problems.${p.code}.title`
    if (te(key)) return { text: t(key) }
    if (p.synthetic || !p.problem.title) return { text: t('problems.fallbackTitle') }
    return server(p.problem.title, p.lang)
  }

  function detail(p: ApiProblem): ShownText | null {
    const key = `problems.${p.code}.detail`
    if (te(key)) return { text: t(key) }
    if (p.synthetic || !p.problem.detail) return null
    return server(p.problem.detail, p.lang)
  }

  /** One field error; `scope` picks the form's catalogue (`account`, `policyArea`, `agency`). */
  function fieldMessage(e: FieldError, p: ApiProblem, scope?: string): ShownText {
    const key = scope ? `fieldErrors.${scope}.${e.field}.${e.code}` : ''
    if (key && te(key)) return { text: t(key) }
    return server(e.message, p.lang)
  }

  return { title, detail, fieldMessage }
}
