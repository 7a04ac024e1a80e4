import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import StaffAccountActions from '@/components/staff/StaffAccountActions.vue'
import StaffList from '@/components/staff/StaffList.vue'
import ChangePasswordForm from '@/components/account/ChangePasswordForm.vue'
import type { StaffMember } from '@/api/types'
import { testI18n } from './helpers'

const member: StaffMember = {
  id: '01a20dd9-6e0b-71a9-a0ed-fbcd742cd478',
  email: 'li.si@wenji.demo',
  display_name: '李四',
  role: 'agency_staff',
  agency_id: '01a20dd9-6e0b-71a9-a0ed-000000000001',
  disabled: false,
  reset_pending: false,
  created_at: '2026-11-24T00:00:00Z',
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })

/** A fake fetch answering by path; records every request. */
function stubFetch(answers: Record<string, () => Response>) {
  const seen: Request[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      seen.push(req)
      const path = new URL(req.url, 'http://x').pathname.replace('/api/v1', '')
      const answer = answers[`${req.method} ${path}`]
      if (!answer) throw new Error(`unexpected ${req.method} ${path}`)
      return answer()
    }),
  )
  return seen
}

const buttonByText = (w: ReturnType<typeof mount>, text: string) => {
  const b = w.findAll('button').find((x) => x.text().startsWith(text))
  if (!b) throw new Error(`no button "${text}" in ${w.html()}`)
  return b
}

afterEach(() => vi.unstubAllGlobals())

describe('StaffAccountActions', () => {
  it('asks before resetting, then shows the one-time code once with its expiry in Beijing time', async () => {
    const seen = stubFetch({
      [`POST /accounts/${member.id}/password-reset`]: () =>
        json({ code: '7K3M9-QX5AB-2D4F8-HJ6KM', expires_at: '2026-11-25T12:37:00Z' }, 201),
    })
    const w = mount(StaffAccountActions, { props: { member }, global: { plugins: [testI18n()] }, attachTo: document.body })
    await buttonByText(w, '重置密码').trigger('click')
    expect(seen).toHaveLength(0)
    expect(w.text()).toContain('重置李四的密码？')
    await buttonByText(w, '确定重置').trigger('click')
    await flushPromises()
    expect(seen).toHaveLength(1)
    const box = w.get('[data-testid=reset-code-box]')
    expect(box.get('[data-testid=reset-code]').text()).toBe('7K3M9-QX5AB-2D4F8-HJ6KM')
    // 12:37 UTC is 20:37 in Beijing.
    expect(box.text()).toContain('有效期至 2026年11月25日 20:37（北京时间）')
    expect(box.text()).toContain('只显示这一次')
    expect(w.emitted('updated')?.[0]?.[0]).toMatchObject({ id: member.id, reset_pending: true })
    // The box takes the focus, so the admin hears about the code at once.
    expect(document.activeElement?.textContent).toBe('李四的重置码')
    await buttonByText(w, '已交给本人，关闭').trigger('click')
    expect(w.find('[data-testid=reset-code-box]').exists()).toBe(false)
    expect(w.text()).not.toContain('7K3M9')
    w.unmount()
  })

  it('copies the code to the clipboard', async () => {
    stubFetch({ [`POST /accounts/${member.id}/password-reset`]: () => json({ code: 'ABCDE-FGHJK', expires_at: '2026-11-25T12:37:00Z' }, 201) })
    const writeText = vi.fn(async () => {})
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const w = mount(StaffAccountActions, { props: { member }, global: { plugins: [testI18n('en')] } })
    await buttonByText(w, 'Reset password').trigger('click')
    await buttonByText(w, 'Reset').trigger('click')
    await flushPromises()
    await buttonByText(w, 'Copy reset code').trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith('ABCDE-FGHJK')
    expect(w.text()).toContain('The reset code has been copied.')
  })

  it('disables after a confirmation and reports the new state; a cancelled confirmation sends nothing', async () => {
    const seen = stubFetch({
      [`POST /accounts/${member.id}/disable`]: () => json({ ...member, disabled: true }),
    })
    const w = mount(StaffAccountActions, { props: { member }, global: { plugins: [testI18n()] } })
    await buttonByText(w, '停用账号').trigger('click')
    await buttonByText(w, '取消').trigger('click')
    expect(seen).toHaveLength(0)
    await buttonByText(w, '停用账号').trigger('click')
    await buttonByText(w, '确定停用').trigger('click')
    await flushPromises()
    expect(seen.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([`POST /api/v1/accounts/${member.id}/disable`])
    expect(w.emitted('updated')?.[0]?.[0]).toMatchObject({ id: member.id, disabled: true })
    expect(w.get('[role=status]').text()).toBe('已停用李四的账号，其登录已全部结束。')
  })

  it('offers enabling for a disabled account, and shows a refusal in words', async () => {
    stubFetch({
      [`POST /accounts/${member.id}/enable`]: () =>
        json({ type: 'about:blank', title: 'x', status: 409, detail: 'server words', code: 'own_account', errors: [] }, 409),
    })
    const w = mount(StaffAccountActions, { props: { member: { ...member, disabled: true } }, global: { plugins: [testI18n()] } })
    expect(w.findAll('button').map((b) => b.text())).toEqual(['启用账号：李四', '重置密码：李四'])
    await buttonByText(w, '启用账号').trigger('click')
    await buttonByText(w, '确定启用').trigger('click')
    await flushPromises()
    expect(w.get('[role=alert]').text()).toContain('不能对自己的账号这样操作')
    expect(w.emitted('updated')).toBeUndefined()
  })
})

describe('StaffList', () => {
  it('shows each account’s state, and actions only to those who manage, never on their own account', () => {
    const other = { ...member, id: 'b', email: 'b@wenji.demo', display_name: '王五', disabled: true, reset_pending: true }
    const self = { ...member, id: 'me', email: 'me@wenji.demo', display_name: '我' }
    const staff = [member, other, self]
    const manage = mount(StaffList, { props: { staff, label: 'L', manage: true, selfId: 'me' }, global: { plugins: [testI18n()] } })
    const items = manage.findAll('li')
    expect(items.map((i) => i.get('[data-testid=staff-status]').text())).toEqual(['正常', '已停用 · 等待本人设置新密码', '正常'])
    expect(items[0]!.findAll('button').map((b) => b.text())).toEqual(['停用账号：李四', '重置密码：李四'])
    expect(items[2]!.findAll('button')).toHaveLength(0)
    expect(items[2]!.text()).toContain('这是您自己的账号')
    const view = mount(StaffList, { props: { staff, label: 'L' }, global: { plugins: [testI18n()] } })
    expect(view.findAll('button')).toHaveLength(0)
  })
})

describe('ChangePasswordForm', () => {
  it('shows a wrong current password at its field in the UI language, then the success notice', async () => {
    let answer = () =>
      json(
        {
          type: 'about:blank',
          title: 'Some values are not valid',
          status: 422,
          detail: '',
          code: 'validation_failed',
          errors: [{ field: 'current_password', code: 'wrong_password', message: 'server words' }],
        },
        422,
      )
    const seen = stubFetch({ 'POST /auth/password': () => answer() })
    const w = mount(ChangePasswordForm, { global: { plugins: [testI18n('en')] } })
    await w.get('#pw-current').setValue('old one')
    await w.get('#pw-new').setValue('a brand new password')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(await seen[0]!.json()).toEqual({ current_password: 'old one', new_password: 'a brand new password' })
    expect(w.get('#pw-current-error').text()).toContain('The current password is not correct.')
    expect(w.get('#pw-current').attributes('aria-invalid')).toBe('true')
    expect(w.find('#pw-new-error').exists()).toBe(false)

    answer = () => new Response(null, { status: 204 })
    await w.get('#pw-current').setValue('right one')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.find('#pw-current-error').exists()).toBe(false)
    expect(w.get('[role=status]').text()).toBe(
      'Your password has been changed. You have been signed out on every other device and browser.',
    )
    expect((w.get('#pw-new').element as HTMLInputElement).value).toBe('')
  })
})
