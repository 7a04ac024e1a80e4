import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import { useAsync, useSubmit } from '@/composables/useAsync'
import AsyncContent from '@/components/states/AsyncContent.vue'
import { ApiProblem, syntheticProblem } from '@/api/problem'
import { testI18n, validationProblem } from './helpers'

function deferred<T>() {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('useAsync', () => {
  it('keeps only the latest load when an earlier one answers late', async () => {
    const answers = [deferred<string>(), deferred<string>()]
    let n = 0
    const state = useAsync(() => answers[n++]!.promise)
    const second = state.reload()
    answers[1]!.resolve('new')
    await second
    answers[0]!.resolve('old')
    await Promise.resolve()
    expect(state.data.value).toBe('new')
    expect(state.loading.value).toBe(false)
  })

  it('turns any failure into an ApiProblem', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const state = useAsync(() => Promise.reject(new Error('boom')), { immediate: false })
    await state.reload()
    expect(state.error.value).toBeInstanceOf(ApiProblem)
    expect(state.error.value?.code).toBe('unexpected_response')
  })
})

describe('useSubmit', () => {
  it('records the problem of a refused submission and clears it on the next try', async () => {
    const { problem, run, submitting } = useSubmit()
    const refused = validationProblem([{ field: 'email', code: 'taken', message: 'x' }])
    expect(await run(() => Promise.reject(refused))).toBe(false)
    expect(problem.value).toBe(refused)
    const pending = run(() => Promise.resolve())
    expect(submitting.value).toBe(true)
    expect(problem.value).toBeNull()
    expect(await pending).toBe(true)
  })
})

describe('AsyncContent', () => {
  const mountWith = (props: Record<string, unknown>) =>
    mount(AsyncContent, {
      props: { loading: false, error: null, ready: false, ...props },
      slots: { default: '<p class="content">content</p>' },
      global: { plugins: [testI18n()] },
    })

  it('shows loading as a status before there is data', () => {
    const w = mountWith({ loading: true })
    expect(w.get('[role=status]').text()).toBe('正在加载…')
    expect(w.find('.content').exists()).toBe(false)
  })

  it('keeps the old content visible while reloading', () => {
    expect(mountWith({ loading: true, ready: true }).find('.content').exists()).toBe(true)
  })

  it('shows the empty text when there is nothing', () => {
    expect(mountWith({ ready: true, empty: true, emptyText: '还没有。' }).text()).toBe('还没有。')
  })

  it('offers a retry for a network failure but not for a refusal', async () => {
    const network = mountWith({ error: new ApiProblem(syntheticProblem('network_error', 0), 'zh-CN', true) })
    expect(network.get('[role=alert]').text()).toContain('无法连接服务器')
    await network.get('button').trigger('click')
    expect(network.emitted('retry')).toHaveLength(1)
    const forbidden = new ApiProblem(
      { type: 't', title: '无权操作', status: 403, detail: '您的账号无权进行此操作。', code: 'forbidden', errors: [] },
      'zh-CN',
    )
    const refused = mountWith({ error: forbidden })
    await nextTick()
    expect(refused.text()).toContain('您的账号无权进行此操作。')
    expect(refused.find('button').exists()).toBe(false)
  })
})
