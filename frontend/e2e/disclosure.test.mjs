// Journeys of the disclosure standard catalogue (政务公开事项标准目录), in order on one server:
// (a) staff import a catalogue file with deliberate errors, read the per-row report (the
// refused cells with their reasons), fix the file and import it; the items are in the console
// list; (b) a resident on a phone finds an imported item by a two-character word and reports
// it; (c) staff answer the report in the console, and the item's public page shows the
// answer and the answered count. Each step is checked with axe.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertNoSeriousViolations } from './lib/axe.mjs'
import { launchBrowser, openPage, stepper } from './lib/browser.mjs'
import { noSidewaysScroll, signIn } from './lib/pages.mjs'
import { startServer } from './lib/server.mjs'
import { apiCall, tokenFor } from './lib/seed.mjs'

const STAFF = 'fgw.staff@wenji.demo'
const RESIDENT = 'zhang.wei@wenji.demo'
const HEADER = '序号,政策领域,一级事项,二级事项,公开依据,公开内容,责任主体,公开时限,公开渠道,公开属性,公开对象,公开层级'
// Words the demo catalogue does not use, so the searches below find these rows only.
const ITEM = '银龄助浴服务'
const SUB = ['助浴补贴名单', '助浴点位分布', '助浴服务标准', '助浴机构名录']
const WORD = '助浴'
const REPORT_TEXT = '社区助浴点位已经调整，目录中的点位分布还是去年的。'
const ANSWER = '已核实，点位分布已于本周更新并在政府网站公开。'

/** @param {string[][]} rows */
const csv = (rows) => Buffer.from([HEADER, ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n', 'utf8')
const BAD = csv([
  ['1', '养老服务', ITEM, SUB[0], '《老年人权益保障法》', '补贴对象、标准、金额', '', '信息形成之日起20个工作日内', '政府网站、飞鸽传书', '主动公开', '全社会', '区级'],
  ['2', '养老服务', ITEM, SUB[1], '《老年人权益保障法》', '', '', '信息形成之日起20个工作日内', '政府网站', '主动公开', '全社会', '区级'],
  ['3', '星际航行', ITEM, SUB[2], '《老年人权益保障法》', '服务内容、收费标准', '', '20个工作日内', '政府网站、公示栏', '主动公开', '全社会', '区级'],
  ['4', '养老服务', ITEM, SUB[3], '《老年人权益保障法》', '机构名称、地址、电话', '', '20个工作日内', '公示栏', '主动公开', '特定群体', '街乡级'],
])
const GOOD = csv([
  ['1', '养老服务', ITEM, SUB[0], '《老年人权益保障法》', '补贴对象、标准、金额', '', '信息形成之日起20个工作日内', '政府网站、政务新媒体', '主动公开', '全社会', '区级'],
  ['2', '养老服务', ITEM, SUB[1], '《老年人权益保障法》', '点位名称、地址、开放时间', '', '信息形成之日起20个工作日内', '政府网站', '主动公开', '全社会', '区级'],
  ['3', '养老服务', ITEM, SUB[2], '《老年人权益保障法》', '服务内容、收费标准', '', '20个工作日内', '政府网站、公示栏', '主动公开', '全社会', '区级'],
  ['4', '养老服务', ITEM, SUB[3], '《老年人权益保障法》', '机构名称、地址、电话', '', '20个工作日内', '公示栏', '依申请公开', '特定群体', '街乡级'],
])

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server
/** @type {import('playwright-core').Browser} */
let browser

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

/** The id of the imported item (一级事项 / 二级事项) found through the public API. */
async function itemId(sub = SUB[1]) {
  const list = await apiCall(server.baseUrl, `/disclosure-items?q=${encodeURIComponent(sub)}`)
  const found = list.items.find((/** @type {{ sub_item: string }} */ i) => i.sub_item === sub)
  assert.ok(found, `no item ${sub}`)
  return /** @type {string} */ (found.id)
}

describe('the disclosure catalogue', () => {
  test('(a) staff import a catalogue: refused cells are shown with their reasons, the fixed file imports', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl)
    const step = stepper(page, 'dc1-import')
    await step('the console offers the catalogue and its import', async () => {
      await signIn(page, STAFF)
      await page.goto('/console')
      await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '公开目录', exact: true }).click()
      await page.getByRole('heading', { level: 1, name: '公开目录' }).waitFor()
      await assertNoSeriousViolations(page, 'the console catalogue')
      await page.getByRole('link', { name: '导入目录' }).click()
      await page.getByRole('heading', { level: 1, name: '导入公开目录' }).waitFor()
    })
    await step('previewing without a file asks for one', async () => {
      await page.getByRole('button', { name: '预览检查' }).click()
      await page.locator('.field-error').getByText('请选择一个 XLSX 或 CSV 文件。').waitFor()
    })
    await step('a file without the required columns is refused at the file input', async () => {
      const wrong = Buffer.from('名称,说明\r\n助浴,说明\r\n', 'utf8')
      await page.getByLabel('目录文件').setInputFiles({ name: '目录.csv', mimeType: 'text/csv', buffer: wrong })
      await page.getByRole('button', { name: '预览检查' }).click()
      await page.locator('#di-file-error').getByText(/缺少必需的列/).waitFor()
      assert.equal(await page.getByLabel('目录文件').getAttribute('aria-invalid'), 'true')
      assert.equal(await page.getByTestId('import-report').count(), 0)
      await assertNoSeriousViolations(page, 'the import refusing an unreadable file')
    })
    await step('the preview of a file with errors reports each refused cell with its reason', async () => {
      await page.getByLabel('目录文件').setInputFiles({ name: '目录.csv', mimeType: 'text/csv', buffer: BAD })
      await page.getByRole('button', { name: '预览检查' }).click()
      const report = page.getByTestId('import-report')
      await report.getByRole('heading', { name: '检查结果' }).waitFor()
      await report.getByText('共 4 行：新增 1 行，修改 0 行，无变化 0 行，不能导入 3 行。').waitFor()
      const table = report.getByRole('table', { name: '逐行检查结果' })
      // Header row 1: the file's rows are 2..5.
      const channel = table.locator('tr[data-row="2"] td.import-table__cell--refused[data-column="公开渠道"]')
      assert.match(await channel.innerText(), /飞鸽传书/)
      const content = table.locator('tr[data-row="3"] td.import-table__cell--refused[data-column="公开内容"]')
      assert.match(await content.innerText(), /必填/)
      const area = table.locator('tr[data-row="4"] td.import-table__cell--refused[data-column="政策领域"]')
      assert.match(await area.innerText(), /星际航行/)
      assert.equal(await table.locator('tr[data-row="5"]').getAttribute('data-outcome'), 'created')
      assert.equal(await table.locator('tr[data-row="5"] td.import-table__cell--refused').count(), 0)
      // The refused columns are named in the table's head.
      for (const h of ['政策领域', '公开内容', '公开渠道']) await table.getByRole('columnheader', { name: h }).waitFor()
      // Nothing refused is needed for "import all"; the valid rows may go alone.
      assert.equal(await page.getByRole('button', { name: '全部导入' }).count(), 0)
      await page.getByRole('button', { name: '只导入没有问题的行' }).waitFor()
      await assertNoSeriousViolations(page, 'the import report with refused rows')
      // Nothing was written by the preview.
      const list = await apiCall(server.baseUrl, `/disclosure-items?q=${encodeURIComponent(WORD)}`)
      assert.equal(list.meta.total, 0)
    })
    await step('only the rows with problems, on request', async () => {
      await page.getByLabel('只显示有问题的行').check()
      assert.equal(await page.locator('tr[data-row]').count(), 3)
      await page.getByLabel('只显示有问题的行').uncheck()
      assert.equal(await page.locator('tr[data-row]').count(), 4)
    })
    await step('the fixed file previews clean and imports', async () => {
      await page.getByLabel('目录文件').setInputFiles({ name: '目录.csv', mimeType: 'text/csv', buffer: GOOD })
      // A new file drops the old report.
      assert.equal(await page.getByTestId('import-report').count(), 0)
      await page.getByRole('button', { name: '预览检查' }).click()
      await page.getByText('所有行都可以导入。').waitFor()
      assert.equal(await page.locator('td.import-table__cell--refused').count(), 0)
      // Both ways are offered now; "import all" writes every row or none.
      await page.getByRole('button', { name: '只导入没有问题的行' }).waitFor()
      await page.getByRole('button', { name: '全部导入' }).click()
      await page.getByRole('heading', { name: '导入结果' }).waitFor()
      await page.getByText('已导入：新增 4 项，修改 0 项。').waitFor()
      await assertNoSeriousViolations(page, 'the import result')
    })
    await step('the items are in the console list', async () => {
      await page.getByRole('link', { name: '查看本单位的公开目录' }).click()
      await page.getByRole('heading', { level: 1, name: '公开目录' }).waitFor()
      await page.getByLabel('关键词').fill(WORD)
      await page.getByRole('button', { name: '查找' }).click()
      const list = page.getByRole('list', { name: '本单位的公开事项' })
      for (const sub of SUB) await list.getByRole('link', { name: `${ITEM} / ${sub}`, exact: true }).waitFor()
      assert.equal(await list.getByRole('listitem').count(), 4)
    })
    await step('an item edited in the console keeps the change in its history', async () => {
      await page.getByRole('link', { name: `${ITEM} / ${SUB[1]}`, exact: true }).click()
      await page.getByRole('heading', { level: 1, name: '修改公开事项' }).waitFor()
      await page.getByLabel('公开时限').fill('信息形成之日起10个工作日内')
      await assertNoSeriousViolations(page, 'the item editor')
      await page.getByRole('button', { name: '保存', exact: true }).click()
      await page.getByRole('heading', { level: 1, name: '公开目录' }).waitFor()
      const history = await apiCall(server.baseUrl, `/disclosure-items/${await itemId()}/history`)
      assert.equal(history.versions[0].kind, 'changed')
      assert.deepEqual(
        history.versions[0].changes.map((/** @type {{ field: string }} */ c) => c.field),
        ['time_limit'],
      )
    })
    await step('the editor shows who changed what; a change made meanwhile is refused with a way to reload', async () => {
      const id = await itemId(SUB[3])
      await page.goto(`/console/disclosure/${id}`)
      await page.getByRole('heading', { level: 1, name: '修改公开事项' }).waitFor()
      await page.getByText('当前为第 1 版').waitFor()
      await page.getByText('修改人：').first().waitFor()
      // Someone else changes the item after the page was loaded.
      const token = await tokenFor(server.baseUrl, STAFF)
      const rest = await apiCall(server.baseUrl, `/disclosure-items/${id}`)
      await apiCall(server.baseUrl, `/disclosure-items/${id}`, {
        method: 'PUT',
        token,
        body: {
          policy_area_id: rest.policy_area_id,
          item: rest.item,
          sub_item: rest.sub_item,
          basis: rest.basis,
          content: '机构名称、地址、电话、服务时间',
          responsible_body: rest.responsible_body,
          time_limit: rest.time_limit,
          channels: rest.channels,
          attribute: rest.attribute,
          audience: rest.audience,
          level: rest.level,
          expected_version: rest.version,
        },
      })
      await page.getByLabel('公开时限').fill('15个工作日内')
      await page.getByRole('button', { name: '保存', exact: true }).click()
      await page.getByTestId('conflict').getByText('这个事项刚被他人修改过').waitFor()
      await assertNoSeriousViolations(page, 'the editor refusing a stale change')
      await page.getByRole('button', { name: '重新载入最新内容' }).click()
      await page.getByText('当前为第 2 版').waitFor()
      assert.equal(await page.getByLabel('公开内容（要素）').inputValue(), '机构名称、地址、电话、服务时间')
      assert.equal(await page.getByTestId('conflict').count(), 0)
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(b) a resident on a phone finds an item by a two-character word and reports it', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl, { viewport: { width: 360, height: 740 } })
    const step = stepper(page, 'dc2-report')
    await step('the catalogue is in the main navigation', async () => {
      await signIn(page, RESIDENT)
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '公开目录' }).click()
      await page.getByRole('heading', { level: 1, name: '政务公开事项标准目录' }).waitFor()
      await noSidewaysScroll(page)
      await assertNoSeriousViolations(page, 'the public catalogue on a phone')
    })
    await step('a search for a two-character word finds the imported items', async () => {
      await page.getByLabel('关键词').fill(WORD)
      await page.getByRole('button', { name: '查找', exact: true }).click()
      await page.getByRole('heading', { level: 2, name: '共 4 项' }).waitFor()
      assert.match(page.url(), /q=/)
      await page.getByRole('link', { name: `${ITEM} / ${SUB[1]}` }).click()
      await page.getByRole('heading', { level: 1, name: `${ITEM} / ${SUB[1]}` }).waitFor()
    })
    await step('the item page shows every field, the last change and the history', async () => {
      const facts = page.getByRole('definition')
      await facts.getByText('点位名称、地址、开放时间').waitFor()
      await facts.getByText('信息形成之日起10个工作日内').first().waitFor()
      await page.getByTestId('last-change').waitFor()
      await page.getByRole('heading', { level: 2, name: '修改记录' }).waitFor()
      const change = page.getByRole('table', { name: '第 2 版修改的内容' })
      await change.getByRole('rowheader', { name: '公开时限' }).waitFor()
      await change.getByText('信息形成之日起20个工作日内').waitFor()
      await page.getByTestId('report-counts').getByText('待答复 0 条，已答复 0 条').waitFor()
      await noSidewaysScroll(page)
      await assertNoSeriousViolations(page, 'the item page on a phone')
    })
    await step('a report without text is refused at the text field', async () => {
      await page.getByLabel('内容过时').check()
      await page.getByRole('button', { name: '提交反映' }).click()
      await page.getByRole('heading', { name: '反映没有提交成功' }).waitFor()
      await page.locator('.field-error').first().waitFor()
      await assertNoSeriousViolations(page, 'the refused report')
    })
    await step('the report is sent', async () => {
      await page.getByLabel('具体情况').fill(REPORT_TEXT)
      await page.getByLabel('联系方式').fill('13800000000')
      await page.getByRole('button', { name: '提交反映' }).click()
      await page.getByText('已收到您的反映。').waitFor()
      await noSidewaysScroll(page)
    })
    await step('the public counts one open report, and shows neither its text nor its contact yet', async () => {
      const reports = await apiCall(server.baseUrl, `/disclosure-items/${await itemId()}/reports`)
      assert.equal(reports.open, 1)
      assert.equal(reports.answered, 0)
      await page.reload()
      await page.getByTestId('report-counts').getByText('待答复 1 条，已答复 0 条').waitFor()
      assert.equal(await page.getByText(REPORT_TEXT).count(), 0)
      assert.equal(await page.getByText('13800000000').count(), 0)
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(c) staff answer the report; the item page shows the answer and the answered count', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl)
    const step = stepper(page, 'dc3-answer')
    await step('the report waits in the console, with its private contact', async () => {
      await signIn(page, STAFF)
      await page.goto('/console')
      await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '公开目录反映' }).click()
      await page.getByRole('heading', { level: 1, name: '公开目录反映' }).waitFor()
      const report = page.locator('li.comment', { hasText: REPORT_TEXT })
      await report.getByText('13800000000').waitFor()
      await report.getByText('内容过时').waitFor()
      await assertNoSeriousViolations(page, 'the reports to answer')
    })
    await step('staff answer it', async () => {
      const report = page.locator('li.comment', { hasText: REPORT_TEXT })
      await report.getByLabel('答复').fill(ANSWER)
      await report.getByRole('button', { name: '发送答复' }).click()
      await page.getByRole('status').getByText('已答复。').waitFor()
      await page.getByRole('link', { name: '已答复' }).click()
      await page.locator('li.comment', { hasText: REPORT_TEXT }).getByText(ANSWER).waitFor()
      await assertNoSeriousViolations(page, 'the answered reports')
    })
    await step('a second answer is refused', async () => {
      const token = await tokenFor(server.baseUrl, STAFF)
      const list = await apiCall(server.baseUrl, '/disclosure-reports?status=answered', { token })
      const id = list.items.find((/** @type {{ body: string }} */ r) => r.body === REPORT_TEXT).id
      await assert.rejects(apiCall(server.baseUrl, `/disclosure-reports/${id}/answer`, { token, body: { answer: '再答一次' } }), /409/)
    })
    await step('the public item page shows the answer and the count', async () => {
      await page.goto(`/disclosure/${await itemId()}`)
      await page.getByRole('heading', { level: 1, name: `${ITEM} / ${SUB[1]}` }).waitFor()
      await page.getByTestId('report-counts').getByText('待答复 0 条，已答复 1 条').waitFor()
      await page.getByText(REPORT_TEXT).waitFor()
      await page.getByText(ANSWER).waitFor()
      assert.equal(await page.getByText('13800000000').count(), 0)
      await assertNoSeriousViolations(page, 'the item page with an answer')
    })
    await step('the same page in English', async () => {
      await page.getByRole('button', { name: 'English' }).click()
      await page.getByTestId('report-counts').getByText('0 open, 1 answered').waitFor()
      await page.getByRole('heading', { level: 2, name: 'History' }).waitFor()
      await assertNoSeriousViolations(page, 'the item page in English')
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(d) the platform admin sees agencies without a catalogue flagged, and adds a channel', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl)
    const step = stepper(page, 'dc4-coverage')
    await step('coverage lists the agencies without items first, flagged', async () => {
      await signIn(page, 'admin@wenji.demo')
      await page.goto('/console')
      await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '公开目录覆盖情况' }).click()
      await page.getByRole('heading', { level: 1, name: '公开目录覆盖情况' }).waitFor()
      const table = page.getByRole('table', { name: '各机关单位的公开目录' })
      const rows = table.locator('tbody tr')
      await rows.first().waitFor()
      const flagged = await rows.evaluateAll((trs) => trs.map((tr) => tr.classList.contains('coverage-table__row--flagged')))
      // Flagged rows, if any, all come before the others.
      assert.deepEqual(flagged, [...flagged].sort((a, b) => Number(b) - Number(a)))
      await table.getByRole('rowheader', { name: /示范区发展和改革委员会/ }).waitFor()
      await assertNoSeriousViolations(page, 'the coverage page')
    })
    await step('a new channel joins the list', async () => {
      await page.getByLabel('渠道名称').fill('社区电子屏')
      await page.getByRole('button', { name: '新增渠道' }).click()
      await page.getByRole('status').getByText('已新增“社区电子屏”。').waitFor()
      await page.getByRole('list', { name: '公开渠道' }).getByText('社区电子屏').waitFor()
      const channels = await apiCall(server.baseUrl, '/disclosure-channels')
      assert.ok(channels.items.some((/** @type {{ name: string }} */ c) => c.name === '社区电子屏'))
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(e) staff remove an item from the catalogue and restore it', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl, { viewport: { width: 360, height: 740 } })
    const step = stepper(page, 'dc5-remove')
    const name = `${ITEM} / ${SUB[2]}`
    const id = await itemId(SUB[2])
    await step('removal asks first, then the item leaves the public catalogue', async () => {
      await signIn(page, STAFF)
      await page.goto(`/console/disclosure/${id}`)
      await page.getByText('当前为第 1 版').waitFor()
      await page.getByRole('button', { name: '移出目录' }).click()
      await page.getByText('移出后公众看不到这个事项').waitFor()
      await assertNoSeriousViolations(page, 'the removal question')
      await page.getByRole('button', { name: '确定移出' }).click()
      await page.getByRole('heading', { level: 1, name: '公开目录' }).waitFor()
      await page.getByText(`已把“${name}”移出目录。`).waitFor()
      const list = await apiCall(server.baseUrl, `/disclosure-items?q=${encodeURIComponent(WORD)}`)
      assert.equal(list.meta.total, 3)
    })
    await step('the console still lists it, marked, with a restore button', async () => {
      await page.getByLabel('关键词').fill(WORD)
      await page.getByRole('button', { name: '查找' }).click()
      const removed = page.locator('li[data-removed="true"]', { hasText: name })
      await removed.getByText('已移除').waitFor()
      await noSidewaysScroll(page)
      await assertNoSeriousViolations(page, 'the console list with a removed item')
      await removed.getByRole('button', { name: `恢复 ${name}` }).click()
      await page.getByRole('status').getByText(`已恢复“${name}”。`).waitFor()
      await page.locator('li[data-removed="true"]', { hasText: name }).waitFor({ state: 'detached' })
      const list = await apiCall(server.baseUrl, `/disclosure-items?q=${encodeURIComponent(WORD)}`)
      assert.equal(list.meta.total, 4)
      const history = await apiCall(server.baseUrl, `/disclosure-items/${id}/history`)
      assert.deepEqual(history.versions.slice(0, 2).map((/** @type {{ kind: string }} */ v) => v.kind), ['restored', 'removed'])
    })
    assert.deepEqual(problems, [])
    await context.close()
  })
})
