import { ApiProblem, type FieldError } from '@/api/problem'
import { createWenjiI18n, type Locale } from '@/i18n'

/** A fresh i18n instance for mounting components in tests. */
export function testI18n(locale: Locale = 'zh-CN') {
  return createWenjiI18n(locale)
}

/** A 422 validation problem with the given field errors, as the server would send it. */
export function validationProblem(errors: FieldError[], lang = 'zh-CN'): ApiProblem {
  return new ApiProblem(
    {
      type: 'https://wenji.gov.cn/problems/validation-failed',
      title: lang === 'en' ? 'Some values are not valid' : '提交的内容有误',
      status: 422,
      detail: lang === 'en' ? 'Correct the fields listed and try again.' : '请根据提示修改后重新提交。',
      code: 'validation_failed',
      request_id: 'req-test',
      errors,
    },
    lang,
  )
}
