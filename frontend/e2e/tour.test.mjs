// The newcomer's tour: the demo district as `wenji demo-data` loads it (e2e/lib/server.mjs
// runs it before serving). Nothing is created here: the journeys start from the home page and
// follow what is already there. The screenshots of the README's tour (docs/tour/*.png) are
// taken here, so they show the current app.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { assertNoSeriousViolations } from './lib/axe.mjs'
import { launchBrowser, openPage, stepper } from './lib/browser.mjs'
import { FRONTEND_DIR, startServer } from './lib/server.mjs'

const PASSWORD = 'wenji-demo-2026'
const TOUR_DIR = join(FRONTEND_DIR, '..', 'docs', 'tour')
const CLOSED = '滨江片区控制性详细规划局部调整方案（征求意见稿）'
const PREMODERATED = '示范区促进民营经济高质量发展若干措施（征求意见稿）'

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server
/** @type {import('playwright-core').Browser} */
let browser

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
  mkdirSync(TOUR_DIR, { recursive: true })
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

/** @param {import('playwright-core').Locator} locator */
async function text(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ')
}

/**
 * The list items of the home page section headed `heading`.
 * @param {import('playwright-core').Page} page @param {string} heading
 */
function homeSection(page, heading) {
  return page.locator('section', { has: page.getByRole('heading', { level: 2, name: heading, exact: true }) })
}

/**
 * Scrolls so that `locator` is near the top of the viewport (for a screenshot).
 * @param {import('playwright-core').Page} page @param {import('playwright-core').Locator} locator
 */
async function scrollToTop(page, locator) {
  const box = await locator.boundingBox()
  assert.ok(box, 'the element is on the page')
  await page.evaluate((y) => window.scrollTo(0, y), Math.max(0, box.y + (await page.evaluate(() => window.scrollY)) - 24))
}

describe('the tour of the demo district', () => {
  test('a resident goes from the home page to the published comments of a closed consultation', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl, { locale: null })
    const step = stepper(page, 'tour-resident')
    await step('Chromium has a Chinese font for the screenshots', async () => {
      const fonts = execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim()
      assert.ok(fonts, 'No Chinese font: the tour screenshots would show boxes. Install one (apt-get install fonts-noto-cjk).')
    })
    await step('the home page shows open, closing-soon and recently closed consultations', async () => {
      await page.goto('/')
      const open = homeSection(page, '正在征求意见')
      await open.getByRole('link').first().waitFor()
      assert.ok((await open.getByRole('link').count()) >= 3, 'three or more consultations are open')
      await homeSection(page, '7 天内截止').getByRole('link', { name: '示范区城镇老旧小区改造实施办法（征求意见稿）' }).waitFor()
      await homeSection(page, '最近结束的征求意见').getByRole('link', { name: CLOSED }).waitFor()
      assert.doesNotMatch(await text(page.locator('main')), /目前没有正在征求意见的草案/)
      await assertNoSeriousViolations(page, 'the home page with the demo district')
      await page.screenshot({ path: join(TOUR_DIR, '1-home.png') })
    })
    await step('follow a recently closed consultation', async () => {
      await homeSection(page, '最近结束的征求意见').getByRole('link', { name: CLOSED }).click()
      await page.getByRole('heading', { level: 1, name: CLOSED }).waitFor()
      const main = await text(page.locator('main'))
      assert.match(main, /示范区住房和城乡建设局/)
      assert.match(main, /决策依据/)
      assert.match(main, /起草说明/)
      await page.getByRole('heading', { level: 3, name: '第二章 用地调整' }).waitFor()
    })
    await step('the figures: hundreds of comments, a campaign grouped, the moderation log', async () => {
      const stats = page.locator('section', { has: page.getByRole('heading', { level: 2, name: '意见统计' }) })
      const figures = await text(stats)
      const total = Number(/共收到 (\d+) 条意见/.exec(figures)?.[1])
      assert.ok(total >= 150, figures)
      assert.match(figures, /其中 \d+ 条意见内容相同或相近，分为 1 组/)
      assert.match(figures, /条意见因“[^”]+”未公开/)
    })
    await step('the published comments, article by article', async () => {
      const list = page.getByRole('list', { name: '公开的意见' })
      await list.getByRole('listitem').first().waitFor()
      assert.equal(await list.getByRole('listitem').count(), 20, 'a full first page')
      await page.getByLabel('按条款查看').selectOption({ label: '第四条' })
      await list.getByText('滨江公园北侧绿地改为商业用地').first().waitFor()
      for (const item of await list.getByRole('listitem').all()) {
        assert.match(await text(item), /第四条/)
      }
      assert.doesNotMatch(await text(page.locator('main')), /@example\.cn|13900001234/)
      await scrollToTop(page, page.getByRole('heading', { level: 2, name: '公众意见' }))
      await page.screenshot({ path: join(TOUR_DIR, '2-published-comments.png') })
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('agency staff find comments waiting for moderation', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl, { locale: null })
    const step = stepper(page, 'tour-staff')
    await step('sign in as 发改委 staff', async () => {
      await page.goto('/login')
      await page.getByLabel('电子邮箱').fill('fgw.staff@wenji.demo')
      await page.getByLabel('密码', { exact: true }).fill(PASSWORD)
      await page.getByRole('button', { name: '登录' }).click()
      await page.waitForURL('**/account')
    })
    await step('the console lists the agency’s decisions, drafts included', async () => {
      await page.goto('/console/decisions')
      await page.getByRole('link', { name: '示范区数字经济产业园区建设管理办法（草案）' }).waitFor()
      await page.getByRole('link', { name: PREMODERATED }).click()
      await page.getByRole('heading', { level: 1 }).waitFor()
    })
    await step('the moderation inbox has comments waiting', async () => {
      await page.getByRole('link', { name: '审核意见' }).click()
      await page.getByRole('heading', { level: 1, name: '审核意见' }).waitFor()
      const heading = page.getByRole('heading', { level: 2, name: /^共 \d+ 条$/ })
      await heading.waitFor()
      const waiting = Number(/共 (\d+) 条/.exec(await heading.innerText())?.[1])
      assert.ok(waiting >= 5, `${waiting} comments waiting`)
      await scrollToTop(page, heading)
      await page.screenshot({ path: join(TOUR_DIR, '3-staff-moderation.png') })
    })
    assert.deepEqual(problems, [])
    await context.close()
  })
})
