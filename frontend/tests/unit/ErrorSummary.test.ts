import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import ErrorSummary from '@/components/forms/ErrorSummary.vue'
import { ApiProblem, syntheticProblem } from '@/api/problem'
import { testI18n, validationProblem } from './helpers'

describe('ErrorSummary', () => {
  it('lists each field error as a link to its field and takes the focus', async () => {
    const w = mount(ErrorSummary, {
      props: { problem: null, scope: 'account', fieldIds: { email: 'reg-email' } },
      global: { plugins: [testI18n()] },
      attachTo: document.body,
    })
    expect(w.find('.alert').exists()).toBe(false)
    await w.setProps({
      problem: validationProblem([
        { field: 'email', code: 'taken', message: '该邮箱已注册。' },
        { field: 'other', code: 'x', message: '别的问题。' },
      ]),
    })
    await nextTick()
    const box = w.get('.alert')
    expect(box.get('h2').text()).toBe('提交的内容有误')
    const link = box.get('a')
    expect(link.attributes('href')).toBe('#reg-email')
    expect(link.text()).toBe('这个电子邮箱已经注册过了。')
    expect(box.findAll('li')[1]!.find('a').exists()).toBe(false)
    expect(document.activeElement).toBe(box.element)
    w.unmount()
  })

  it('explains a network failure in plain words', async () => {
    const w = mount(ErrorSummary, {
      props: { problem: new ApiProblem(syntheticProblem('network_error', 0), 'en', true) },
      global: { plugins: [testI18n('en')] },
    })
    expect(w.get('h2').text()).toBe('Cannot reach the server')
    expect(w.text()).toContain('Check your internet connection')
    expect(w.text()).not.toContain('network_error')
  })
})
