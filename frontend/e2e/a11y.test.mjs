// Accessibility: axe-core on every public page (both languages, phone and desktop widths)
// fails on any serious or critical violation; plus the keyboard basics.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertNoSeriousViolations } from './lib/axe.mjs'
import { launchBrowser, openPage, stepper } from './lib/browser.mjs'
import { startServer } from './lib/server.mjs'
import { apiCall, MINIMAL_PDF, seedConsultation, uploadAttachment } from './lib/seed.mjs'

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server
/** @type {import('playwright-core').Browser} */
let browser

const TITLE = '示范区机动车停车管理办法（征求意见稿）'
const REPORTED = '示范区非机动车停放管理规定（征求意见稿）'

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
  // A consultation that closes in a few seconds; its feedback report is published below.
  const reported = await seedConsultation(server.baseUrl, { title: REPORTED, closesInSeconds: 5 })
  const { id, token, thirdSectionId } = await seedConsultation(server.baseUrl, { title: TITLE })
  // Attachments with long names, so axe and the 360 px checks see the list at its worst.
  await uploadAttachment(server.baseUrl, token, id, { name: '示范区机动车停车管理办法（征求意见稿）起草说明及相关材料汇编.pdf', type: 'application/pdf', bytes: MINIMAL_PDF })
  await uploadAttachment(server.baseUrl, token, id, { name: 'parking-survey-2026.pdf', type: 'application/pdf', bytes: MINIMAL_PDF })
  await publishFeedback(reported.id, reported.token)
  PUBLIC_PAGES.push(
    { path: `/consultations/${reported.id}`, h1: { 'zh-CN': REPORTED, en: REPORTED } },
    { path: '/consultations', h1: { 'zh-CN': '征求意见', en: 'Consultations' } },
    { path: `/consultations/${id}`, h1: { 'zh-CN': TITLE, en: TITLE } },
    { path: `/consultations/${id}/comment?section=${thirdSectionId}`, h1: { 'zh-CN': '提意见', en: 'Comment' } },
    { path: '/receipts', h1: { 'zh-CN': '查询意见', en: 'Look up a comment' } },
    { path: '/disclosure', h1: { 'zh-CN': '政务公开事项标准目录', en: 'Disclosure standard catalogue' } },
  )
  // A catalogue item of the demo data, when it has one (the page at its longest: all fields and history).
  const items = await apiCall(server.baseUrl, '/disclosure-items?per_page=1')
  const item = items.items[0]
  if (item) {
    const name = item.sub_item ? `${item.item} / ${item.sub_item}` : item.item
    PUBLIC_PAGES.push({ path: `/disclosure/${item.id}`, h1: { 'zh-CN': name, en: name } })
  }
})

/**
 * Once the window has closed: a viewpoint with the published comment under it, partly adopted
 * with a reason and a reply, and the report published and then corrected (two versions).
 * @param {string} id @param {string} token
 */
async function publishFeedback(id, token) {
  const d = await apiCall(server.baseUrl, `/decisions/${id}`)
  const wait = Date.parse(d.consultation.closes_at) - Date.now() + 300
  if (wait > 0) await new Promise((r) => setTimeout(r, wait))
  const v = await apiCall(server.baseUrl, `/decisions/${id}/viewpoints`, { token, body: { title: '学校和医院周边增加临时泊位', summary: '建议在学校和医院周边增设临时停车泊位。' } })
  await apiCall(server.baseUrl, `/decisions/${id}/viewpoint-assignments`, { token, body: { viewpoint_id: v.id, filter: { status: 'published' } } })
  await apiCall(server.baseUrl, `/viewpoints/${v.id}/disposition`, {
    token,
    method: 'PUT',
    body: { disposition: 'partly_adopted', reason: '医院周边道路狭窄，只能在学校周边增设。', reply: '感谢您的建议，学校周边将增设临时泊位。' },
  })
  await apiCall(server.baseUrl, `/decisions/${id}/feedback-reports`, { token, body: { introduction: '现将意见采纳情况公布如下。' } })
  await apiCall(server.baseUrl, `/decisions/${id}/feedback-reports`, { token, body: { introduction: '现将意见采纳情况公布如下，请予监督。', note: '导语增加“请予监督”。' } })
}

after(async () => {
  await browser?.close()
  await server?.stop()
})

const PUBLIC_PAGES = [
  { path: '/', h1: { 'zh-CN': '参与政府决策，说出您的意见', en: 'Have your say in government decisions' } },
  { path: '/login', h1: { 'zh-CN': '登录', en: 'Sign in' } },
  { path: '/register', h1: { 'zh-CN': '注册账号', en: 'Create an account' } },
  { path: '/password-reset', h1: { 'zh-CN': '设置新密码', en: 'Set a new password' } },
  { path: '/policy-areas', h1: { 'zh-CN': '政策领域', en: 'Policy areas' } },
  // The page behind a follow e-mail's unfollow link (asks before it acts).
  {
    path: `/unfollow?account=${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}&decision=${'0'.repeat(8)}-0000-7000-8000-${'1'.repeat(12)}&token=${'a'.repeat(32)}`,
    h1: { 'zh-CN': '取消关注', en: 'Unfollow' },
  },
  { path: '/no/such/page', h1: { 'zh-CN': '页面不存在', en: 'Page not found' } },
]

const VIEWPORTS = [
  { name: 'phone', width: 360, height: 740 },
  { name: 'desktop', width: 1280, height: 900 },
]

describe('axe on public pages', () => {
  for (const locale of /** @type {const} */ (['zh-CN', 'en'])) {
    for (const viewport of VIEWPORTS) {
      test(`${locale}, ${viewport.name}`, async () => {
        const { context, page, problems } = await openPage(browser, server.baseUrl, { viewport, locale })
        const step = stepper(page, `axe-${locale}-${viewport.name}`)
        for (const p of PUBLIC_PAGES) {
          await step(p.path, async () => {
            await page.goto(p.path)
            await page.getByRole('heading', { level: 1, name: p.h1[locale] }).waitFor()
            // Let lists finish loading so axe sees the real content, not the spinner.
            await page.waitForLoadState('networkidle')
            assert.equal(await page.evaluate(() => document.documentElement.lang), locale)
            await assertNoSeriousViolations(page, `${p.path} (${locale}, ${viewport.name})`)
            const width = await page.evaluate(() => document.documentElement.scrollWidth)
            assert.ok(width <= viewport.width, `${p.path} is ${width}px wide at ${viewport.width}px`)
          })
        }
        await step('register form showing errors', async () => {
          await page.goto('/register')
          await page.locator('form button[type=submit]').click()
          await page.locator('#reg-email-error').waitFor()
          await assertNoSeriousViolations(page, `/register with errors (${locale}, ${viewport.name})`)
        })
        await step('password reset form showing errors', async () => {
          await page.goto('/password-reset')
          await page.locator('form button[type=submit]').click()
          await page.locator('#reset-password-error').waitFor()
          await assertNoSeriousViolations(page, `/password-reset with errors (${locale}, ${viewport.name})`)
          const width = await page.evaluate(() => document.documentElement.scrollWidth)
          assert.ok(width <= viewport.width, `/password-reset with errors is ${width}px wide`)
        })
        assert.deepEqual(problems, [])
        await context.close()
      })
    }
  }
})

describe('text zoom 200 %', () => {
  for (const viewport of VIEWPORTS) {
    test(`nothing is cut off or needs sideways scrolling (${viewport.name})`, async () => {
      const { context, page, problems } = await openPage(browser, server.baseUrl, { viewport, locale: 'zh-CN' })
      const step = stepper(page, `zoom-${viewport.name}`)
      for (const p of PUBLIC_PAGES) {
        await step(p.path, async () => {
          await page.goto(p.path)
          await page.getByRole('heading', { level: 1, name: p.h1['zh-CN'] }).waitFor()
          await page.waitForLoadState('networkidle')
          // Text-only zoom: the root font size doubles (the app's base is 112.5 %).
          await page.evaluate(() => {
            document.documentElement.style.fontSize = '225%'
          })
          const report = await page.evaluate(() => {
            const vw = document.documentElement.clientWidth
            const controls = [...document.querySelectorAll('a, button, input, select, h1')]
            const clipped = controls
              .map((el) => ({ el, r: el.getBoundingClientRect() }))
              .filter(({ r }) => r.width > 0 && (r.left < -1 || r.right > vw + 1))
              .map(({ el }) => el.outerHTML.slice(0, 80))
            return { scrollWidth: document.documentElement.scrollWidth, vw, clipped }
          })
          assert.ok(report.scrollWidth <= report.vw, `${p.path}: ${report.scrollWidth}px wide in a ${report.vw}px viewport`)
          assert.deepEqual(report.clipped, [], `${p.path}: controls outside the viewport`)
        })
      }
      assert.deepEqual(problems, [])
      await context.close()
    })
  }
})

describe('keyboard', () => {
  test('the skip link is first and moves the focus to the main content', async () => {
    const { context, page } = await openPage(browser, server.baseUrl, { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    const step = stepper(page, 'keyboard-skip-link')
    await step('tab to the skip link', async () => {
      await page.goto('/')
      await page.keyboard.press('Tab')
      const focused = await page.evaluate(() => document.activeElement?.textContent?.trim())
      assert.equal(focused, '跳到主要内容')
    })
    await step('follow it', async () => {
      await page.keyboard.press('Enter')
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'main')
    })
    await context.close()
  })

  test('sign in with the keyboard alone; navigation moves the focus to the new heading', async () => {
    const { context, page } = await openPage(browser, server.baseUrl, { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    const step = stepper(page, 'keyboard-sign-in')
    await step('reach the sign-in link by tabbing', async () => {
      await page.goto('/')
      for (let i = 0; i < 20; i++) {
        await page.keyboard.press('Tab')
        const text = await page.evaluate(() => document.activeElement?.textContent?.trim())
        if (text === '登录') break
      }
      await page.keyboard.press('Enter')
      await page.waitForURL('**/login')
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1')
    })
    await step('fill the form and submit with Enter', async () => {
      await page.keyboard.press('Tab')
      await page.keyboard.type('zhang.wei@wenji.demo')
      await page.keyboard.press('Tab')
      await page.keyboard.type('wenji-demo-2026')
      await page.keyboard.press('Enter')
      await page.waitForURL('**/account')
    })
    await step('open the account menu and close it with Escape', async () => {
      const button = page.getByRole('button', { name: /账号菜单/ })
      await button.focus()
      await page.keyboard.press('Enter')
      assert.equal(await button.getAttribute('aria-expanded'), 'true')
      await page.keyboard.press('Tab')
      await page.keyboard.press('Escape')
      assert.equal(await button.getAttribute('aria-expanded'), 'false')
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-controls') !== null), true)
    })
    await context.close()
  })
})
