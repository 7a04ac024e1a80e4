// Following a decision (关注): the demo resident, signed out on a consultation, signs in from its
// follow link and comes back; follows it; finds it in 我的关注 through the account menu; it is
// still followed after a reload; unfollows it from 我的关注. The demo resident may follow
// other decisions already (the demo data does so): the journey only looks at its own decision.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertNoSeriousViolations } from './lib/axe.mjs'
import { launchBrowser, openPage, stepper } from './lib/browser.mjs'
import { noSidewaysScroll } from './lib/pages.mjs'
import { startServer } from './lib/server.mjs'
import { apiCall, PASSWORD, tokenFor } from './lib/seed.mjs'

const RESIDENT = 'zhang.wei@wenji.demo'

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server
/** @type {import('playwright-core').Browser} */
let browser
/** The consultation the journey follows: open for comment, not followed yet. */
const chosen = { id: '', title: '' }

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
  const token = await tokenFor(server.baseUrl, RESIDENT)
  const follows = await apiCall(server.baseUrl, '/me/follows?per_page=200', { token })
  const followed = new Set(follows.items.map((/** @type {any} */ f) => f.decision.id))
  const open = await apiCall(server.baseUrl, '/decisions?open_now=true&per_page=50')
  const d = open.items.find((/** @type {any} */ x) => !followed.has(x.id))
  assert.ok(d, 'the demo district has a consultation open for comment that the demo resident does not follow')
  chosen.id = d.id
  chosen.title = d.title
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

/** The follow toggle on a decision's page, in either state. @param {import('playwright-core').Page} page */
const toggle = (page) => page.getByTestId('follow').getByRole('button')

/** The card of the chosen decision in 我的关注. @param {import('playwright-core').Page} page */
const card = (page) =>
  page.getByRole('list', { name: '我关注的决策事项' }).getByRole('listitem').filter({ has: page.getByRole('link', { name: chosen.title, exact: true }) })

describe('following a decision', () => {
  test('the demo resident follows a consultation, finds it in 我的关注, and unfollows it there', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl, { viewport: { width: 360, height: 740 } })
    const step = stepper(page, 'follows')
    await step('signed out, the consultation offers to sign in to follow it, and comes back after', async () => {
      await page.goto(`/consultations/${chosen.id}`)
      await page.getByRole('heading', { level: 1, name: chosen.title }).waitFor()
      assert.equal(await toggle(page).count(), 0)
      await page.getByRole('link', { name: '登录后关注' }).click()
      await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirect') === `/consultations/${chosen.id}`)
      await page.getByLabel('电子邮箱').fill(RESIDENT)
      await page.getByLabel('密码', { exact: true }).fill(PASSWORD)
      await page.getByRole('button', { name: '登录' }).click()
      await page.waitForURL((url) => url.pathname === `/consultations/${chosen.id}`)
      await page.getByRole('heading', { level: 1, name: chosen.title }).waitFor()
    })
    await step('follow it: the button is pressed and says what following means', async () => {
      const button = page.getByRole('button', { name: '关注', exact: true })
      assert.equal(await button.getAttribute('aria-pressed'), 'false')
      await button.click()
      const pressed = page.getByRole('button', { name: '关注', exact: true, pressed: true })
      await pressed.waitFor()
      assert.equal(await pressed.getAttribute('aria-pressed'), 'true')
      await page.getByRole('status').getByText('已关注：征求意见延期、结束、公布采纳情况和决策结果时，我们会发邮件通知您。').waitFor()
      await noSidewaysScroll(page)
      await assertNoSeriousViolations(page, 'a followed consultation')
    })
    await step('我的关注, from the account menu, lists it', async () => {
      await page.getByRole('button', { name: /账号菜单/ }).click()
      await page.getByRole('link', { name: '我的关注', exact: true }).click()
      await page.waitForURL('**/my-follows')
      await page.getByRole('heading', { level: 1, name: '我的关注' }).waitFor()
      await card(page).waitFor()
      const text = (await card(page).innerText()).replace(/\s+/g, ' ')
      assert.match(text, /正在征求意见/)
      assert.match(text, /征求意见截止时间：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/)
      assert.match(text, /关注时间：\d{4}年\d{1,2}月\d{1,2}日/)
      assert.equal(await page.title(), '我的关注 – 问计')
      await page.waitForLoadState('networkidle')
      await noSidewaysScroll(page)
      await assertNoSeriousViolations(page, '我的关注')
    })
    await step('after a reload, the consultation is still followed', async () => {
      await card(page).getByRole('link', { name: chosen.title, exact: true }).click()
      await page.getByRole('heading', { level: 1, name: chosen.title }).waitFor()
      await page.reload()
      await page.getByRole('heading', { level: 1, name: chosen.title }).waitFor()
      const pressed = page.getByRole('button', { name: '关注', exact: true, pressed: true })
      await pressed.waitFor()
      assert.equal(await pressed.getAttribute('aria-pressed'), 'true')
    })
    await step('unfollow it in 我的关注: it leaves the list', async () => {
      await page.goto('/my-follows')
      await card(page).waitFor()
      await card(page).getByRole('button', { name: /^取消关注/ }).click()
      await page.getByRole('status').getByText(`已取消关注“${chosen.title}”。`).waitFor()
      await page.waitForLoadState('networkidle')
      assert.equal(await card(page).count(), 0)
      // The focus is on what happened, not lost with the button.
      assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), `已取消关注“${chosen.title}”。`)
      const empty = await page.getByText('您还没有关注任何决策事项。').count()
      const listed = await page.getByRole('list', { name: '我关注的决策事项' }).count()
      assert.ok(empty === 1 || listed === 1, 'either the empty state or the rest of the list')
      await assertNoSeriousViolations(page, '我的关注 after unfollowing')
    })
    await step('the consultation is no longer followed', async () => {
      await page.goto(`/consultations/${chosen.id}`)
      const button = page.getByRole('button', { name: '关注', exact: true })
      await button.waitFor()
      assert.equal(await button.getAttribute('aria-pressed'), 'false')
    })
    assert.deepEqual(problems, [])
    await context.close()
  })
})
