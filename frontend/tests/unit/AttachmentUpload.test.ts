import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import AttachmentUpload from '@/components/console/AttachmentUpload.vue'
import { MAX_ATTACHMENT_BYTES } from '@/lib/attachments'
import { testI18n } from './helpers'

const ID = '01a20dd9-6e0b-71a9-a0ed-fbcd742cd478'

async function choose(w: ReturnType<typeof mount>, file: File) {
  const input = w.get('input[type=file]')
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true })
  await input.trigger('change')
}

afterEach(() => vi.unstubAllGlobals())

describe('AttachmentUpload', () => {
  it('sends the file as multipart/form-data and reports the upload', async () => {
    let sent: { type: string | null; file: unknown } | null = null
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        const form = await req.formData()
        sent = { type: req.headers.get('Content-Type'), file: form.get('file') }
        const body = { id: 'a1', file_name: 'x.pdf', content_type: 'application/pdf', size_bytes: 4, sha256: 'ab', created_at: '2026-11-24T00:00:00Z' }
        return new Response(JSON.stringify(body), { status: 201, headers: { 'Content-Type': 'application/json' } })
      }),
    )
    const w = mount(AttachmentUpload, { props: { decisionId: ID }, global: { plugins: [testI18n()] } })
    await choose(w, new File(['%PDF'], 'x.pdf', { type: 'application/pdf' }))
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(sent!.type).toMatch(/^multipart\/form-data; boundary=/)
    expect((sent!.file as File).name).toBe('x.pdf')
    expect(w.emitted('uploaded')?.[0]?.[0]).toMatchObject({ id: 'a1' })
  })

  it('shows the server’s type refusal at the input, in the UI language', async () => {
    const problem = {
      type: 'about:blank',
      title: '提交的内容有误',
      status: 422,
      detail: '',
      code: 'validation_failed',
      errors: [{ field: 'file', code: 'unsupported_type', message: 'server text' }],
    }
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(problem), { status: 422, headers: { 'Content-Type': 'application/problem+json' } })))
    const w = mount(AttachmentUpload, { props: { decisionId: ID }, global: { plugins: [testI18n('en')] } })
    await choose(w, new File(['hello'], 'a.txt', { type: 'text/plain' }))
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('#at-file-error').text()).toContain('This kind of file is not accepted.')
    expect(w.get('input[type=file]').attributes('aria-invalid')).toBe('true')
  })

  it('refuses a file over the limit before sending it', async () => {
    const fetch = vi.fn()
    vi.stubGlobal('fetch', fetch)
    const w = mount(AttachmentUpload, { props: { decisionId: ID }, global: { plugins: [testI18n()] } })
    const big = new File(['x'], 'big.pdf', { type: 'application/pdf' })
    Object.defineProperty(big, 'size', { value: MAX_ATTACHMENT_BYTES + 1 })
    await choose(w, big)
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(fetch).not.toHaveBeenCalled()
    expect(w.get('#at-file-error').text()).toContain('文件太大，不能超过 20 MB。')
  })
})
