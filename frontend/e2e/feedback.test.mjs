// Journeys of adoption feedback (采纳情况反馈): after the window closes, staff group the comments
// into viewpoints, decide on each and publish the feedback report (then correct it); the
// public reads it and checks its hashes; the people who commented see the answer and rate
// it, by receipt and in My comments. One server; the journeys build on each other in order.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { assertNoSeriousViolations } from './lib/axe.mjs'
import { launchBrowser, openPage, stepper } from './lib/browser.mjs'
import { noSidewaysScroll, signIn } from './lib/pages.mjs'
import { startServer } from './lib/server.mjs'
import { apiCall, seedConsultation, tokenFor } from './lib/seed.mjs'

const TITLE = '示范区电动自行车停放充电管理办法（征求意见稿）'
const SAME = '反对在楼道内给电动自行车充电，存在火灾隐患。'

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server
/** @type {import('playwright-core').Browser} */
let browser
/** What the journeys share: the decision, the receipt a resident keeps, two tracking numbers. */
const shared = { id: '', tn: '', secret: '', signedInTn: '', laterTn: '' }

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
  // A consultation that closes a few seconds from now, with the seeded comments (one published
  // on 第三条, one hidden as spam) and these: a resident's (with the receipt), a signed-in
  // resident's, two identical ones (a duplicate group) and one more.
  const resident = await tokenFor(server.baseUrl, 'zhang.wei@wenji.demo')
  const seeded = await seedConsultation(server.baseUrl, { title: TITLE, closesInSeconds: 10 })
  shared.id = seeded.id
  /** @param {object} body @param {string} [token] */
  const post = (body, token) =>
    apiCall(server.baseUrl, `/decisions/${seeded.id}/comments`, { token, body: { category: 'individual', ...body } })
  const mine = await post({ body: '建议在小区内集中设置电动自行车充电桩。', display_name: '李阿姨' })
  shared.tn = mine.receipt.tracking_number
  shared.secret = mine.receipt.secret
  shared.signedInTn = (await post({ body: '建议充电桩由物业统一管理，按电价收费。' }, resident)).comment.tracking_number
  await post({ body: SAME })
  await post({ body: SAME })
  shared.laterTn = (await post({ body: '希望把施行日期推迟一年，给居民留出过渡期。' })).comment.tracking_number
  // Wait for the window to close.
  const decision = await apiCall(server.baseUrl, `/decisions/${seeded.id}`)
  const wait = Date.parse(decision.consultation.closes_at) - Date.now() + 500
  if (wait > 0) await new Promise((r) => setTimeout(r, wait))
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

/** @param {import('playwright-core').Page} page @param {string} title */
const viewpoint = (page, title) => page.locator(`article[data-viewpoint="${title}"]`)

/**
 * Sets a viewpoint's disposition through its card.
 * @param {import('playwright-core').Page} page @param {string} title
 * @param {{ disposition: string, reason?: string, reply?: string }} answer
 */
async function decide(page, title, answer) {
  const card = viewpoint(page, title)
  await card.getByRole('button', { name: '确定采纳情况' }).click()
  // The focus moves into the form that opened, and back to a status line after saving.
  await page.waitForFunction(() => document.activeElement?.id.endsWith('-disposition'))
  await card.getByLabel('采纳情况').selectOption({ label: answer.disposition })
  if (answer.reason) await card.getByLabel('理由').fill(answer.reason)
  if (answer.reply) await card.getByLabel('答复').fill(answer.reply)
  await card.getByRole('button', { name: '保存采纳情况' }).click()
}

describe('adoption feedback', () => {
  test('(1) staff group the comments into viewpoints, decide on each and publish the report', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl)
    const step = stepper(page, 'fb1-workbench')
    await step('the closed consultation points to the feedback; open the workbench', async () => {
      await signIn(page, 'fgw.staff@wenji.demo')
      await page.goto(`/console/decisions/${shared.id}`)
      const panel = page.locator('section[aria-labelledby="st-feedback"]')
      await panel.getByRole('heading', { level: 2, name: '公布意见采纳情况' }).waitFor()
      // The outcome follows the report: not offered yet.
      assert.equal(await page.getByRole('heading', { name: '记录决定结果' }).count(), 0)
      await panel.getByRole('link', { name: '整理意见采纳情况' }).click()
      await page.getByRole('heading', { level: 1, name: '整理意见采纳情况' }).waitFor()
      const due = await page.getByTestId('feedback-due').innerText()
      assert.match(due, /反馈报告应于\d{4}年\d{1,2}月\d{1,2}日前公布。/)
      assert.match(due, /距公布期限还有 \d+ 天。/)
      await page.getByText('还有 6 条意见没有归入任何观点。').waitFor()
      await page.getByText('还没有观点。请先新增观点，再把意见归入其中。').waitFor()
    })
    await step('a viewpoint needs a title, at its field', async () => {
      await page.getByRole('button', { name: '新增观点' }).click()
      await page.locator('#vp-new-title-error').getByText('请填写观点标题。').waitFor()
      assert.equal(await page.locator('#vp-new-title').getAttribute('aria-invalid'), 'true')
      await assertNoSeriousViolations(page, 'the workbench with an error')
    })
    await step('add four viewpoints', async () => {
      for (const [title, summary] of [
        ['集中建设充电设施', '建议在小区内集中建设充电设施，统一管理。'],
        ['楼道充电安全', ''],
        ['推迟施行日期', '建议推迟施行，给居民留出过渡期。'],
        ['其他', ''],
      ]) {
        await page.getByLabel('观点标题').fill(title)
        await page.getByLabel('观点概述').fill(summary)
        await page.getByRole('button', { name: '新增观点' }).click()
        await page.getByText(`已新增观点“${title}”。`).waitFor()
        await viewpoint(page, title).waitFor()
      }
    })
    await step('merge one viewpoint into another', async () => {
      const card = viewpoint(page, '其他')
      await card.getByRole('button', { name: '合并' }).click()
      await card.getByLabel('合并到').selectOption({ label: '推迟施行日期' })
      await card.getByRole('button', { name: '合并' }).click()
      await page.getByText('已把观点合并到“推迟施行日期”。').waitFor()
      assert.equal(await viewpoint(page, '其他').count(), 0)
    })
    await step('put two selected comments under a viewpoint', async () => {
      const assignTo = page.getByLabel('归入观点', { exact: true })
      await page.getByRole('button', { name: '把选中的意见归入该观点' }).click()
      await page.locator('#fb-all-error').getByText('请先选择意见。').waitFor()
      await page.getByLabel(`选择 ${shared.tn}`).check()
      await page.getByLabel(`选择 ${shared.signedInTn}`).check()
      await page.getByRole('button', { name: '把选中的意见归入该观点' }).click()
      await page.locator('#fb-assign-to-error').getByText('请先选择要归入的观点。').waitFor()
      await assignTo.selectOption({ label: '集中建设充电设施' })
      await page.getByRole('button', { name: '把选中的意见归入该观点' }).click()
      await page.getByText('已调整 2 条意见的归类。').waitFor()
      await viewpoint(page, '集中建设充电设施').getByText('2 条意见').waitFor()
      await page.getByLabel(`选择 ${shared.laterTn}`).check()
      await assignTo.selectOption({ label: '推迟施行日期' })
      await page.getByRole('button', { name: '把选中的意见归入该观点' }).click()
      await page.getByText('已调整 1 条意见的归类。').waitFor()
    })
    await step('put a whole duplicate group under a viewpoint', async () => {
      const group = page.getByTestId('duplicate-group').filter({ hasText: SAME })
      await group.getByText('2 条', { exact: true }).waitFor()
      await page.getByLabel('归入观点', { exact: true }).selectOption({ label: '楼道充电安全' })
      await group.getByRole('button', { name: '整组归入所选观点' }).click()
      await page.getByText('已调整 2 条意见的归类。').waitFor()
      await viewpoint(page, '楼道充电安全').getByText('2 条意见').waitFor()
      await page.getByText('还有 1 条意见没有归入任何观点。').waitFor()
    })
    await step('filter the comments by viewpoint; each says which it is under', async () => {
      await page.getByLabel('所属观点', { exact: true }).selectOption({ label: '集中建设充电设施' })
      await page.getByRole('button', { name: '筛选', exact: true }).click()
      await page.waitForFunction(() => document.querySelectorAll('li.inbox-item').length === 2)
      await page.locator(`[data-tracking="${shared.tn}"]`).getByTestId('comment-viewpoint').getByText('集中建设充电设施').waitFor()
      assert.equal(await page.locator(`[data-tracking="${shared.laterTn}"]`).count(), 0)
      await page.getByLabel('所属观点', { exact: true }).selectOption({ label: '全部' })
      await page.getByRole('button', { name: '筛选', exact: true }).click()
      await page.locator(`[data-tracking="${shared.laterTn}"]`).getByTestId('comment-viewpoint').getByText('推迟施行日期').waitFor()
    })
    await step('“not adopted” without a reason is refused at the reason', async () => {
      await decide(page, '推迟施行日期', { disposition: '未采纳' })
      const card = viewpoint(page, '推迟施行日期')
      await card.locator('.field-error').getByText('未采纳或部分采纳时必须说明理由。').waitFor()
      assert.equal(await card.getByLabel('理由').getAttribute('aria-invalid'), 'true')
      await assertNoSeriousViolations(page, 'the workbench with a refused disposition')
      await card.getByLabel('理由').fill('施行日期已充分考虑过渡需要，且涉及消防安全，不宜推迟。')
      await card.getByRole('button', { name: '保存采纳情况' }).click()
      await page.getByText('观点“推迟施行日期”的采纳情况已保存。').waitFor()
      assert.equal((await card.getByTestId('disposition').innerText()).trim(), '未采纳')
    })
    await step('adopt another', async () => {
      await decide(page, '集中建设充电设施', { disposition: '采纳', reply: '我们将在各小区设置集中充电点。' })
      await page.getByText('观点“集中建设充电设施”的采纳情况已保存。').waitFor()
    })
    await step('publishing is refused while a viewpoint is undecided, at the viewpoints', async () => {
      await page.getByRole('button', { name: '公布反馈报告' }).click()
      await page.getByRole('button', { name: '确定公布' }).click()
      await page.locator('#fb-viewpoints-error').getByText(/楼道充电安全/).waitFor()
      await decide(page, '楼道充电安全', { disposition: '部分采纳', reason: '楼道内禁止充电；室外充电点将分批建设。' })
      await page.getByText('观点“楼道充电安全”的采纳情况已保存。').waitFor()
    })
    await step('one comment gets a disposition of its own', async () => {
      const item = page.locator('.inbox-item').filter({ hasText: '建议在学校和医院周边增加临时停车泊位。' })
      await item.getByRole('button', { name: /单独设定采纳情况/ }).click()
      await item.getByLabel('采纳情况').selectOption({ label: '不适用' })
      await item.getByLabel('答复').fill('本意见涉及停车泊位，已转交相关部门研究。')
      await item.getByRole('button', { name: '保存采纳情况' }).click()
      await item.getByText(/已单独设定为“不适用”/).waitFor()
    })
    await step('the tally adds up', async () => {
      const row = (/** @type {string} */ key) => page.locator(`section[aria-labelledby="fb-tally"] [data-disposition="${key}"]`)
      await row('adopted').getByText('2 条，占 33%').waitFor()
      await row('partly_adopted').getByText('2 条，占 33%').waitFor()
      await row('not_adopted').getByText('1 条，占 17%').waitFor()
      await row('not_applicable').getByText('1 条，占 17%').waitFor()
      assert.equal(await row('undecided').count(), 0)
    })
    await step('preview the report', async () => {
      await page.getByLabel('报告导语').fill('本次征求意见期间共收到意见 7 条，现将采纳情况公布如下。')
      await page.getByRole('button', { name: '预览报告' }).click()
      const preview = page.locator('section[aria-labelledby="fb-preview-title"]')
      await preview.getByRole('heading', { level: 3, name: '报告预览（第 1 版，尚未公布）' }).waitFor()
      await preview.getByRole('heading', { level: 5, name: '楼道充电安全' }).waitFor()
      assert.match(await preview.innerText(), /楼道内禁止充电/)
      await assertNoSeriousViolations(page, 'the workbench with a preview')
    })
    await step('publish it after confirming', async () => {
      await page.getByRole('button', { name: '公布反馈报告' }).click()
      await page.getByText('公布后报告不能修改，只能再发布更正。确定公布吗？').waitFor()
      await page.getByRole('button', { name: '确定公布' }).click()
      await page.getByText('反馈报告第 1 版已公布。').waitFor()
      await page.getByTestId('feedback-due').getByText('已公布反馈报告（第 1 版）。').waitFor()
    })
    await step('a correction needs a note, at its field; then it is published as version 2', async () => {
      await page.getByRole('button', { name: '发布更正' }).click()
      await page.getByRole('button', { name: '确定公布' }).click()
      await page.locator('#fb-note-error').getByText('更正已公布的反馈报告时，请说明更正了什么。').waitFor()
      // The introduction of the published version is kept for the correction.
      assert.match(await page.getByLabel('报告导语').inputValue(), /共收到意见 7 条/)
      await page.getByLabel('更正说明').fill('更正导语中的意见条数。')
      await page.getByLabel('报告导语').fill('本次征求意见期间共收到意见 7 条，其中 1 条因违反规则未公开，现将采纳情况公布如下。')
      await page.getByRole('button', { name: '发布更正' }).click()
      await page.getByRole('button', { name: '确定公布' }).click()
      await page.getByText('反馈报告第 2 版已公布。').waitFor()
      await assertNoSeriousViolations(page, 'the workbench after publishing')
    })
    await step('the workbench in English', async () => {
      await page.getByRole('button', { name: 'English' }).click()
      await page.getByRole('heading', { level: 1, name: 'Adoption feedback' }).waitFor()
      await viewpoint(page, '楼道充电安全').getByText('Partly adopted').waitFor()
      await page.locator('section[aria-labelledby="fb-tally"] [data-disposition="adopted"]').getByText('2 comments, 33%').waitFor()
      await page.getByRole('button', { name: 'Publish the correction' }).waitFor()
      await assertNoSeriousViolations(page, 'the workbench in English')
      await page.getByRole('button', { name: '中文' }).click()
      await page.getByRole('heading', { level: 1, name: '整理意见采纳情况' }).waitFor()
    })
    await step('the deadlines list shows it published on time', async () => {
      await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '采纳情况反馈期限' }).click()
      await page.getByRole('heading', { level: 1, name: '采纳情况反馈期限' }).waitFor()
      const item = page.locator(`[data-decision="${shared.id}"]`)
      assert.equal((await item.getByTestId('timeliness').innerText()).trim(), '按时公布')
      await assertNoSeriousViolations(page, 'the feedback deadlines')
      await item.getByRole('link', { name: /整理意见采纳情况/ }).click()
      await page.getByRole('heading', { level: 1, name: '整理意见采纳情况' }).waitFor()
    })
    await step('the outcome can now be recorded', async () => {
      await page.goto(`/console/decisions/${shared.id}`)
      await page.getByRole('heading', { level: 2, name: '记录决定结果' }).waitFor()
      await page.getByText('意见采纳情况已经公布。如有错误，可以发布更正。').waitFor()
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(2) the public reads the report on a phone and checks its hashes', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl, { viewport: { width: 360, height: 740 } })
    const step = stepper(page, 'fb2-public')
    await step('the decision page shows what became of the comments', async () => {
      await page.goto(`/consultations/${shared.id}`)
      const section = page.locator('section[aria-labelledby="dc-feedback"]')
      await section.getByRole('heading', { level: 2, name: '意见采纳情况' }).waitFor()
      const text = await section.innerText()
      assert.match(text, /第 2 版，公布于/)
      assert.match(text, /更正说明：更正导语中的意见条数。/)
      assert.match(text, /其中 1 条因违反规则未公开/)
      assert.match(text, /收到意见\s+7 条（其中 1 条因违反规则未公开，不纳入统计）/)
      assert.equal((await section.getByTestId('report-considered').innerText()).trim(), '6 条')
      await section.locator('[data-disposition="adopted"]').getByText('2 条，占 33%').waitFor()
      const partly = section.locator('li[data-viewpoint="楼道充电安全"]')
      assert.match(await partly.innerText(), /部分采纳/)
      assert.match(await partly.innerText(), /楼道内禁止充电；室外充电点将分批建设。/)
      await noSidewaysScroll(page)
    })
    await step('both versions, their hashes and the check', async () => {
      const section = page.locator('section[aria-labelledby="dc-feedback"]')
      await section.getByTestId('feedback-verification').getByText('核验通过').waitFor()
      const versions = section.locator('.report-versions > li')
      assert.equal(await versions.count(), 2)
      const second = versions.nth(1)
      const hashes = await second.locator('code.hash').allInnerTexts()
      const firstHash = (await versions.nth(0).locator('code.hash').first().innerText()).trim()
      assert.equal(hashes[1]?.trim(), firstHash, 'version 2 names the hash of version 1')
      const href = await second.getByRole('link', { name: '第 2 版的规范文本' }).getAttribute('href')
      assert.ok(href)
      const r = await fetch(new URL(href, server.baseUrl))
      assert.equal(r.status, 200)
      const sha = createHash('sha256').update(Buffer.from(await r.arrayBuffer())).digest('hex')
      assert.equal(sha, hashes[0]?.trim(), 'sha256sum of the canonical text is the shown hash')
      await noSidewaysScroll(page)
      await assertNoSeriousViolations(page, 'the public feedback report')
    })
    await step('in English', async () => {
      await page.getByRole('button', { name: 'English' }).click()
      const section = page.locator('section[aria-labelledby="dc-feedback"]')
      await section.getByRole('heading', { level: 2, name: 'What became of the comments' }).waitFor()
      await section.getByText('Verified: every version matches its hash, and each links to the one before.').waitFor()
      await section.locator('[data-disposition="adopted"]').getByText('2 comments, 33%').waitFor()
      await noSidewaysScroll(page)
      await assertNoSeriousViolations(page, 'the public feedback report in English')
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(3) the resident opens the receipt, sees the answer and rates it once', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl, { viewport: { width: 360, height: 740 } })
    const step = stepper(page, 'fb3-receipt')
    await step('look the comment up', async () => {
      await page.goto(`/receipts?tn=${shared.tn}`)
      await page.getByRole('textbox', { name: '查询密码' }).fill(shared.secret)
      await page.getByRole('button', { name: '查询' }).click()
      const answer = page.getByTestId('comment-answer')
      await answer.getByRole('heading', { level: 4, name: '采纳情况答复' }).waitFor()
      assert.equal((await answer.getByTestId('disposition').innerText()).trim(), '采纳')
      const text = await answer.innerText()
      assert.match(text, /集中建设充电设施/)
      assert.match(text, /我们将在各小区设置集中充电点。/)
      await noSidewaysScroll(page)
      await assertNoSeriousViolations(page, 'the receipt with an answer')
    })
    await step('a rating needs a choice, at the choices', async () => {
      await page.getByRole('button', { name: '提交评价' }).click()
      await page.locator('#ans-' + (await commentIdOf(page)) + '-satisfaction-error').getByText('请选择满意程度。').waitFor()
      await assertNoSeriousViolations(page, 'the rating with an error')
    })
    await step('rate it', async () => {
      await page.getByRole('group', { name: '您对这个答复满意吗？' }).getByLabel('满意', { exact: true }).check()
      await page.getByLabel('补充说明').fill('希望尽快建成。')
      await page.getByRole('button', { name: '提交评价' }).click()
      await page.getByText('感谢您的评价。').waitFor()
      assert.equal((await page.getByTestId('satisfaction').innerText()).trim(), '满意')
      assert.equal(await page.getByRole('button', { name: '提交评价' }).count(), 0)
    })
    await step('looked up again, the rating is there and cannot be given twice', async () => {
      await page.getByRole('button', { name: '查询' }).click()
      await page.getByTestId('satisfaction').waitFor()
      assert.equal(await page.getByRole('button', { name: '提交评价' }).count(), 0)
      await assert.rejects(
        apiCall(server.baseUrl, `/receipts/${shared.tn}/rating`, { headers: { 'X-Receipt-Secret': shared.secret }, body: { satisfaction: 'dissatisfied' } }),
        /409.*already_rated/,
      )
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(4) a signed-in resident rates the answer in My comments', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl)
    const step = stepper(page, 'fb4-my-comments')
    await step('My comments shows the answer', async () => {
      await signIn(page, 'zhang.wei@wenji.demo')
      await page.goto('/my-comments')
      const card = page.locator('article', { has: page.getByRole('heading', { level: 2, name: TITLE }) })
      const answer = card.getByTestId('comment-answer')
      await answer.getByRole('heading', { level: 3, name: '采纳情况答复' }).waitFor()
      assert.equal((await answer.getByTestId('disposition').innerText()).trim(), '采纳')
      await assertNoSeriousViolations(page, 'my comments with an answer')
    })
    await step('rate it', async () => {
      const card = page.locator('article', { has: page.getByRole('heading', { level: 2, name: TITLE }) })
      await card.getByLabel('基本满意').check()
      await card.getByRole('button', { name: '提交评价' }).click()
      await card.getByText('感谢您的评价。').waitFor()
      assert.equal((await card.getByTestId('satisfaction').innerText()).trim(), '基本满意')
    })
    await step('after a reload it stays rated', async () => {
      await page.reload()
      const card = page.locator('article', { has: page.getByRole('heading', { level: 2, name: TITLE }) })
      assert.equal((await card.getByTestId('satisfaction').innerText()).trim(), '基本满意')
      assert.equal(await card.getByRole('button', { name: '提交评价' }).count(), 0)
    })
    assert.deepEqual(problems, [])
    await context.close()
  })
})

/**
 * The id of the comment on the receipt page (its answer's ids start with `ans-<id>`).
 * @param {import('playwright-core').Page} page
 */
async function commentIdOf(page) {
  const id = await page.getByTestId('comment-answer').getAttribute('aria-labelledby')
  return (id ?? '').replace(/^ans-/, '').replace(/-title$/, '')
}
