import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { FollowedDecision, Me } from '@/api/types'
import FollowButton from '@/components/decisions/FollowButton.vue'
import MyFollowsView from '@/views/MyFollowsView.vue'
import UnfollowView from '@/views/UnfollowView.vue'
import { clearSession, storeSession } from '@/session/state'
import type { Locale } from '@/i18n'
import { testI18n } from './helpers'

const ID = '01a22dbb-9198-7333-a8d3-2bdd6015ae9e'
const OTHER = '01a22dbb-9198-7333-a8d3-000000000002'
const me: Me = { id: 'a1', email: 'zhang.wei@wenji.demo', display_name: '张伟', role: 'resident', created_at: '2026-11-24T12:37:00Z' }

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })

/** A fake fetch answering by method and path; records every request. */
function stubFetch(answers: Record<string, () => Response>) {
  const seen: Request[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      seen.push(req)
      const url = new URL(req.url, 'http://x')
      const key = `${req.method} ${url.pathname.replace('/api/v1', '')}`
      const answer = answers[key]
      if (!answer) throw new Error(`unexpected ${key}`)
      return answer()
    }),
  )
  return seen
}
const sent = (seen: Request[]) => seen.map((r) => `${r.method} ${new URL(r.url).pathname}`)

/** A router at the decision's page, so the sign-in link can point back to it. */
async function routerAt(path: string) {
  const page = { render: () => null }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/consultations/:id', name: 'consultation', component: page },
      { path: '/login', name: 'login', component: page },
      { path: '/unfollow', name: 'unfollow', component: page },
    ],
  })
  await router.push(path)
  return router
}

async function mountButton(locale: Locale = 'zh-CN') {
  const router = await routerAt(`/consultations/${ID}`)
  const w = mount(FollowButton, { props: { decisionId: ID }, global: { plugins: [testI18n(locale), router] } })
  await flushPromises()
  return w
}

afterEach(() => {
  vi.unstubAllGlobals()
  clearSession()
})

describe('FollowButton', () => {
  it('follows with PUT, then unfollows with DELETE, flipping aria-pressed and saying what it means', async () => {
    storeSession(me, 'csrf-1')
    const seen = stubFetch({
      [`GET /decisions/${ID}/follow`]: () => json({ following: false }),
      [`PUT /decisions/${ID}/follow`]: () => json({ following: true, since: '2026-12-01T04:00:00Z' }),
      [`DELETE /decisions/${ID}/follow`]: () => json({ following: false }),
    })
    const w = await mountButton()
    const button = () => w.get('button')
    expect(button().text()).toBe('关注')
    expect(button().attributes('aria-pressed')).toBe('false')
    expect(w.text()).toContain('关注后，征求意见截止前三天')

    await button().trigger('click')
    await flushPromises()
    expect(button().attributes('aria-pressed')).toBe('true')
    expect(button().text()).toBe('✓ 关注')
    expect(w.get('[role=status]').text()).toBe('已关注：征求意见延期、结束、公布采纳情况和决策结果时，我们会发邮件通知您。')

    await button().trigger('click')
    await flushPromises()
    expect(button().attributes('aria-pressed')).toBe('false')
    expect(button().text()).toBe('关注')
    expect(w.get('[role=status]').text()).toBe('已取消关注，不会再收到这项决策的邮件通知。')

    expect(sent(seen)).toEqual([
      `GET /api/v1/decisions/${ID}/follow`,
      `PUT /api/v1/decisions/${ID}/follow`,
      `DELETE /api/v1/decisions/${ID}/follow`,
    ])
    // The changes carry the session's CSRF token.
    expect(seen.slice(1).map((r) => r.headers.get('X-CSRF-Token'))).toEqual(['csrf-1', 'csrf-1'])
  })

  it('starts pressed when the decision is followed already', async () => {
    storeSession(me, 'csrf-1')
    stubFetch({ [`GET /decisions/${ID}/follow`]: () => json({ following: true, since: '2026-12-01T04:00:00Z' }) })
    const w = await mountButton('en')
    expect(w.get('button').attributes('aria-pressed')).toBe('true')
    expect(w.get('button').text()).toBe('✓ Follow')
    expect(w.text()).toContain('You follow this decision')
  })

  it('shows a refusal in words and stays unpressed', async () => {
    storeSession(me, 'csrf-1')
    stubFetch({
      [`GET /decisions/${ID}/follow`]: () => json({ following: false }),
      [`PUT /decisions/${ID}/follow`]: () =>
        json({ type: 'about:blank', title: 'x', status: 409, detail: 'server words', code: 'too_many_follows', errors: [] }, 409),
    })
    const w = await mountButton()
    await w.get('button').trigger('click')
    await flushPromises()
    expect(w.get('[role=alert]').text()).toContain('关注的事项已达上限')
    expect(w.get('button').attributes('aria-pressed')).toBe('false')
    expect(w.get('[role=status]').text()).toBe('')
  })

  it('asks people who are not signed in to sign in first, and brings them back', async () => {
    const seen = stubFetch({})
    const w = await mountButton()
    expect(w.find('button').exists()).toBe(false)
    const link = w.get('a')
    expect(link.text()).toBe('登录后关注')
    expect(link.attributes('href')).toBe(`/login?redirect=/consultations/${ID}`)
    expect(seen).toHaveLength(0)
  })
})

const followed = (id: string, title: string, extra: Partial<FollowedDecision> = {}): FollowedDecision => ({
  decision: {
    id,
    title,
    summary: '',
    agency_id: 'ag',
    agency_name: '示范区发展和改革委员会',
    policy_area_id: 'pa',
    status: 'consulting',
    catalogue_year: 2026,
    window_opens_at: '2026-11-01T00:00:00Z',
    window_closes_at: '2026-12-31T16:00:00Z',
  },
  followed_at: '2026-11-24T12:37:00Z',
  feedback_version: 0,
  ...extra,
})

describe('MyFollowsView', () => {
  it('lists each followed decision with where it stands, and unfollowing takes it off the list', async () => {
    storeSession(me, 'csrf-1')
    const closed = followed(OTHER, '示范区停车管理办法', {
      decision: { ...followed(OTHER, '示范区停车管理办法').decision, status: 'closed' },
      report_due_on: '2027-01-30',
    })
    const published = followed('p3', '示范区养老服务办法', {
      decision: { ...followed('p3', '示范区养老服务办法').decision, status: 'feedback_published' },
      feedback_version: 1,
    })
    let items = [followed(ID, '示范区电动自行车管理办法'), closed, published]
    const meta = () => ({ page: 1, per_page: 20, total: items.length, total_pages: 1 })
    const seen = stubFetch({
      'GET /me/follows': () => json({ items, meta: meta() }),
      [`DELETE /decisions/${ID}/follow`]: () => {
        items = items.filter((f) => f.decision.id !== ID)
        return json({ following: false })
      },
    })
    const router = await routerAt('/consultations/x')
    const w = mount(MyFollowsView, { global: { plugins: [testI18n(), router] }, attachTo: document.body })
    await flushPromises()
    const cards = () => w.findAll('li.decision-card')
    expect(cards()).toHaveLength(3)
    expect(cards()[0]!.text()).toContain('正在征求意见')
    // 16:00 UTC is midnight in Beijing.
    expect(cards()[0]!.text()).toContain('征求意见截止时间：2027年1月1日 00:00')
    expect(cards()[0]!.text()).toContain('关注时间：2026年11月24日')
    expect(cards()[1]!.get('[data-testid=report-due]').text()).toBe('采纳情况应于2027年1月30日前公布')
    expect(cards()[2]!.get('[data-testid=report-published]').text()).toBe('已公布采纳情况')
    expect(cards()[0]!.get('a').attributes('href')).toBe(`/consultations/${ID}`)

    await cards()[0]!.get('button').trigger('click')
    await flushPromises()
    expect(sent(seen)).toContain(`DELETE /api/v1/decisions/${ID}/follow`)
    expect(cards().map((c) => c.get('h2').text())).toEqual(['示范区停车管理办法', '示范区养老服务办法'])
    expect(w.get('[role=status]').text()).toBe('已取消关注“示范区电动自行车管理办法”。')
    expect(document.activeElement?.textContent?.trim()).toBe('已取消关注“示范区电动自行车管理办法”。')
    w.unmount()
  })

  it('says so when nothing is followed', async () => {
    storeSession(me, 'csrf-1')
    stubFetch({ 'GET /me/follows': () => json({ items: [], meta: { page: 1, per_page: 20, total: 0, total_pages: 0 } }) })
    const router = await routerAt('/consultations/x')
    const w = mount(MyFollowsView, { global: { plugins: [testI18n(), router] } })
    await flushPromises()
    expect(w.text()).toContain('您还没有关注任何决策事项。')
    expect(w.find('li').exists()).toBe(false)
  })
})

describe('UnfollowView (the link in a follow e-mail)', () => {
  const ACCOUNT = '01a22dbb-9198-7333-a8d3-00000000000a'
  const TOKEN = '0123456789abcdef0123456789abcdef'
  async function mountLink(query: string) {
    const router = await routerAt(`/unfollow?${query}`)
    const w = mount(UnfollowView, { global: { plugins: [testI18n('zh-CN'), router] }, attachTo: document.body })
    await flushPromises()
    return w
  }

  it('unfollows only when the button is pressed, sending what the link names', async () => {
    const seen = stubFetch({
      'POST /follows/unsubscribe': () => json({ decision_id: ID, title: '示范区公园绿地开放共享实施方案', following: false }),
    })
    const w = await mountLink(`account=${ACCOUNT}&decision=${ID}&token=${TOKEN}`)
    expect(seen).toEqual([])
    expect(w.text()).toContain('确认后，您将不再收到这项决策的邮件通知')
    await w.get('button').trigger('click')
    await flushPromises()
    expect(sent(seen)).toEqual(['POST /api/v1/follows/unsubscribe'])
    expect(await seen[0]!.clone().json()).toEqual({ account_id: ACCOUNT, decision_id: ID, token: TOKEN })
    const notice = w.get('[role=status]')
    expect(notice.text()).toBe('已取消关注“示范区公园绿地开放共享实施方案”，不会再收到它的邮件通知。')
    expect(document.activeElement).toBe(notice.element)
    expect(w.find('button').exists()).toBe(false)
    w.unmount()
  })

  it('shows a refusal and keeps the button', async () => {
    stubFetch({
      'POST /follows/unsubscribe': () =>
        json({ type: 'about:blank', title: '找不到', status: 404, code: 'not_found', detail: '取消关注的链接无效。' }, 404),
    })
    const w = await mountLink(`account=${ACCOUNT}&decision=${ID}&token=${TOKEN}`)
    await w.get('button').trigger('click')
    await flushPromises()
    expect(w.text()).toContain('取消关注的链接无效')
    expect(w.find('button').exists()).toBe(true)
    w.unmount()
  })

  it('says a cut-off link is incomplete and sends nothing', async () => {
    const seen = stubFetch({})
    const w = await mountLink(`account=${ACCOUNT}&decision=${ID}&token=0123`)
    expect(w.get('[role=alert]').text()).toContain('这个链接不完整')
    expect(w.find('button').exists()).toBe(false)
    expect(seen).toEqual([])
    w.unmount()
  })
})
