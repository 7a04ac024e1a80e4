// Journeys of the statistics: the platform admin's dashboard in the console (filter by agency
// and by year, the figures follow the API, sort the ranking, download the Excel file and read
// it), and the public page in both languages at 360 px and on the desktop (axe, keyboard,
// no sideways scrolling, 200 % text, a month range the server refuses).
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { assertNoSeriousViolations } from './lib/axe.mjs'
import { launchBrowser, openPage, stepper } from './lib/browser.mjs'
import { noSidewaysScroll } from './lib/pages.mjs'
import { startServer } from './lib/server.mjs'
import { apiCall, PASSWORD, seedConsultation } from './lib/seed.mjs'

const FGW = '示范区发展和改革委员会'
const TITLE = '示范区公共充电设施建设管理办法（征求意见稿）'

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server
/** @type {import('playwright-core').Browser} */
let browser
let fgwId = ''
const downloads = mkdtempSync(join(tmpdir(), 'wenji-stats-'))

/** This year in China, where the API counts months. */
const thisYear = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()))

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
  // A consultation of 示范区发展和改革委员会 that closes in a few seconds, with a published
  // comment; once it has closed, its feedback report is published (on time).
  const { id, token } = await seedConsultation(server.baseUrl, { title: TITLE, closesInSeconds: 4 })
  const d = await apiCall(server.baseUrl, `/decisions/${id}`)
  const wait = Date.parse(d.consultation.closes_at) - Date.now() + 500
  if (wait > 0) await new Promise((r) => setTimeout(r, wait))
  await apiCall(server.baseUrl, `/decisions/${id}/feedback-reports`, { token, body: {} })
  const agencies = await apiCall(server.baseUrl, '/agencies?per_page=200')
  fgwId = agencies.items.find((/** @type {any} */ a) => a.name === FGW).id
})

after(async () => {
  await browser?.close()
  await server?.stop()
  rmSync(downloads, { recursive: true, force: true })
})

/**
 * The figures the API answers for a filter (the page must show the same).
 * @param {Record<string, string | number>} [query]
 */
async function overview(query = {}) {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString()
  return apiCall(server.baseUrl, `/statistics/overview${qs ? `?${qs}` : ''}`)
}

/**
 * Waits until a headline figure shows `text`.
 * @param {import('playwright-core').Page} page @param {string} figure @param {string} text
 */
async function figureIs(page, figure, text) {
  const el = page.locator(`[data-figure="${figure}"]`)
  try {
    await page.waitForFunction(([sel, want]) => document.querySelector(sel)?.textContent?.trim() === want, [`[data-figure="${figure}"]`, text])
  } catch {
    assert.equal((await el.textContent())?.trim(), text, `headline figure ${figure}`)
  }
}

/**
 * Waits until a select shows `value` (its options, such as the agencies, load after the page).
 * @param {import('playwright-core').Page} page @param {string} selector @param {string} value
 */
async function selectIs(page, selector, value) {
  try {
    await page.waitForFunction(([sel, want]) => /** @type {HTMLSelectElement | null} */ (document.querySelector(sel))?.value === want, [selector, value])
  } catch {
    assert.equal(await page.locator(selector).inputValue(), value, selector)
  }
}

/**
 * Every chart is an image with a label, drawn (an SVG inside), with a table of its numbers
 * in the same figure.
 * @param {import('playwright-core').Page} page
 */
async function assertChartsHaveTables(page) {
  await page.waitForFunction(() => {
    const charts = [...document.querySelectorAll('.stat-chart')]
    return charts.length > 0 && charts.every((c) => c.querySelector('svg'))
  })
  const charts = await page.evaluate(() =>
    [...document.querySelectorAll('.stat-chart')].map((c) => ({
      role: c.getAttribute('role'),
      label: c.getAttribute('aria-label') ?? '',
      table: c.closest('figure')?.querySelector('table caption')?.textContent?.trim() ?? '',
    })),
  )
  assert.equal(charts.length, 3, 'adoption, monthly and channel charts')
  for (const c of charts) {
    assert.equal(c.role, 'img')
    assert.ok(c.label.length > 10, `chart label: ${c.label}`)
    assert.ok(c.table.length > 0, `the chart labelled "${c.label}" has a table`)
  }
}

/**
 * Reads an .xlsx (a zip) with `unzip`: the first sheet's rows as arrays of cell texts.
 * @param {string} file
 * @returns {string[][]}
 */
function readXlsx(file) {
  const entry = (/** @type {string} */ name) => execFileSync('unzip', ['-p', file, name], { encoding: 'utf8' })
  const unescape = (/** @type {string} */ s) =>
    s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
  const shared = [...entry('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    unescape([...m[1].matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')),
  )
  const sheet = entry('xl/worksheets/sheet1.xml')
  return [...sheet.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)].map((row) =>
    [...row[1].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((c) => {
      const value = /<v>([\s\S]*?)<\/v>/.exec(c[2] ?? '')?.[1] ?? ''
      return /\bt="s"/.test(c[1]) ? shared[Number(value)] : unescape(value)
    }),
  )
}

describe('statistics', () => {
  test('the platform admin filters the dashboard by agency and year, sorts the ranking and downloads the Excel file', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl, { viewport: { width: 1280, height: 900 }, acceptDownloads: true })
    const step = stepper(page, 'statistics-console')
    const all = await overview()
    const agency = await overview({ agency_id: fgwId })
    const agencyYear = await overview({ agency_id: fgwId, year: thisYear })
    const agencyLastYear = await overview({ agency_id: fgwId, year: thisYear - 1 })
    assert.ok(agency.consultations < all.consultations, 'the agency has fewer consultations than the district')
    assert.ok(agency.reports_on_time >= 1, 'the seeded report counts as on time')
    assert.equal(agencyLastYear.consultations, 0)

    await step('sign in as the platform admin', async () => {
      await page.goto('/login')
      await page.getByLabel('电子邮箱').fill('admin@wenji.demo')
      await page.getByLabel('密码', { exact: true }).fill(PASSWORD)
      await page.getByRole('button', { name: '登录' }).click()
      await page.waitForURL('**/account')
    })
    await step('open the dashboard from the console navigation', async () => {
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作台' }).click()
      await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '统计分析' }).click()
      await page.getByRole('heading', { level: 1, name: '统计分析' }).waitFor()
      assert.equal(await page.title(), '统计分析 – 问计')
      // The platform admin has no agency: every agency is shown.
      await selectIs(page, '#cst-agency', '')
      await figureIs(page, 'consultations', String(all.consultations))
      await figureIs(page, 'comments', all.comments.toLocaleString('zh-CN'))
      await page.getByText('正在显示：全部机关单位，全部时间').waitFor()
      await assertChartsHaveTables(page)
    })
    await step('filter by agency: the figures change to the agency’s', async () => {
      await page.locator('#cst-agency').selectOption(fgwId)
      await page.getByRole('button', { name: '显示统计' }).click()
      await page.waitForURL(`**/console/statistics?agency=${fgwId}`)
      await figureIs(page, 'consultations', String(agency.consultations))
      await figureIs(page, 'reports_on_time', String(agency.reports_on_time))
      await figureIs(page, 'comments', agency.comments.toLocaleString('zh-CN'))
      await page.getByText(`正在显示：${FGW}（含下属单位），全部时间`).waitFor()
      const rows = await page.locator('table[data-table="ranking"] tbody th').allTextContents()
      assert.deepEqual(rows, [FGW], 'the ranking lists the agency (it has no sub-agency with consultations)')
    })
    await step('filter by year: last year has nothing, this year has the agency’s figures', async () => {
      await page.locator('#cst-period').selectOption('year')
      await page.locator('#cst-year').selectOption(String(thisYear - 1))
      await page.getByRole('button', { name: '显示统计' }).click()
      await page.waitForURL(`**/console/statistics?agency=${fgwId}&year=${thisYear - 1}`)
      await figureIs(page, 'consultations', '0')
      await page.getByText('这个范围内没有征求意见的事项。').waitFor()
      await page.getByText('这个范围内没有机关单位征求过意见。').waitFor()
      await page.locator('#cst-year').selectOption(String(thisYear))
      await page.getByRole('button', { name: '显示统计' }).click()
      await page.waitForURL(`**/console/statistics?agency=${fgwId}&year=${thisYear}`)
      await figureIs(page, 'consultations', String(agencyYear.consultations))
      await page.getByText(`正在显示：${FGW}（含下属单位），${thisYear} 年`).waitFor()
    })
    await step('the address keeps the view: a reload shows the same', async () => {
      await page.reload()
      await page.getByRole('heading', { level: 1, name: '统计分析' }).waitFor()
      await selectIs(page, '#cst-agency', fgwId)
      await selectIs(page, '#cst-year', String(thisYear))
      await figureIs(page, 'consultations', String(agencyYear.consultations))
    })
    await step('sort the ranking by adoption rate', async () => {
      await page.locator('#cst-sort').selectOption('adoption_rate')
      await page.waitForURL(/sort=adoption_rate/)
      assert.equal(await page.locator('table[data-table="ranking"] th[aria-sort]').textContent(), '采纳率')
      assert.equal(await page.locator('table[data-table="ranking"] th[aria-sort]').getAttribute('aria-sort'), 'descending')
      await page.locator('#cst-order').selectOption('asc')
      await page.waitForURL(/order=asc/)
      assert.equal(await page.locator('table[data-table="ranking"] th[aria-sort]').getAttribute('aria-sort'), 'ascending')
    })
    await step('axe on the dashboard', async () => {
      await assertChartsHaveTables(page)
      await assertNoSeriousViolations(page, '/console/statistics (filtered)')
      await noSidewaysScroll(page)
    })
    await step('download the ranking as Excel and read it', async () => {
      const link = page.getByRole('link', { name: '各机关单位数据（Excel）' })
      assert.equal(await link.getAttribute('href'), `/api/v1/statistics/agencies.xlsx?agency_id=${fgwId}&year=${thisYear}`)
      const csv = page.getByRole('link', { name: '各机关单位数据（CSV）' })
      assert.equal(await csv.getAttribute('href'), `/api/v1/statistics/agencies.csv?agency_id=${fgwId}&year=${thisYear}`)
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
      assert.equal(download.suggestedFilename(), 'statistics-agencies.xlsx')
      const file = join(downloads, 'agencies.xlsx')
      await download.saveAs(file)
      const rows = readXlsx(file)
      assert.equal(rows[0][0], '机关单位')
      assert.equal(rows[0][1], '征求意见事项')
      assert.equal(rows[0][2], '收到意见')
      assert.equal(rows.length, 2, 'the header and the one agency')
      assert.equal(rows[1][0], FGW)
      assert.equal(Number(rows[1][1]), agencyYear.consultations)
      assert.equal(Number(rows[1][2]), agencyYear.comments)
    })
    await step('the monthly series downloads too', async () => {
      const link = page.getByRole('link', { name: '每月数据（Excel）' })
      assert.equal(await link.getAttribute('href'), `/api/v1/statistics/monthly.xlsx?agency_id=${fgwId}&year=${thisYear}`)
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
      const file = join(downloads, 'monthly.xlsx')
      await download.saveAs(file)
      const rows = readXlsx(file)
      assert.ok(rows.length >= 2, 'a header and at least one month')
      const total = rows.slice(1).reduce((s, r) => s + Number(r[1]), 0)
      assert.equal(total, agencyYear.consultations, 'the months add up to the year')
    })
    await step('every agency again (the platform admin’s default: the address names none)', async () => {
      await page.locator('#cst-agency').selectOption('')
      await page.getByRole('button', { name: '显示统计' }).click()
      await page.waitForURL((url) => !url.search.includes('agency=') && url.search.includes(`year=${thisYear}`))
      await figureIs(page, 'consultations', String((await overview({ year: thisYear })).consultations))
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('staff start at their own agency', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl, { viewport: { width: 1280, height: 900 }, acceptDownloads: true })
    const step = stepper(page, 'statistics-staff')
    await step('sign in as staff of the agency', async () => {
      await page.goto('/login')
      await page.getByLabel('电子邮箱').fill('fgw.staff@wenji.demo')
      await page.getByLabel('密码', { exact: true }).fill(PASSWORD)
      await page.getByRole('button', { name: '登录' }).click()
      await page.waitForURL('**/account')
    })
    await step('the dashboard shows the agency’s figures', async () => {
      await page.goto('/console/statistics')
      await page.getByRole('heading', { level: 1, name: '统计分析' }).waitFor()
      await selectIs(page, '#cst-agency', fgwId)
      await figureIs(page, 'consultations', String((await overview({ agency_id: fgwId })).consultations))
      await page.getByText(`正在显示：${FGW}（含下属单位），全部时间`).waitFor()
    })
    await step('every agency: the address says so, and a reload keeps it', async () => {
      await page.locator('#cst-agency').selectOption('')
      await page.getByRole('button', { name: '显示统计' }).click()
      await page.waitForURL('**/console/statistics?agency=all')
      await figureIs(page, 'consultations', String((await overview()).consultations))
      await page.reload()
      await page.getByRole('heading', { level: 1, name: '统计分析' }).waitFor()
      await selectIs(page, '#cst-agency', '')
      await figureIs(page, 'consultations', String((await overview()).consultations))
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  for (const locale of /** @type {const} */ (['zh-CN', 'en'])) {
    for (const viewport of [
      { name: 'phone', width: 360, height: 740 },
      { name: 'desktop', width: 1280, height: 900 },
    ]) {
      test(`the public page (${locale}, ${viewport.name}): axe, no sideways scrolling, keyboard`, async () => {
        const { context, page, problems } = await openPage(browser, server.baseUrl, { viewport, locale, acceptDownloads: true })
        const step = stepper(page, `statistics-public-${locale}-${viewport.name}`)
        const h1 = locale === 'en' ? 'Statistics' : '统计数据'
        const all = await overview()
        await step('reach it from the main navigation', async () => {
          await page.goto('/')
          await page.getByRole('navigation', { name: locale === 'en' ? 'Main' : '主导航' }).getByRole('link', { name: h1 }).click()
          await page.getByRole('heading', { level: 1, name: h1 }).waitFor()
          assert.equal(await page.evaluate(() => document.documentElement.lang), locale)
          await figureIs(page, 'consultations', String(all.consultations))
          await figureIs(page, 'adoption_rate', `${(Math.round(all.adoption_rate * 1000) / 10).toString()}%`)
          await assertChartsHaveTables(page)
        })
        await step('axe and width', async () => {
          await page.waitForLoadState('networkidle')
          await assertNoSeriousViolations(page, `/statistics (${locale}, ${viewport.name})`)
          await noSidewaysScroll(page)
        })
        await step('filter with the keyboard', async () => {
          await page.locator('#st-agency').focus()
          await page.locator('#st-agency').selectOption(fgwId)
          // Area, period, then the button.
          for (let i = 0; i < 6; i++) {
            await page.keyboard.press('Tab')
            if ((await page.evaluate(() => document.activeElement?.getAttribute('type'))) === 'submit') break
          }
          await page.keyboard.press('Enter')
          await page.waitForURL(`**/statistics?agency=${fgwId}`)
          await figureIs(page, 'consultations', String((await overview({ agency_id: fgwId })).consultations))
        })
        await step('the tables can be scrolled with the keyboard', async () => {
          const regions = page.locator('.table-wrap[role="region"][tabindex="0"]')
          assert.equal(await regions.count(), 4)
          await regions.last().focus()
          assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'region')
        })
        await step('a month range the wrong way round is refused at the fields', async () => {
          await page.locator('#st-period').selectOption('months')
          await page.locator('#st-from').fill(`${thisYear}-09`)
          await page.locator('#st-to').fill(`${thisYear}-03`)
          await page.locator('form[role="search"] button[type="submit"]').click()
          await page.waitForURL(/from=/)
          const summary = page.locator('.alert--error')
          await summary.waitFor()
          assert.equal(await summary.locator('h2').textContent(), locale === 'en' ? 'Correct the filters and try again.' : '请修改筛选条件后再试。')
          await page.locator('#st-from-error, #st-to-error').first().waitFor()
          assert.equal(await page.locator('[data-figure]').count(), 0, 'no figures for a refused filter')
          await assertNoSeriousViolations(page, `/statistics with a refused filter (${locale}, ${viewport.name})`)
          await noSidewaysScroll(page)
        })
        await step('a month range the right way round', async () => {
          await page.locator('#st-from').fill(`${thisYear}-01`)
          await page.locator('#st-to').fill(`${thisYear}-12`)
          await page.locator('form[role="search"] button[type="submit"]').click()
          await page.waitForURL(`**/statistics?agency=${fgwId}&from=${thisYear}-01&to=${thisYear}-12`)
          const want = await overview({ agency_id: fgwId, from: `${thisYear}-01`, to: `${thisYear}-12` })
          await figureIs(page, 'consultations', String(want.consultations))
          await assertChartsHaveTables(page)
        })
        if (locale === 'zh-CN') {
          await step('200 % text: nothing cut off, no sideways scrolling', async () => {
            await page.evaluate(() => {
              document.documentElement.style.fontSize = '225%'
            })
            const report = await page.evaluate(() => {
              const vw = document.documentElement.clientWidth
              const clipped = [...document.querySelectorAll('a, button, input, select, h1')]
                .map((el) => ({ el, r: el.getBoundingClientRect() }))
                .filter(({ r }) => r.width > 0 && (r.left < -1 || r.right > vw + 1))
                .map(({ el }) => el.outerHTML.slice(0, 80))
              return { scrollWidth: document.documentElement.scrollWidth, vw, clipped }
            })
            assert.ok(report.scrollWidth <= report.vw, `${report.scrollWidth}px wide in a ${report.vw}px viewport`)
            assert.deepEqual(report.clipped, [])
          })
        }
        assert.deepEqual(problems, [])
        await context.close()
      })
    }
  }
})
