import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ReportForm from '@/components/disclosure/ReportForm.vue'
import { testI18n } from './helpers'

const ID = '01a22dbb-9198-7333-a8d3-2bdd6015ae9e'
const json = (body: unknown, status: number, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } })

afterEach(() => vi.unstubAllGlobals())

async function fillAndSend(w: ReturnType<typeof mount>, body = '点位已调整。') {
  await w.get('input[value=outdated]').setValue(true)
  await w.get('textarea').setValue(body)
  await w.get('input[name=contact]').setValue(' 13800000000 ')
  await w.get('form').trigger('submit')
  await flushPromises()
}

describe('the report form of a catalogue item', () => {
  it('sends the kind, text and contact, then says it was received (201)', async () => {
    let sent: unknown = null
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        sent = { url: req.url, body: await req.json() }
        return json({ id: 'r1', status: 'open' }, 201)
      }),
    )
    const w = mount(ReportForm, { props: { itemId: ID }, global: { plugins: [testI18n()] } })
    await fillAndSend(w)
    expect(sent).toMatchObject({
      url: expect.stringContaining(`/disclosure-items/${ID}/reports`),
      body: { kind: 'outdated', body: '点位已调整。', contact: '13800000000' },
    })
    expect(w.get('[role=status]').text()).toContain('已收到您的反映')
    expect(w.emitted('sent')).toHaveLength(1)
    expect(w.find('form').exists()).toBe(false)
  })

  it('shows a refused field at the field (422)', async () => {
    const problem = {
      type: 'about:blank',
      title: '提交的内容有误',
      status: 422,
      detail: '',
      code: 'validation_failed',
      errors: [{ field: 'body', code: 'required', message: '此项必填。' }],
    }
    vi.stubGlobal('fetch', vi.fn(async () => json(problem, 422, 'application/problem+json')))
    const w = mount(ReportForm, { props: { itemId: ID }, global: { plugins: [testI18n()] } })
    await fillAndSend(w, '')
    expect(w.get('.alert--error h2').text()).toBe('反映没有提交成功')
    expect(w.get('#rp-body-error').text()).toContain('此项必填。')
    expect(w.get('textarea').attributes('aria-invalid')).toBe('true')
    expect(w.emitted('sent')).toBeUndefined()
  })

  it('says so when reports come too fast (429), in the UI language', async () => {
    const problem = { type: 'about:blank', title: 'Too many requests', status: 429, detail: '', code: 'too_many_requests', errors: [] }
    vi.stubGlobal('fetch', vi.fn(async () => json(problem, 429, 'application/problem+json')))
    const w = mount(ReportForm, { props: { itemId: ID }, global: { plugins: [testI18n('en')] } })
    await fillAndSend(w)
    expect(w.get('.alert--error h2').text()).toBe('Too many reports in a short time; please try again later.')
    expect(w.find('form').exists()).toBe(true)
  })
})
