import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import FieldErrors from '@/components/forms/FieldErrors.vue'
import { testI18n, validationProblem } from './helpers'

const problem = validationProblem([
  { field: 'email', code: 'invalid_email', message: '请输入有效的电子邮箱地址。' },
  { field: 'password', code: 'too_short', message: '密码至少需要 8 个字符。' },
  { field: 'password', code: 'brand_new_rule', message: '服务器的新规则。' },
])

function mountFor(field: string, i18n = testI18n(), p: typeof problem | null = problem) {
  return mount(FieldErrors, {
    props: { id: `x-${field}-error`, field, problem: p, scope: 'account' },
    global: { plugins: [i18n] },
  })
}

describe('FieldErrors', () => {
  it('renders nothing when the field has no error', () => {
    expect(mountFor('display_name').html()).toBe('<!--v-if-->')
    expect(mountFor('email', testI18n(), null).find('p').exists()).toBe(false)
  })

  it('shows the field’s errors with the id its input refers to, prefixed for screen readers', () => {
    const w = mountFor('email')
    const p = w.get('p#x-email-error')
    expect(p.text()).toBe('错误：请输入有效的电子邮箱地址。')
    expect(p.get('.visually-hidden').text()).toBe('错误：')
  })

  it('follows a language switch for codes it knows', async () => {
    const i18n = testI18n('zh-CN')
    const w = mountFor('email', i18n)
    expect(w.text()).toContain('请输入有效的电子邮箱地址。')
    i18n.global.locale.value = 'en'
    await nextTick()
    expect(w.text()).toContain('Error: Enter a valid e-mail address.')
  })

  it('shows the server’s own message for an unknown code, marked with its language after a switch', async () => {
    const i18n = testI18n('zh-CN')
    const w = mountFor('password', i18n)
    const lines = () => w.findAll('.field-error__line')
    expect(lines()).toHaveLength(2)
    expect(lines()[1]!.text()).toContain('服务器的新规则。')
    expect(lines()[1]!.find('[lang]').exists()).toBe(false)
    i18n.global.locale.value = 'en'
    await nextTick()
    expect(lines()[0]!.text()).toBe('Error: The password needs at least 8 characters.')
    expect(lines()[1]!.get('[lang]').attributes('lang')).toBe('zh-CN')
  })
})
