// Journeys of the console's meetings and open days: staff schedule a meeting with an open and
// a closed agenda item and take its livestream live (a second meeting at the same venue and
// time is refused, naming the first); staff check people in at the door on a phone; the
// waiting list moves up when someone cancels. One server; the journeys are independent.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { chromium } from 'playwright-core'
import QRCode from 'qrcode'
import { assertNoSeriousViolations } from './lib/axe.mjs'
import { CHROMIUM, launchBrowser, openPage, stepper, watchPage } from './lib/browser.mjs'
import { noSidewaysScroll, signIn } from './lib/pages.mjs'
import { startServer } from './lib/server.mjs'
import { apiCall, tokenFor } from './lib/seed.mjs'

// Livestream links must be https on an allowed host; the server reads the list from here.
process.env.WENJI_EMBED_HOSTS ??= 'https://live.example.cn'

const STAFF = 'fgw.staff@wenji.demo'

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server
/** @type {import('playwright-core').Browser} */
let browser
/** @type {string} */
let staffToken

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
  staffToken = await tokenFor(server.baseUrl, STAFF)
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

/**
 * A `datetime-local` value in Beijing time, `days` from today, at `hhmm`.
 * @param {number} days @param {string} hhmm
 */
function beijingInput(days, hhmm) {
  const d = new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000)
  return `${d.toISOString().slice(0, 10)}T${hhmm}`
}

/** The end of today in Beijing (23:59), as an instant. */
function endOfBeijingDay() {
  const d = new Date(Date.now() + 8 * 3_600_000)
  return Date.parse(`${d.toISOString().slice(0, 10)}T23:59:00+08:00`)
}

/**
 * An open day of the staff's agency, made through the API, registration open now.
 * @param {{ title: string, venue: string, capacity: number, startsAt: number, endsAt: number }} o
 */
async function seedOpenDay(o) {
  return apiCall(server.baseUrl, '/open-days', {
    token: staffToken,
    body: {
      title: o.title,
      description: '走进机关，了解决策过程。',
      venue: o.venue,
      starts_at: new Date(o.startsAt).toISOString(),
      ends_at: new Date(o.endsAt).toISOString(),
      capacity: o.capacity,
      registration_opens_at: new Date(Date.now() - 60_000).toISOString(),
      registration_closes_at: new Date(o.startsAt).toISOString(),
      eligibility: '本区居民',
      required_fields: ['phone'],
    },
  })
}

/** @param {string} dayId @param {string} name @param {string} phone */
async function register(dayId, name, phone) {
  return apiCall(server.baseUrl, `/open-days/${dayId}/registrations`, { body: { name, phone } })
}

/**
 * A few seconds of video showing one QR code, as Chromium's fake camera reads it (Y4M, 4:2:0).
 * @param {string} text @param {string} file
 */
function qrVideo(text, file) {
  const W = 640
  const H = 480
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const n = qr.modules.size
  const scale = Math.floor(360 / (n + 8))
  const x0 = (W - scale * (n + 8)) >> 1
  const y0 = (H - scale * (n + 8)) >> 1
  const luma = Buffer.alloc(W * H, 235)
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (qr.modules.get(r, c))
        for (let y = 0; y < scale; y++) luma.fill(16, (y0 + (r + 4) * scale + y) * W + x0 + (c + 4) * scale, (y0 + (r + 4) * scale + y) * W + x0 + (c + 5) * scale)
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, Buffer.alloc(W * H / 2, 128)])
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), ...Array(10).fill(frame)]))
}

describe('meetings and open days in the console', () => {
  test('(1) staff schedule a meeting with an open and a closed item and take its stream live', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl)
    const step = stepper(page, 'ev1-meeting')
    const venue = '示范区行政中心第一会议室'
    const starts = beijingInput(30, '09:00')
    const ends = beijingInput(30, '11:00')
    let id = ''
    await step('the console lists the meetings and offers to schedule one', async () => {
      await signIn(page, STAFF)
      await page.goto('/console')
      await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '会议' }).click()
      await page.getByRole('heading', { level: 1, name: '会议' }).waitFor()
      await assertNoSeriousViolations(page, 'the meetings list')
      await page.getByRole('link', { name: '安排会议' }).click()
      await page.getByRole('heading', { level: 1, name: '安排会议' }).waitFor()
    })
    await step('fill in the meeting and its agenda: one item open, one closed', async () => {
      await page.getByLabel('会议名称').fill('示范区停车管理专题会议')
      await page.getByLabel('会议类型').selectOption({ label: '专题会议' })
      await page.getByLabel('开始时间').fill(starts)
      await page.getByLabel('结束时间', { exact: true }).fill(ends)
      await page.getByLabel('会议地点').fill(venue)
      await page.getByLabel('列席名额').fill('10')
      const first = page.locator('[data-item="1"]')
      await first.getByLabel('议题').fill('审议停车收费标准调整方案')
      await first.getByLabel('公开方式').selectOption({ label: '列席并直播' })
      await page.getByRole('button', { name: '添加议程项' }).click()
      const second = page.locator('[data-item="2"]')
      // The focus moves to the new item's subject.
      await page.waitForFunction(() => document.activeElement?.closest('[data-item="2"]') !== null)
      await second.getByLabel('议题').fill('人事事项')
      await second.getByLabel('公开方式').selectOption({ label: '不公开' })
      // Reorder with the keyboard-usable buttons, then back.
      await second.getByRole('button', { name: '上移第 2 项' }).click()
      assert.equal(await page.locator('[data-item="1"]').getByLabel('议题').inputValue(), '人事事项')
      await page.locator('[data-item="1"]').getByRole('button', { name: '下移第 1 项' }).click()
      assert.equal(await page.locator('[data-item="1"]').getByLabel('议题').inputValue(), '审议停车收费标准调整方案')
      await assertNoSeriousViolations(page, 'the meeting form')
      await page.getByRole('button', { name: '安排会议', exact: true }).click()
      await page.waitForURL(/\/console\/meetings\/[0-9a-f-]{36}$/)
      id = page.url().split('/').pop() ?? ''
      await page.getByRole('heading', { level: 1, name: '示范区停车管理专题会议' }).waitFor()
    })
    await step('set the HLS link and start the stream', async () => {
      await page.getByTestId('stream-state').getByText('未开始').waitFor()
      await page.getByLabel('HLS 直播流（.m3u8）').fill('https://live.example.cn/live/a.m3u8')
      await page.getByRole('button', { name: '保存直播链接' }).click()
      await page.getByText('直播链接已保存。').waitFor()
      await page.getByRole('button', { name: '开始直播' }).click()
      await page.getByText('直播状态已变为“直播中”。').waitFor()
      await page.getByTestId('stream-state').getByText('直播中').waitFor()
      await assertNoSeriousViolations(page, 'the meeting page, live')
    })
    await step('a replay offset for the streamed item only', async () => {
      await page.getByLabel('回放链接').fill('https://live.example.cn/replay/a.mp4')
      const offset = page.getByLabel(/第 1 项开始于/)
      await offset.fill('1:2:3:4')
      await page.getByRole('button', { name: '保存回放' }).click()
      await page.locator('.field-error').getByText('时间点应写成 时:分:秒 或 分:秒，且不超过 24 小时。').waitFor()
      await offset.fill('12:30')
      await page.getByRole('button', { name: '保存回放' }).click()
      await page.getByText('回放已保存。').waitFor()
      // Only the streamed item is offered an offset.
      assert.equal(await page.getByLabel(/第 2 项开始于/).count(), 0)
    })
    await step('the API says live, and the closed item has no replay link', async () => {
      const m = await apiCall(server.baseUrl, `/meetings/${id}`)
      assert.equal(m.stream.state, 'live')
      assert.equal(m.stream.hls_url, 'https://live.example.cn/live/a.m3u8')
      const open = m.agenda.find((/** @type {any} */ a) => a.openness === 'both')
      const closed = m.agenda.find((/** @type {any} */ a) => a.openness === 'closed')
      assert.equal(open.replay_offset_seconds, 750)
      assert.ok(open.replay_link, 'the open item links into the replay')
      assert.equal(closed.replay_link ?? null, null)
    })
    await step('edit the meeting: the items keep their replay offsets', async () => {
      await page.getByRole('button', { name: '修改会议' }).click()
      await page.locator('#mm-edit').locator('..').getByLabel('会议名称').fill('示范区停车管理专题会议（第二次）')
      await page.getByRole('button', { name: '保存会议' }).click()
      await page.getByText('会议已保存。').waitFor()
      await page.getByRole('heading', { level: 1, name: '示范区停车管理专题会议（第二次）' }).waitFor()
      const m = await apiCall(server.baseUrl, `/meetings/${id}`)
      assert.equal(m.agenda.find((/** @type {any} */ a) => a.openness === 'both').replay_offset_seconds, 750)
    })
    await step('approve one attendance request and decline another with a reason', async () => {
      for (const [name, phone] of [['刘居民', '13600000001'], ['陈记者', '13600000002']]) {
        await apiCall(server.baseUrl, `/meetings/${id}/attendance-requests`, {
          body: { name, category: 'resident', reason: '关心停车收费调整。', phone },
        })
      }
      await page.reload()
      const places = page.getByTestId('attendance-places')
      await places.getByText('名额 10 个，已同意 0 个，剩余 10 个。').waitFor()
      await page.getByRole('button', { name: '同意 刘居民', exact: true }).click()
      await page.getByText('已同意 刘居民 列席。').waitFor()
      await places.getByText('名额 10 个，已同意 1 个，剩余 9 个。').waitFor()
      await page.getByRole('button', { name: '不同意 陈记者' }).click()
      await page.getByRole('button', { name: '确认不同意' }).click()
      await page.locator('.field-error').getByText('请填写不同意的理由。').waitFor()
      await page.getByLabel('不同意的理由').fill('名额有限，已优先安排居民代表。')
      await page.getByRole('button', { name: '确认不同意' }).click()
      await page.getByText('已告知 陈记者：不同意列席。').waitFor()
      await page.getByText('理由：名额有限，已优先安排居民代表。').waitFor()
      await assertNoSeriousViolations(page, 'the meeting page with attendance requests')
    })
    await step('a second meeting at the same venue and time is refused, naming the first', async () => {
      await page.goto('/console/meetings/new')
      await page.getByLabel('会议名称').fill('另一个会议')
      await page.getByLabel('开始时间').fill(beijingInput(30, '10:00'))
      await page.getByLabel('结束时间', { exact: true }).fill(beijingInput(30, '12:00'))
      await page.getByLabel('会议地点').fill(venue)
      await page.locator('[data-item="1"]').getByLabel('议题').fill('其他事项')
      await page.getByRole('button', { name: '安排会议', exact: true }).click()
      const summary = page.locator('.alert--error')
      await summary.getByText(/示范区停车管理专题会议.*时间冲突/).waitFor()
      assert.match(page.url(), /\/console\/meetings\/new$/)
      await assertNoSeriousViolations(page, 'the meeting form with a venue clash')
    })
    await step('cancel the first meeting, with a reason', async () => {
      await page.goto(`/console/meetings/${id}`)
      await page.getByRole('button', { name: '确认取消' }).click()
      await page.locator('.field-error').getByText('请填写取消原因。').waitFor()
      await page.getByLabel('取消原因').fill('因工作安排调整，会议延期。')
      await page.getByRole('button', { name: '确认取消' }).click()
      await page.getByText('会议已取消。').waitFor()
      await page.getByTestId('meeting-status').getByText('已取消').waitFor()
      const m = await apiCall(server.baseUrl, `/meetings/${id}`)
      assert.equal(m.status, 'cancelled')
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(2) check-in at the door on a phone', async () => {
    const now = Date.now()
    const startsAt = now + 2 * 60_000
    const endsAt = Math.min(now + 3 * 3_600_000, endOfBeijingDay())
    assert.ok(endsAt > startsAt + 60_000, 'too close to midnight in Beijing to hold an open day today')
    const day = await seedOpenDay({ title: '发改委政务开放日（今日）', venue: '示范区发改委一楼大厅', capacity: 20, startsAt, endsAt })
    const came = await register(day.id, '王小明', '13800000001')
    const gone = await register(day.id, '赵六', '13800000002')
    await apiCall(server.baseUrl, '/open-day-registrations/cancel', { body: { code: gone.code } })

    const { context, page, problems } = await openPage(browser, server.baseUrl, { viewport: { width: 360, height: 740 } })
    const step = stepper(page, 'ev2-check-in')
    await step('open the check-in page on a phone', async () => {
      await signIn(page, STAFF)
      await page.goto(`/console/open-days/${day.id}/check-in`)
      await page.getByRole('heading', { level: 1, name: '开放日签到' }).waitFor()
      await page.getByText('发改委政务开放日（今日）').waitFor()
      await page.getByRole('button', { name: '扫码' }).waitFor()
      await noSidewaysScroll(page)
      await assertNoSeriousViolations(page, 'the check-in page')
    })
    await step('a typed code checks the person in', async () => {
      await page.getByLabel('确认码').fill(came.code)
      await page.getByRole('button', { name: '签到', exact: true }).click()
      const result = page.getByTestId('check-in-result')
      await result.getByText('签到成功').waitFor()
      await result.getByText('王小明').waitFor()
      await page.getByTestId('check-in-counts').getByText('已签到 1 人').waitFor()
      await noSidewaysScroll(page)
    })
    await step('the same code again: already checked in, with the time', async () => {
      // Typed without its dashes this time.
      await page.getByLabel('确认码').fill(came.code.replace(/-/g, ''))
      await page.keyboard.press('Enter')
      const result = page.getByTestId('check-in-result')
      await result.getByText(/已签到过（\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}）/).waitFor()
      await result.getByText('王小明').waitFor()
    })
    await step('a cancelled registration is refused in the server’s words', async () => {
      await page.getByLabel('确认码').fill(gone.code)
      await page.getByRole('button', { name: '签到', exact: true }).click()
      const result = page.getByTestId('check-in-result')
      await result.getByText('不能签到', { exact: true }).waitFor()
      await result.getByText('该报名已取消，不能签到。').waitFor()
      await page.getByLabel('确认码').fill('NOPE-NOPE')
      await page.getByRole('button', { name: '签到', exact: true }).click()
      await result.getByText('本活动没有与该编码对应的报名。').waitFor()
      await noSidewaysScroll(page)
      await assertNoSeriousViolations(page, 'the check-in page with a refusal')
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(2b) check-in by scanning the QR code with the camera', async () => {
    const now = Date.now()
    const startsAt = now + 2 * 60_000
    const endsAt = Math.min(now + 3 * 3_600_000, endOfBeijingDay())
    assert.ok(endsAt > startsAt + 60_000, 'too close to midnight in Beijing to hold an open day today')
    const day = await seedOpenDay({ title: '发改委政务开放日（扫码）', venue: '示范区发改委三楼会议室', capacity: 20, startsAt, endsAt })
    const reg = await register(day.id, '周扫码', '13700000001')
    // Chromium's fake camera shows the QR code the resident would hold up.
    const dir = mkdtempSync(join(tmpdir(), 'wenji-qr-'))
    const video = join(dir, 'qr.y4m')
    qrVideo(`WJOD:${reg.code}`, video)
    const camBrowser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    })
    try {
      const context = await camBrowser.newContext({ viewport: { width: 360, height: 740 }, baseURL: server.baseUrl, permissions: ['camera'] })
      await context.addInitScript(() => localStorage.setItem('wenji.locale', 'zh-CN'))
      const page = await context.newPage()
      page.setDefaultTimeout(15_000)
      const problems = watchPage(page)
      const step = stepper(page, 'ev2b-scan')
      await step('scan the code: checked in, and the camera is closed', async () => {
        await signIn(page, STAFF)
        await page.goto(`/console/open-days/${day.id}/check-in`)
        await page.getByRole('button', { name: '扫码' }).click()
        const result = page.getByTestId('check-in-result')
        await result.getByText('签到成功').waitFor()
        await result.getByText('周扫码').waitFor()
        assert.equal(await page.locator('video').count(), 0)
        await page.getByRole('button', { name: '扫码' }).waitFor()
      })
      assert.deepEqual(problems, [])
    } finally {
      await camBrowser.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('(3) past capacity a resident waits, and moves up when someone cancels', async () => {
    const startsAt = Date.parse(`${beijingInput(20, '14:00')}:00+08:00`)
    const day = await seedOpenDay({
      title: '发改委政务开放日（候补）',
      venue: '示范区发改委二楼会议室',
      capacity: 1,
      startsAt,
      endsAt: startsAt + 2 * 3_600_000,
    })
    const first = await register(day.id, '钱一', '13900000001')
    const second = await register(day.id, '孙二', '13900000002')
    assert.equal(first.registration.status, 'confirmed')
    assert.equal(second.registration.status, 'waitlisted')

    const { context, page, problems } = await openPage(browser, server.baseUrl)
    const step = stepper(page, 'ev3-waiting-list')
    await step('the registrations show one confirmed and one waiting', async () => {
      await signIn(page, STAFF)
      await page.goto('/console/open-days')
      await page.getByRole('heading', { level: 1, name: '政务开放日' }).waitFor()
      await assertNoSeriousViolations(page, 'the open days list')
      await page.getByRole('link', { name: '发改委政务开放日（候补）', exact: true }).click()
      await page.getByRole('heading', { level: 1, name: '发改委政务开放日（候补）' }).waitFor()
      await page.getByTestId('registration-counts').getByText('已确认 1 人，候补 1 人，已签到 0 人').waitFor()
      await page.getByTestId('waiting-list').getByText('孙二').waitFor()
      await page.locator('tr[data-status="confirmed"]').getByText('钱一').waitFor()
      await assertNoSeriousViolations(page, 'the open day page')
    })
    await step('filter the table by status', async () => {
      await page.getByLabel('报名状态').selectOption({ label: '候补' })
      await page.getByRole('button', { name: '显示' }).click()
      await page.locator('tr[data-status="waitlisted"]').getByText('孙二').waitFor()
      await page.waitForFunction(() => document.querySelectorAll('tr[data-status="confirmed"]').length === 0)
    })
    await step('the first cancels; after a reload the second is confirmed', async () => {
      await apiCall(server.baseUrl, '/open-day-registrations/cancel', { body: { code: first.code } })
      await page.reload()
      await page.getByTestId('registration-counts').getByText('已确认 1 人，候补 0 人，已签到 0 人').waitFor()
      await page.locator('tr[data-status="confirmed"]').getByText('孙二').waitFor()
      await page.locator('tr[data-status="cancelled"]').getByText('钱一').waitFor()
      await page.getByText('候补名单是空的。').waitFor()
    })
    await step('the export downloads a CSV', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出报名名单（CSV）' }).click()])
      assert.match(download.suggestedFilename(), /\.csv$/)
    })
    assert.deepEqual(problems, [])
    await context.close()
  })
})
