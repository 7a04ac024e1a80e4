// Meetings, open days and the calendar as residents use them, on a phone: finding an open day
// in the calendar, registering (the code, the QR code, adding it to a calendar), the waiting
// list and its promotion when someone cancels; a meeting's page with its agenda, livestream
// and replays, and applying to attend; the decision's related meetings. axe on every page.
// The livestream links must be on an allowed host: the server is told which.
process.env.WENJI_EMBED_HOSTS ??= 'https://live.example.cn'

import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertNoSeriousViolations } from './lib/axe.mjs'
import { launchBrowser, openPage, stepper } from './lib/browser.mjs'
import { noSidewaysScroll } from './lib/pages.mjs'
import { startServer } from './lib/server.mjs'
import { apiCall, seedConsultation, tokenFor } from './lib/seed.mjs'

const DAY_TITLE = '示范区政务服务中心开放日（测试）'
const MEETING_TITLE = '示范区停车收费标准调整听证会（测试）'
const DECISION_TITLE = '示范区停车收费管理办法（征求意见稿）'
const PHONE_VIEWPORT = { width: 360, height: 740 }
const HOUR = 3600_000

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server
/** @type {import('playwright-core').Browser} */
let browser
const shared = { token: '', dayId: '', meetingId: '', decisionId: '', dayStartsAt: '', codeA: '', codeB: '' }

/** The Beijing day of an instant, `YYYY-MM-DD`. */
const beijingDay = (/** @type {number} */ ms) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10)

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
  const token = await tokenFor(server.baseUrl, 'fgw.staff@wenji.demo')
  shared.token = token
  const now = Date.now()
  // An open day later today in Beijing (an hour from now, or just before midnight), one place.
  const midnight = Date.parse(`${beijingDay(now)}T00:00:00+08:00`) + 24 * HOUR
  const starts = Math.max(now + 10 * 60_000, Math.min(now + HOUR, midnight - 40 * 60_000))
  const day = await apiCall(server.baseUrl, '/open-days', {
    token,
    body: {
      title: DAY_TITLE,
      description: '参观政务服务中心，了解“一网通办”的办理流程，与窗口工作人员交流。',
      venue: '示范区政务服务中心一楼大厅',
      starts_at: new Date(starts).toISOString(),
      ends_at: new Date(starts + 30 * 60_000).toISOString(),
      capacity: 1,
      registration_opens_at: new Date(now - 60_000).toISOString(),
      registration_closes_at: new Date(starts).toISOString(),
      eligibility: '示范区居民，年满 18 周岁。',
      required_fields: [],
    },
  })
  shared.dayId = day.id
  shared.dayStartsAt = day.starts_at

  // A hearing in two days on a decision: one item streamed and open to attend, one closed.
  const { id: decisionId } = await seedConsultation(server.baseUrl, { title: DECISION_TITLE, comments: false })
  shared.decisionId = decisionId
  const mStarts = now + 48 * HOUR
  const meeting = await apiCall(server.baseUrl, '/meetings', {
    token,
    body: {
      title: MEETING_TITLE,
      kind: 'hearing',
      description: '听取社会各方面对停车收费标准调整方案的意见。',
      starts_at: new Date(mStarts).toISOString(),
      ends_at: new Date(mStarts + 2 * HOUR).toISOString(),
      venue: '示范区行政中心第三会议室',
      attendance_capacity: 5,
      agenda: [
        { title: '停车收费标准调整方案说明', openness: 'both', decision_id: decisionId },
        { title: '人事事项', openness: 'closed' },
      ],
    },
  })
  shared.meetingId = meeting.id
  await apiCall(server.baseUrl, `/meetings/${meeting.id}/stream`, {
    token,
    method: 'PUT',
    body: { hls_url: 'https://live.example.cn/hearing/index.m3u8', watch_url: 'https://live.example.cn/hearing' },
  })
  const both = meeting.agenda.find((/** @type {any} */ i) => i.openness === 'both')
  await apiCall(server.baseUrl, `/meetings/${meeting.id}/replay`, {
    token,
    method: 'PUT',
    body: { replay_url: 'https://live.example.cn/hearing/replay.mp4', offsets: [{ item_id: both.id, offset_seconds: 120 }] },
  })
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

/** @param {import('playwright-core').Page} page @param {string} href */
async function fetchText(page, href) {
  return page.evaluate(async (h) => {
    const r = await fetch(h)
    return { status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text() }
  }, href)
}

/**
 * Registers on the open day's page with a name and a phone, and lands on the confirmation.
 * @param {import('playwright-core').Page} page @param {string} name @param {string} phone
 */
async function register(page, name, phone) {
  await page.getByLabel('姓名').fill(name)
  await page.getByLabel('电话').fill(phone)
  await page.getByRole('button', { name: /提交报名|报名候补/ }).click()
  await page.waitForURL(`**/open-days/${shared.dayId}/confirmation`)
  await page.getByTestId('registration-code').waitFor()
  return (await page.getByTestId('registration-code').innerText()).trim()
}

describe('open days and meetings, as residents', () => {
  test('(1) find an open day in the calendar, register, wait-list, cancel and promote', async () => {
    const a = await openPage(browser, server.baseUrl, { viewport: PHONE_VIEWPORT })
    const step = stepper(a.page, 'ev1-open-day')
    await step('the header leads to the calendar, which lists the open day', async () => {
      await a.page.goto('/')
      await a.page.getByRole('link', { name: '会议与开放日', exact: true }).first().click()
      await a.page.getByRole('heading', { level: 1, name: '会议与开放日' }).waitFor()
      // On a phone the list comes first.
      assert.equal(await a.page.getByRole('button', { name: '列表' }).getAttribute('aria-pressed'), 'true')
      if (beijingDay(Date.parse(shared.dayStartsAt)).slice(0, 7) !== beijingDay(Date.now()).slice(0, 7)) {
        await a.page.getByRole('button', { name: '下个月' }).click()
      }
      const item = a.page.locator(`[data-event="${DAY_TITLE}"]`)
      await item.waitFor()
      assert.match(await item.innerText(), /开放日/)
      assert.match(await item.innerText(), /剩余名额 1 个/)
      const feed = a.page.getByRole('link', { name: '订阅日历（iCalendar）' })
      assert.equal(await feed.getAttribute('href'), '/api/v1/calendar.ics')
      await noSidewaysScroll(a.page)
      await assertNoSeriousViolations(a.page, 'the calendar (list, 360 px)')
      await a.page.getByRole('button', { name: '月历' }).click()
      await a.page.locator('table.month-grid').waitFor()
      await a.page.locator('.month-grid').getByRole('link', { name: new RegExp(DAY_TITLE.slice(0, 8)) }).first().waitFor()
      await noSidewaysScroll(a.page)
      await assertNoSeriousViolations(a.page, 'the calendar (month, 360 px)')
      await a.page.getByRole('button', { name: '列表' }).click()
      await item.getByRole('link', { name: DAY_TITLE }).click()
    })
    await step('the open day shows its places and the registration form', async () => {
      await a.page.getByRole('heading', { level: 1, name: DAY_TITLE }).waitFor()
      assert.equal(await a.page.getByTestId('places-left').innerText(), '1')
      assert.equal(await a.page.getByTestId('waiting').innerText(), '0')
      await a.page.getByText('示范区居民，年满 18 周岁。').waitFor()
      // Only the name, the phone and the e-mail address: the day requires nothing else.
      assert.equal(await a.page.getByLabel('身份证号').count(), 0)
      await noSidewaysScroll(a.page)
      await assertNoSeriousViolations(a.page, 'the open day (360 px)')
    })
    await step('a registration with no contact is refused at the field', async () => {
      await a.page.getByLabel('姓名').fill('李明')
      await a.page.getByRole('button', { name: '提交报名' }).click()
      await a.page.locator('#od-phone-error').waitFor()
      assert.equal(await a.page.locator('#od-phone').getAttribute('aria-invalid'), 'true')
    })
    await step('register with a name and a phone: confirmed, with the code and the QR code', async () => {
      shared.codeA = await register(a.page, '李明', '13800138000')
      assert.ok(shared.codeA.length >= 6, shared.codeA)
      await a.page.getByTestId('registration-status').getByText('报名成功').waitFor()
      const qr = a.page.getByTestId('qr-code')
      await qr.waitFor()
      const drawn = await qr.evaluate((/** @type {HTMLImageElement} */ img) => img.complete && img.naturalWidth > 0 && img.src.startsWith('data:image/png'))
      assert.ok(drawn, 'the QR code is drawn')
      const ics = a.page.getByRole('link', { name: '添加到日历' })
      const href = await ics.getAttribute('href')
      assert.equal(href, `/api/v1/open-days/${shared.dayId}/calendar.ics`)
      const file = await fetchText(a.page, /** @type {string} */ (href))
      assert.equal(file.status, 200)
      assert.match(file.body, /BEGIN:VCALENDAR/)
      assert.ok(file.body.replace(/\r\n[ \t]/g, '').includes(DAY_TITLE), 'the .ics holds the title')
      await noSidewaysScroll(a.page)
      await assertNoSeriousViolations(a.page, 'the confirmation (360 px)')
    })
    await step('back on the open day, this device shows the registration instead of the form', async () => {
      await a.page.goto(`/open-days/${shared.dayId}`)
      await a.page.getByTestId('kept-registration').waitFor()
      assert.equal(await a.page.getByLabel('姓名').count(), 0)
      assert.equal(await a.page.getByTestId('places-left').innerText(), '0')
    })

    const b = await openPage(browser, server.baseUrl, { viewport: PHONE_VIEWPORT })
    const stepB = stepper(b.page, 'ev1-waitlist')
    await stepB('a second resident registers and is wait-listed, first in line', async () => {
      await b.page.goto(`/open-days/${shared.dayId}`)
      await b.page.getByRole('button', { name: '报名候补' }).waitFor()
      shared.codeB = await register(b.page, '王芳', '13900139000')
      await b.page.getByTestId('registration-status').getByText('候补中').waitFor()
      assert.match(await b.page.getByTestId('waiting-position').innerText(), /候补名单第 1 位/)
      assert.equal(await b.page.getByTestId('qr-code').count(), 1)
      await assertNoSeriousViolations(b.page, 'the wait-listed confirmation (360 px)')
    })

    await step('the first cancels from the confirmation page, after confirming', async () => {
      await a.page.goto(`/open-days/${shared.dayId}/confirmation`)
      await a.page.getByTestId('registration-status').getByText('报名成功').waitFor()
      await a.page.getByRole('button', { name: '取消报名' }).click()
      // Not yet: a confirmation first, with the focus on keeping it.
      assert.equal(await a.page.evaluate(() => document.activeElement?.textContent?.trim()), '不取消')
      await a.page.getByRole('button', { name: '确定取消报名' }).click()
      await a.page.getByText('报名已取消。').waitFor()
      assert.equal(await a.page.evaluate(() => document.activeElement?.textContent?.trim()), '报名已取消。')
      await a.page.getByTestId('registration-status').getByText('已取消').waitFor()
      assert.equal(await a.page.getByTestId('qr-code').count(), 0)
    })

    await stepB('reloading the second confirmation shows the promotion', async () => {
      await b.page.reload()
      await b.page.getByTestId('registration-status').getByText('报名成功').waitFor()
      assert.equal(await b.page.getByTestId('registration-code').innerText(), shared.codeB)
    })

    const c = await openPage(browser, server.baseUrl, { viewport: { width: 1280, height: 900 }, locale: 'en' })
    const stepC = stepper(c.page, 'ev1-lookup-en')
    await stepC('on another device, in English, the code finds the registration', async () => {
      await c.page.goto(`/open-days/${shared.dayId}/confirmation`)
      await c.page.getByText('No registration for this open day is kept on this device.').waitFor()
      await c.page.getByLabel('Confirmation code').fill('NOSUCHCODE')
      await c.page.getByRole('button', { name: 'Look up' }).click()
      await c.page.getByText('No registration has this code. Check it and try again.').waitFor()
      await c.page.getByLabel('Confirmation code').fill(shared.codeB)
      await c.page.getByRole('button', { name: 'Look up' }).click()
      await c.page.getByTestId('registration-status').getByText('Confirmed').waitFor()
      await assertNoSeriousViolations(c.page, 'the confirmation (en, desktop)')
      await c.page.goto(`/open-days/${shared.dayId}`)
      await c.page.getByRole('heading', { level: 2, name: 'Your registration' }).waitFor()
      await assertNoSeriousViolations(c.page, 'the open day (en, desktop)')
      await c.page.goto('/calendar')
      await c.page.getByRole('heading', { level: 1, name: 'Meetings & open days' }).waitFor()
      // On a desktop the month comes first.
      assert.equal(await c.page.getByRole('button', { name: 'Month', exact: true }).getAttribute('aria-pressed'), 'true')
      await c.page.locator('table.month-grid').waitFor()
      await assertNoSeriousViolations(c.page, 'the calendar (en, desktop, month)')
    })

    for (const x of [a, b, c]) {
      assert.deepEqual(x.problems, [])
      await x.context.close()
    }
  })

  test('(2) a meeting: agenda openness, the livestream, replays by item, attendance', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl, { viewport: PHONE_VIEWPORT })
    const step = stepper(page, 'ev2-meeting')
    await step('the meeting page at 360 px: facts, agenda and badges', async () => {
      await page.goto(`/meetings/${shared.meetingId}`)
      await page.getByRole('heading', { level: 1, name: MEETING_TITLE }).waitFor()
      await page.getByText('听证会').first().waitFor()
      assert.equal(await page.getByTestId('meeting-status').innerText(), '将召开')
      const streamed = page.locator('[data-item="停车收费标准调整方案说明"]')
      const closed = page.locator('[data-item="人事事项"]')
      assert.equal(await streamed.locator('.openness').innerText(), '可列席、直播')
      assert.equal(await closed.locator('.openness').innerText(), '不公开')
      // The streamed item opens the replay at its start; the closed one carries no link at all.
      const replay = streamed.getByRole('link', { name: /观看本项回放/ })
      assert.equal(await replay.getAttribute('href'), 'https://live.example.cn/hearing/replay.mp4#t=120')
      assert.equal(await closed.getByRole('link').count(), 0)
      await streamed.getByRole('link', { name: `相关决策事项：${DECISION_TITLE}` }).waitFor()
    })
    await step('before the livestream: a note and the link to its page, no player yet', async () => {
      await page.getByRole('heading', { level: 2, name: '网络直播' }).waitFor()
      await page.getByText('直播尚未开始').waitFor()
      assert.equal(await page.getByTestId('hls-player').count(), 0)
      assert.equal(await page.getByRole('link', { name: '到直播页面观看' }).getAttribute('href'), 'https://live.example.cn/hearing')
    })
    await step('live: the 直播中 marker and the HLS player in a <video>, with the link to its page', async () => {
      await apiCall(server.baseUrl, `/meetings/${shared.meetingId}/stream/state`, { token: shared.token, method: 'PUT', body: { state: 'live' } })
      await page.reload()
      await page.getByRole('heading', { level: 2, name: /网络直播/ }).waitFor()
      await page.locator('.live-badge').first().getByText('直播中').waitFor()
      await page.getByTestId('hls-player').waitFor()
      // The playlist is attached: natively (the playlist itself) or through hls.js (a blob: media source).
      const src = await page.waitForFunction(() => /** @type {HTMLVideoElement | null} */ (document.querySelector('[data-testid="hls-player"]'))?.src || null)
      assert.match(String(await src.jsonValue()), /^(blob:|https:\/\/live\.example\.cn\/hearing\/index\.m3u8)/)
      assert.equal(await page.getByRole('link', { name: '到直播页面观看' }).getAttribute('href'), 'https://live.example.cn/hearing')
      const ics = await page.getByRole('link', { name: '添加到日历' }).getAttribute('href')
      assert.equal(ics, `/api/v1/meetings/${shared.meetingId}/calendar.ics`)
      const file = await fetchText(page, /** @type {string} */ (ics))
      assert.match(file.body, /BEGIN:VCALENDAR/)
      await noSidewaysScroll(page)
      await assertNoSeriousViolations(page, 'the meeting (360 px)')
    })
    await step('apply to attend: the code is shown once, and finds the application', async () => {
      assert.equal(await page.getByTestId('attendance-places-left').innerText(), '5')
      await page.getByLabel('姓名').fill('赵强')
      await page.getByLabel('申请理由').fill('我是附近小区居民，关心停车收费调整。')
      await page.getByLabel('电话').fill('13700137000')
      await page.getByRole('button', { name: '提交列席申请' }).click()
      const code = (await page.getByTestId('attendance-code').innerText()).trim()
      await page.getByText('请抄下或截图保存这个申请码').waitFor()
      await page.getByRole('textbox', { name: '申请码' }).fill(code)
      await page.getByRole('button', { name: '查询', exact: true }).click()
      await page.getByTestId('attendance-found').getByText('待审核').waitFor()
      await page.getByRole('button', { name: '撤回申请' }).click()
      await page.getByRole('button', { name: '撤回申请' }).click()
      await page.getByText('申请已撤回。').waitFor()
      await assertNoSeriousViolations(page, 'the meeting after applying (360 px)')
    })
    await step('the decision lists the meeting among its related meetings', async () => {
      await page.goto(`/consultations/${shared.decisionId}`)
      const related = page.getByTestId('related-meetings')
      await related.getByRole('heading', { level: 2, name: '相关会议' }).waitFor()
      await related.getByRole('link', { name: MEETING_TITLE }).waitFor()
      assert.equal(await related.getByRole('link', { name: /观看本项回放/ }).getAttribute('href'), 'https://live.example.cn/hearing/replay.mp4#t=120')
    })
    await step('in English, the meeting page is accessible too', async () => {
      await page.goto(`/meetings/${shared.meetingId}`)
      await page.getByRole('heading', { level: 1, name: MEETING_TITLE }).waitFor()
      await page.getByRole('button', { name: 'English' }).click()
      await page.getByRole('heading', { level: 2, name: 'Agenda' }).waitFor()
      await page.getByText('Attend or watch').waitFor()
      await assertNoSeriousViolations(page, 'the meeting (en, 360 px)')
    })
    assert.deepEqual(problems, [])
    await context.close()
  })
})
