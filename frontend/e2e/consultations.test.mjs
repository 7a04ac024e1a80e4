// Journeys of the consultations: the public reading a draft, a resident commenting on an
// article and keeping the receipt, staff moderating, the resident looking the receipt up.
// One server; the journeys build on each other in order.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertNoSeriousViolations } from './lib/axe.mjs'
import { launchBrowser, stepper, watchPage } from './lib/browser.mjs'
import { startServer } from './lib/server.mjs'
import { apiCall, DRAFT_TEXT, MINIMAL_PDF, PASSWORD, seedConsultation, tokenFor } from './lib/seed.mjs'

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server
/** @type {import('playwright-core').Browser} */
let browser
/** The consultation the journeys share. @type {{ id: string }} */
const shared = { id: '' }
/** The receipt the resident keeps. */
const receipt = { trackingNumber: '', secret: '' }

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

/**
 * @param {{ width: number, height: number }} [viewport]
 * @param {'zh-CN' | 'en'} [locale]
 */
async function openPage(viewport = { width: 1280, height: 900 }, locale = 'zh-CN') {
  const context = await browser.newContext({ viewport, baseURL: server.baseUrl })
  await context.addInitScript((l) => localStorage.setItem('wenji.locale', l), locale)
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  return { context, page, problems: watchPage(page) }
}

/** @param {import('playwright-core').Page} page @param {string} email */
async function signIn(page, email) {
  await page.goto('/login')
  await page.getByLabel('电子邮箱').fill(email)
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL('**/account')
}

/** @param {import('playwright-core').Page} page */
async function noSidewaysScroll(page) {
  const { scrollWidth, vw } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    vw: document.documentElement.clientWidth,
  }))
  assert.ok(scrollWidth <= vw, `page is ${scrollWidth}px wide in a ${vw}px viewport`)
}

describe('consultations', () => {
  test('(0) the public finds a consultation and reads the draft article by article', async () => {
    const seeded = await seedConsultation(server.baseUrl, { title: '示范区公共停车场收费管理规定（征求意见稿）' })
    const { context, page, problems } = await openPage()
    const step = stepper(page, 'read-consultation')
    await step('the home page lists it as open now', async () => {
      await page.goto('/')
      await page.getByRole('heading', { level: 2, name: '正在征求意见' }).waitFor()
      await page.getByRole('link', { name: '示范区公共停车场收费管理规定（征求意见稿）' }).first().waitFor()
      assert.match(await page.locator('main').innerText(), /还剩 40 天/)
    })
    await step('the list finds it by a Chinese word', async () => {
      await page.goto('/consultations')
      await page.getByLabel('关键词').fill('收费')
      await page.getByRole('button', { name: '查找' }).click()
      await page.waitForURL(/q=/)
      await page.getByRole('heading', { level: 2, name: '共找到 1 项' }).waitFor()
      await page.getByRole('link', { name: '示范区公共停车场收费管理规定（征求意见稿）' }).click()
      await page.waitForURL(`**/consultations/${seeded.id}`)
    })
    await step('the page shows the window, the rules and the draft with its structure', async () => {
      await page.getByRole('heading', { level: 1, name: '示范区公共停车场收费管理规定（征求意见稿）' }).waitFor()
      await page.getByRole('heading', { level: 3, name: '第二章 停车管理' }).waitFor()
      const main = await page.locator('main').innerText()
      assert.match(main, /示范区发展和改革委员会/)
      assert.match(main, /正在征求意见/)
      assert.match(main, /不登录也可以提意见/)
      assert.match(main, /意见经工作人员审核后公开/)
      assert.match(main, /决策依据/)
      assert.match(main, /起草说明/)
      const third = page.locator('[data-label="第三条"]')
      assert.match(await third.innerText(), /1 条意见/)
      // Items are indented under their article.
      const art = await third.locator('.draft-section__text').first().boundingBox()
      const item = await third.locator('[data-label="（一）"]').boundingBox()
      assert.ok(art && item && item.x > art.x, 'items are indented under the article')
      await third.getByRole('link', { name: /对本条提意见/ }).waitFor()
    })
    await step('published comments and the public moderation count', async () => {
      await page.getByText('建议在学校和医院周边增加临时停车泊位。').waitFor()
      await page.getByText('1 条意见因“广告或无意义内容”未公开').waitFor()
      await page.getByLabel('按条款查看').selectOption({ label: '第一条' })
      await page.getByText('还没有公开的意见。').waitFor()
      await assertNoSeriousViolations(page, 'the consultation page')
      assert.equal(await page.title(), '决策事项 – 问计')
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(1) staff create a decision, split a draft, save it and open a pre-moderated consultation', async () => {
    const { context, page, problems } = await openPage()
    const step = stepper(page, 'j1-staff-opens')
    await step('sign in and go to the decisions of the console', async () => {
      await signIn(page, 'fgw.staff@wenji.demo')
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作台' }).click()
      await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '决策事项管理' }).click()
      await page.getByRole('heading', { level: 1, name: '决策事项管理' }).waitFor()
      await page.getByRole('link', { name: '新建决策事项' }).click()
      await page.getByRole('heading', { level: 1, name: '新建决策事项' }).waitFor()
    })
    await step('a missing policy area is caught at its field', async () => {
      await page.getByRole('button', { name: '保存' }).click()
      await page.locator('#df-area-error').getByText('请选择政策领域。').waitFor()
    })
    await step('create the decision', async () => {
      await page.getByLabel('标题').fill('示范区机动车停车管理办法（征求意见稿）')
      await page.getByLabel('政策领域').selectOption({ index: 1 })
      await page.getByLabel('摘要').fill('规范示范区机动车停车秩序，增加停车供给。')
      await page.getByLabel('决策依据').fill('《中华人民共和国道路交通安全法》')
      await page.getByLabel('起草说明').fill('为解决停车难问题，起草了本办法。')
      await page.getByRole('button', { name: '保存' }).click()
      await page.waitForURL(/\/console\/decisions\/[0-9a-f-]{36}$/)
      await page.getByText('已新建“示范区机动车停车管理办法（征求意见稿）”。').waitFor()
      shared.id = page.url().split('/').pop() ?? ''
    })
    await step('the splitter names the line it cannot split, at the text field', async () => {
      await page.getByLabel('草案全文').fill('第一条 为了规范停车管理，制定本办法。\n第三条 本办法自发布之日起施行。')
      await page.getByRole('button', { name: '预览拆分' }).click()
      await page.locator('#av-text-error').waitFor()
      assert.match(await page.locator('#av-text-error').innerText(), /第2行/)
      assert.equal(await page.getByLabel('草案全文').getAttribute('aria-invalid'), 'true')
    })
    await step('preview the split of a proper draft', async () => {
      await page.getByLabel('草案全文').fill(DRAFT_TEXT.replace('方便群众出行，', ''))
      await page.getByRole('button', { name: '预览拆分' }).click()
      await page.getByText('共拆分为 9 个部分。请核对后保存。').waitFor()
      const preview = page.locator('section[aria-labelledby="av-preview"]')
      await preview.getByRole('heading', { name: '第一章 总则' }).waitFor()
      await preview.locator('[data-label="第三条"] [data-label="（一）"]').waitFor()
      await assertNoSeriousViolations(page, 'the console with a split preview')
    })
    await step('save it as version 1, then version 2', async () => {
      await page.getByLabel('修改说明').fill('初稿')
      await page.getByRole('button', { name: '保存为新版本' }).click()
      await page.getByText('已保存第 1 稿。').waitFor()
      await page.getByLabel('草案全文').fill(DRAFT_TEXT)
      await page.getByLabel('修改说明').fill('增加便民内容')
      await page.getByRole('button', { name: '保存为新版本' }).click()
      await page.getByText('已保存第 2 稿。').waitFor()
    })
    await step('see what changed between the versions', async () => {
      await page.getByRole('button', { name: '查看修改之处' }).click()
      await page.locator('ins').first().waitFor()
      assert.equal(await page.locator('ins').first().innerText(), '［新增：方便群众出行，］')
    })
    await step('a window shorter than 30 days needs a reason', async () => {
      const in10Days = new Date(Date.now() + 8 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 16)
      await page.getByLabel('截止时间').fill(in10Days)
      await page.getByText('当前期限为 10 日，少于 30 日，必须填写理由（会公开）。').waitFor()
      await page.getByRole('button', { name: '开始征求意见' }).click()
      await page.locator('#oc-reason-error').waitFor()
      assert.match(await page.locator('#oc-reason-error').innerText(), /期限少于 30 日，必须填写理由/)
    })
    await step('open the pre-moderated consultation', async () => {
      await page.getByLabel('期限少于 30 日的理由').fill('需在春节前完成修订，以便尽快缓解停车难。')
      await page.getByLabel('意见先审核后公开').check()
      await page.getByRole('button', { name: '开始征求意见' }).click()
      await page.getByText('征求意见已设置。').waitFor()
      const main = await page.locator('main').innerText()
      assert.match(main, /正在征求意见/)
      assert.match(main, /意见经工作人员审核后公开/)
      assert.match(main, /需在春节前完成修订/)
      // Steps the server no longer allows are gone; those it allows now are offered.
      assert.equal(await page.getByRole('heading', { name: '开始征求意见' }).count(), 0)
      await page.getByRole('heading', { level: 2, name: '延长截止时间' }).waitFor()
    })
    await step('extend the window with a public note', async () => {
      await page.getByLabel('延长说明').fill('应群众要求，延长一周。')
      await page.getByRole('button', { name: '延长', exact: true }).click()
      await page.getByText('截止时间已延长。').waitFor()
      await page.getByRole('heading', { level: 3, name: '延长截止时间' }).waitFor()
      await page.getByText('应群众要求，延长一周。').waitFor()
    })
    await step('a .txt file is refused, with the error at the file input in Chinese', async () => {
      await page.getByLabel('选择文件').setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('这是一个文本文件。\n') })
      await page.getByRole('button', { name: '上传', exact: true }).click()
      await page.locator('#at-file-error').waitFor()
      assert.match(await page.locator('#at-file-error').innerText(), /不支持这种文件/)
      assert.equal(await page.getByLabel('选择文件').getAttribute('aria-invalid'), 'true')
      await assertNoSeriousViolations(page, 'the console with an upload error')
    })
    await step('the upload error follows the language switch', async () => {
      await page.getByRole('button', { name: 'English' }).click()
      await page.locator('#at-file-error').getByText('This kind of file is not accepted.', { exact: false }).waitFor()
      await page.getByRole('button', { name: '中文' }).click()
      await page.locator('#at-file-error').getByText('不支持这种文件', { exact: false }).waitFor()
    })
    await step('upload a small PDF; it is listed with its kind and size', async () => {
      await page.getByLabel('选择文件').setInputFiles({ name: '停车管理办法全文.pdf', mimeType: 'application/pdf', buffer: MINIMAL_PDF })
      await page.getByRole('button', { name: '上传', exact: true }).click()
      await page.getByText('已上传“停车管理办法全文.pdf”。').waitFor()
      assert.equal(await page.locator('#at-file-error').count(), 0)
      const list = page.locator('section[aria-labelledby="dm-attachments"] .attachment-list')
      await list.getByText('停车管理办法全文.pdf').waitFor()
      assert.match(await list.innerText(), /PDF，\d+ B/)
    })
    await step('the public page lists the attachment, and its link answers with the PDF', async () => {
      await page.getByRole('link', { name: '查看公开页面' }).click()
      const section = page.locator('section[aria-labelledby="dc-attachments"]')
      await section.getByRole('heading', { level: 2, name: '附件' }).waitFor()
      const link = section.getByRole('link', { name: '停车管理办法全文.pdf' })
      await link.waitFor()
      assert.match(await section.innerText(), /PDF，\d+ B/)
      const href = await link.getAttribute('href')
      assert.ok(href, 'the attachment has a link')
      const r = await fetch(new URL(href, server.baseUrl))
      assert.equal(r.status, 200)
      assert.match(r.headers.get('content-type') ?? '', /^application\/pdf/)
      assert.match(r.headers.get('content-disposition') ?? '', /^attachment/)
      assert.deepEqual(Buffer.from(await r.arrayBuffer()), MINIMAL_PDF)
      await assertNoSeriousViolations(page, 'the consultation page with an attachment')
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(2) a resident on a phone comments on article 3 and keeps the receipt', async () => {
    const { context, page, problems } = await openPage({ width: 360, height: 740 })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    const step = stepper(page, 'j2-resident-comments')
    await step('open the consultation and choose article 3', async () => {
      await page.goto(`/consultations/${shared.id}`)
      await page.locator('[data-label="第三条"]').getByRole('link', { name: /对本条提意见/ }).click()
      await page.waitForURL(/\/comment\?section=/)
      await page.getByRole('heading', { level: 2, name: '您正在对第三条提意见' }).waitFor()
      assert.match(await page.locator('blockquote').innerText(), /机动车停放应当遵守下列规定/)
      await noSidewaysScroll(page)
      await assertNoSeriousViolations(page, 'the comment form')
    })
    await step('write the comment; the counter follows', async () => {
      await page.getByLabel('您的身份').selectOption('individual')
      await page.getByLabel('意见内容').fill('建议在老旧小区周边规划夜间共享停车位，方便居民停车。')
      await page.getByText(/已输入 \d+ 字，最多 5000 字/).waitFor()
      await page.getByLabel('署名').fill('张大爷')
      await page.getByLabel('电话').fill('13800138000')
      await page.getByText('联系方式只给起草单位用于联系您，绝不公开。', { exact: false }).waitFor()
    })
    await step('send it and see the receipt', async () => {
      await page.getByRole('button', { name: '提交意见' }).click()
      await page.getByRole('heading', { level: 2, name: '意见已提交，请保存回执' }).waitFor()
      receipt.trackingNumber = (await page.getByTestId('tracking-number').innerText()).trim()
      receipt.secret = (await page.getByTestId('secret').innerText()).trim()
      assert.match(receipt.trackingNumber, /^WJ-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
      assert.ok(receipt.secret.length >= 16, receipt.secret)
      await page.getByText('查询密码只显示这一次').waitFor()
      await noSidewaysScroll(page)
      await assertNoSeriousViolations(page, 'the receipt')
    })
    await step('copy the tracking number and download the receipt', async () => {
      await page.getByRole('button', { name: '复制回执编号' }).click()
      await page.getByText('已复制。').waitFor()
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), receipt.trackingNumber)
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载回执（文本文件）' }).click()])
      assert.equal(download.suggestedFilename(), `wenji-receipt-${receipt.trackingNumber}.txt`)
      const path = await download.path()
      const { readFileSync } = await import('node:fs')
      const text = readFileSync(path, 'utf8')
      assert.ok(text.includes(receipt.secret) && text.includes(receipt.trackingNumber))
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(5) bad input shows the field error in Chinese and in English', async () => {
    const { context, page, problems } = await openPage({ width: 360, height: 740 })
    const step = stepper(page, 'j5-bad-input')
    await step('an empty comment', async () => {
      await page.goto(`/consultations/${shared.id}/comment`)
      await page.getByRole('heading', { level: 2, name: '您正在对整份草案提意见' }).waitFor()
      await page.getByRole('button', { name: '提交意见' }).click()
      await page.locator('#cf-body-error').waitFor()
      assert.match(await page.locator('#cf-body-error').innerText(), /请填写意见内容。/)
      assert.equal(await page.getByLabel('意见内容').getAttribute('aria-invalid'), 'true')
      await assertNoSeriousViolations(page, 'the comment form with errors')
    })
    await step('the same error in English', async () => {
      await page.getByRole('button', { name: 'English' }).click()
      await page.getByRole('heading', { level: 1, name: 'Comment' }).waitFor()
      assert.match(await page.locator('#cf-body-error').innerText(), /Write your comment\./)
    })
    await step('a comment that is too long', async () => {
      await page.getByLabel('Your comment').fill('很'.repeat(5001))
      await page.getByText('1 character too many; please shorten it').waitFor()
      await page.getByRole('button', { name: 'Send comment' }).click()
      await page.locator('#cf-body-error').getByText('at most 5,000 characters').waitFor()
    })
    await step('back in Chinese', async () => {
      await page.getByRole('button', { name: '中文' }).click()
      await page.locator('#cf-body-error').getByText('意见内容不能超过 5000 字，请删减。').waitFor()
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(3) staff find the comment in the moderation inbox and publish it', async () => {
    const { context, page, problems } = await openPage()
    const step = stepper(page, 'j3-moderation')
    await step('open the inbox from the decision', async () => {
      await signIn(page, 'fgw.staff@wenji.demo')
      await page.goto(`/console/decisions/${shared.id}`)
      await page.getByRole('link', { name: '审核意见' }).click()
      await page.getByRole('heading', { level: 1, name: '审核意见' }).waitFor()
      await page.locator(`[data-tracking="${receipt.trackingNumber}"]`).waitFor()
      // Staff see the private contact details.
      assert.match(await page.locator(`[data-tracking="${receipt.trackingNumber}"]`).innerText(), /13800138000/)
    })
    await step('select it and publish it', async () => {
      await page.getByLabel(`选择 ${receipt.trackingNumber}`).check()
      await page.getByText('已选择 1 条').waitFor()
      await page.getByLabel('操作').selectOption('publish')
      await page.getByRole('button', { name: '对选中的意见执行' }).click()
      await page.getByText('已处理 1 条意见。').waitFor()
      await page.getByLabel('状态').selectOption('published')
      await page.getByRole('button', { name: '筛选', exact: true }).click()
      await page.locator(`[data-tracking="${receipt.trackingNumber}"]`).getByText('已公开').waitFor()
    })
    await step('hiding needs a reason', async () => {
      await page.getByLabel(`选择 ${receipt.trackingNumber}`).check()
      await page.getByLabel('操作').selectOption('hide')
      await page.getByRole('button', { name: '对选中的意见执行' }).click()
      await page.getByText('不公开时必须选择原因。').waitFor()
      await page.getByLabel(`选择 ${receipt.trackingNumber}`).uncheck()
      await page.getByLabel('操作').selectOption('publish')
    })
    await step('act on a whole group of duplicates', async () => {
      const same = { body: '坚决反对在小区门口设置收费停车位，这会给居民带来很大不便。', category: 'individual' }
      await apiCall(server.baseUrl, `/decisions/${shared.id}/comments`, { body: same })
      await apiCall(server.baseUrl, `/decisions/${shared.id}/comments`, { body: same })
      await page.reload()
      const group = page.locator('section[aria-labelledby="mo-dups"] li').filter({ hasText: '坚决反对在小区门口' })
      await group.getByText('2 条', { exact: true }).waitFor()
      await group.getByRole('button', { name: '只看这一组' }).click()
      await page.getByText('正在查看一组重复意见。').waitFor()
      await page.getByRole('heading', { level: 2, name: '共 2 条' }).waitFor()
      await page.getByLabel('操作').selectOption('hide')
      await page.getByLabel('不公开的原因').selectOption('duplicate')
      await page.getByLabel('内部备注').fill('同一内容重复提交')
      await group.getByRole('button', { name: '对整组执行' }).click()
      await page.getByText('已处理 2 条意见。').waitFor()
      await page.getByRole('button', { name: '查看全部' }).click()
      await page.getByLabel('操作').selectOption('publish')
    })
    await step('enter a letter received offline', async () => {
      await page.getByLabel('意见内容').fill('来信建议：夜间允许在部分路段临时停车。')
      // Posted before the window opened (today): refused until staff give a reason.
      const yesterday = new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10)
      await page.getByLabel('收到日期').fill(yesterday)
      await page.getByRole('button', { name: '录入' }).click()
      await page.locator('#off-date-error').getByText(/不在征求意见期/).waitFor()
      await page.getByLabel('例外理由（选填）').fill('征求意见开始前收到的来信')
      await page.getByLabel('录入后直接公开').check()
      await page.getByRole('button', { name: '录入' }).click()
      await page.getByText(/已录入，回执编号 WJ-/).waitFor()
    })
    await step('export the comments as CSV with the session', async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: '下载全部意见（CSV，含联系方式）' }).click(),
      ])
      const { readFileSync } = await import('node:fs')
      const csv = readFileSync(await download.path(), 'utf8')
      assert.ok(csv.includes(receipt.trackingNumber), 'the CSV lists the comment')
      assert.match(download.suggestedFilename(), /\.csv$/)
      await assertNoSeriousViolations(page, 'the moderation inbox')
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(4) the resident looks the receipt up and sees it published', async () => {
    const { context, page, problems } = await openPage({ width: 360, height: 740 })
    const step = stepper(page, 'j4-lookup')
    await step('a wrong secret finds nothing', async () => {
      await page.goto('/receipts')
      await page.getByRole('textbox', { name: '回执编号' }).fill(receipt.trackingNumber)
      await page.getByRole('textbox', { name: '查询密码' }).fill('WRONGSECRET')
      await page.getByRole('button', { name: '查询' }).click()
      await page.getByRole('heading', { name: '没有找到这条意见。请检查回执编号和查询密码是否正确。' }).waitFor()
    })
    await step('the right one shows the comment, published', async () => {
      await page.getByRole('textbox', { name: '查询密码' }).fill(receipt.secret)
      await page.getByRole('button', { name: '查询' }).click()
      await page.getByRole('heading', { level: 2, name: '您的意见' }).waitFor()
      assert.equal((await page.getByTestId('comment-status').innerText()).trim(), '已公开')
      assert.match(await page.locator('main').innerText(), /建议在老旧小区周边规划夜间共享停车位/)
      await noSidewaysScroll(page)
      await assertNoSeriousViolations(page, 'the receipt lookup')
    })
    await step('withdraw it after confirming', async () => {
      await page.getByRole('button', { name: '撤回这条意见' }).click()
      await page.getByRole('button', { name: '确定撤回' }).click()
      await page.getByText('意见已撤回。').waitFor()
      assert.equal((await page.getByTestId('comment-status').innerText()).trim(), '已撤回')
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(6) a consultation for signed-in people: sign in first, then the comment is in My comments', async () => {
    const seeded = await seedConsultation(server.baseUrl, { title: '示范区停车收费标准调整方案', comments: false, anonymous: false })
    const { context, page, problems } = await openPage({ width: 360, height: 740 })
    const step = stepper(page, 'j6-my-comments')
    await step('signed out, the form asks to sign in first', async () => {
      await page.goto(`/consultations/${seeded.id}`)
      await page.getByText('需要登录后才能提意见。').waitFor()
      await page.locator('[data-label="第一条"]').getByRole('link', { name: /对本条提意见/ }).click()
      await page.getByRole('heading', { level: 2, name: '需要登录' }).waitFor()
      assert.equal(await page.getByLabel('意见内容').count(), 0)
      await page.getByRole('link', { name: '去登录' }).click()
      await page.getByLabel('电子邮箱').fill('zhang.wei@wenji.demo')
      await page.getByLabel('密码', { exact: true }).fill(PASSWORD)
      await page.getByRole('button', { name: '登录' }).click()
      await page.waitForURL(/\/comment\?section=/)
    })
    await step('signed in, the comment goes through', async () => {
      await page.getByRole('heading', { level: 2, name: '您正在对第一条提意见' }).waitFor()
      await page.getByLabel('意见内容').fill('建议对新能源汽车给予停车费优惠。')
      await page.getByRole('button', { name: '提交意见' }).click()
      await page.getByTestId('tracking-number').waitFor()
    })
    await step('My comments lists it; withdraw it after confirming', async () => {
      await page.goto('/my-comments')
      await page.getByRole('heading', { level: 1, name: '我的意见' }).waitFor()
      await page.getByRole('heading', { level: 2, name: '示范区停车收费标准调整方案' }).waitFor()
      assert.equal((await page.getByTestId('comment-status').first().innerText()).trim(), '待审核')
      await noSidewaysScroll(page)
      await assertNoSeriousViolations(page, 'my comments')
      await page.getByRole('button', { name: '撤回这条意见' }).first().click()
      await page.getByRole('button', { name: '确定撤回' }).click()
      await page.getByText('意见已撤回。').waitFor()
      await page.getByTestId('comment-status').first().getByText('已撤回').waitFor()
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(7) staff withdraw a decision; the public page gives the reason', async () => {
    const seeded = await seedConsultation(server.baseUrl, { title: '示范区夜间施工管理规定', comments: false })
    const { context, page, problems } = await openPage()
    const step = stepper(page, 'j7-withdraw')
    await step('withdraw after confirming', async () => {
      await signIn(page, 'fgw.staff@wenji.demo')
      await page.goto(`/console/decisions/${seeded.id}`)
      await page.getByLabel('撤回理由').fill('上位法已修订，本规定暂不出台。')
      await page.getByRole('button', { name: '撤回', exact: true }).click()
      await page.getByText('确定要撤回这项决策吗？此操作不能撤销。').waitFor()
      await page.getByRole('button', { name: '确定撤回' }).click()
      await page.getByText('已撤回。', { exact: true }).waitFor()
      assert.equal(await page.getByRole('heading', { name: '撤回决策事项' }).count(), 0)
    })
    await step('the public page shows the withdrawal and its reason', async () => {
      await page.getByRole('link', { name: '查看公开页面' }).click()
      await page.getByRole('heading', { level: 2, name: '已撤回' }).waitFor()
      await page.getByText('上位法已修订，本规定暂不出台。').waitFor()
      assert.equal(await page.getByRole('link', { name: /对本条提意见/ }).count(), 0)
    })
    await step('the yearly catalogue lists it with its status', async () => {
      await page.goto('/console')
      await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '年度目录' }).click()
      const row = page.getByRole('row').filter({ hasText: '示范区夜间施工管理规定' })
      await row.getByText('已撤回').waitFor()
      await assertNoSeriousViolations(page, 'the yearly catalogue')
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(8) after the window closes, staff record the outcome; the public page shows it', async () => {
    const seeded = await seedConsultation(server.baseUrl, { title: '示范区共享单车停放管理办法', comments: false, closesInSeconds: 2 })
    await new Promise((r) => setTimeout(r, 2500))
    // The outcome follows the published feedback report (采纳情况 before 决策).
    const staffToken = await tokenFor(server.baseUrl, 'fgw.staff@wenji.demo')
    await apiCall(server.baseUrl, `/decisions/${seeded.id}/feedback-reports`, { token: staffToken, body: { introduction: '未收到意见。' } })
    const { context, page, problems } = await openPage()
    const step = stepper(page, 'j8-outcome')
    await step('record the outcome', async () => {
      await signIn(page, 'fgw.staff@wenji.demo')
      await page.goto(`/console/decisions/${seeded.id}`)
      await page.getByRole('heading', { level: 2, name: '记录决定结果' }).waitFor()
      await page.getByLabel('政策解读').fill('本办法明确了共享单车的停放区域和企业责任。')
      const first = page.getByRole('group', { name: '链接 1' })
      await first.getByLabel('链接标题').fill('办法全文')
      await first.getByLabel('链接地址').fill('https://example.gov.cn/bike.html')
      await page.getByRole('button', { name: '再加一个链接' }).click()
      const second = page.getByRole('group', { name: '链接 2' })
      await second.getByLabel('链接标题').fill('政策解读')
      await second.getByLabel('链接地址').fill('example.gov.cn/bike-faq.html')
      await page.getByRole('button', { name: '再加一个链接' }).click()
      await page.getByRole('button', { name: '删除链接 3' }).click()
      assert.equal(await page.getByRole('group', { name: '链接 3' }).count(), 0)
    })
    await step('a link without http(s) is refused at that link only', async () => {
      await page.getByRole('button', { name: '记录结果' }).click()
      const second = page.getByRole('group', { name: '链接 2' })
      await second.locator('.field-error').waitFor()
      assert.match(await second.locator('.field-error').innerText(), /链接须有标题和以 http/)
      assert.equal(await page.getByRole('group', { name: '链接 1' }).locator('.field-error').count(), 0)
      assert.equal(await second.getByLabel('链接地址').getAttribute('aria-invalid'), 'true')
    })
    await step('fix it and record the outcome', async () => {
      await page.getByRole('group', { name: '链接 2' }).getByLabel('链接地址').fill('https://example.gov.cn/bike-faq.html')
      await page.getByRole('button', { name: '记录结果' }).click()
      await page.getByText('决定结果已记录。').waitFor()
    })
    await step('the public page shows the decision, and no comment links', async () => {
      await page.getByRole('link', { name: '查看公开页面' }).click()
      await page.getByRole('heading', { level: 2, name: '决定结果' }).waitFor()
      await page.getByText('本办法明确了共享单车的停放区域和企业责任。').waitFor()
      await page.getByRole('link', { name: '办法全文' }).waitFor()
      assert.equal(await page.getByRole('link', { name: '政策解读' }).getAttribute('href'), 'https://example.gov.cn/bike-faq.html')
      await page.getByText('征求意见已经结束，不再接收意见。').waitFor()
      assert.equal(await page.getByRole('link', { name: /对本条提意见/ }).count(), 0)
      await assertNoSeriousViolations(page, 'a decided decision')
    })
    assert.deepEqual(problems, [])
    await context.close()
  })
})
