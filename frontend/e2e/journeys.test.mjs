// End-to-end journeys against the real service and the built frontend, in Chromium.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertNoSeriousViolations } from './lib/axe.mjs'
import { launchBrowser, stepper, watchPage } from './lib/browser.mjs'
import { startServer } from './lib/server.mjs'

const PASSWORD = 'wenji-demo-2026'
const unique = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`

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

/**
 * A fresh browser context (empty storage) and page for one journey.
 * @param {{ width: number, height: number }} [viewport]
 */
async function openPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, baseURL: server.baseUrl })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  const problems = watchPage(page)
  return { context, page, problems }
}

/**
 * Signs in through the sign-in page (Chinese UI).
 * @param {import('playwright-core').Page} page
 * @param {string} email
 */
async function signIn(page, email, password = PASSWORD) {
  await page.goto('/login')
  await page.getByLabel('电子邮箱').fill(email)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL('**/account')
}

/** @param {import('playwright-core').Page} page */
async function mainText(page) {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ')
}

describe('journeys', () => {
  test('(a) agency staff signs in and sees their account with their agency', async () => {
    const { context, page, problems } = await openPage()
    const step = stepper(page, 'a-staff-account')
    await step('a wrong password is refused in plain words', async () => {
      await page.goto('/login')
      await page.getByLabel('电子邮箱').fill('fgw.staff@wenji.demo')
      await page.getByLabel('密码', { exact: true }).fill('not the password')
      await page.getByRole('button', { name: '登录' }).click()
      await page.getByRole('heading', { level: 2, name: '没能登录' }).waitFor()
      await page.getByText('邮箱或密码不正确。').waitFor()
    })
    await step('sign in', () => signIn(page, 'fgw.staff@wenji.demo'))
    await step('account page shows name, role and agency', async () => {
      await page.getByRole('heading', { level: 1, name: '我的账号' }).waitFor()
      await page.getByText('示范区发展和改革委员会').waitFor()
      const text = await mainText(page)
      assert.match(text, /fgw\.staff@wenji\.demo/)
      assert.match(text, /角色 工作人员/)
      assert.match(text, /所属单位 示范区发展和改革委员会/)
      assert.match(text, /注册时间 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/)
      assert.equal(await page.title(), '我的账号 – 问计')
      await assertNoSeriousViolations(page, 'the account page')
    })
    await step('the header offers the console', async () => {
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作台' }).waitFor()
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(b) a resident registers on a phone: errors in Chinese, then English, then success', async () => {
    const { context, page, problems } = await openPage({ width: 360, height: 740 })
    const step = stepper(page, 'b-register')
    const email = `resident.${unique}@example.cn`
    const password = `quiet river ${unique}`

    await step('open the register page from the header', async () => {
      await page.goto('/')
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '注册' }).click()
      await page.getByRole('heading', { level: 1, name: '注册账号' }).waitFor()
    })
    await step('bad input shows field errors in Chinese next to the fields', async () => {
      await page.getByLabel('名称').fill('王小明')
      await page.getByLabel('电子邮箱').fill('not-an-email')
      await page.getByLabel('密码', { exact: true }).fill('short')
      await page.getByRole('button', { name: '注册' }).click()
      await page.locator('#reg-email-error').waitFor()
      assert.match(await page.locator('#reg-email-error').innerText(), /请输入有效的电子邮箱地址。/)
      assert.match(await page.locator('#reg-password-error').innerText(), /密码至少需要 8 个字符。/)
      assert.equal(await page.getByLabel('电子邮箱').getAttribute('aria-invalid'), 'true')
      const describedBy = (await page.getByLabel('电子邮箱').getAttribute('aria-describedby')) ?? ''
      assert.ok(describedBy.split(' ').includes('reg-email-error'), describedBy)
      // The error summary takes the focus.
      assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ''), /提交的内容有误/)
    })
    await step('switching to English translates the errors without a reload', async () => {
      await page.getByRole('button', { name: 'English' }).click()
      await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor()
      assert.match(await page.locator('#reg-email-error').innerText(), /Enter a valid e-mail address\./)
      assert.match(await page.locator('#reg-password-error').innerText(), /The password needs at least 8 characters\./)
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en')
      assert.equal(await page.title(), 'Create an account – Wenji')
      assert.equal(await page.evaluate(() => localStorage.getItem('wenji.locale')), 'en')
    })
    await step('nothing is cut off at 360 px', async () => {
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      assert.ok(width <= 360, `page is ${width}px wide`)
    })
    await step('a common password is refused, in English', async () => {
      await page.getByLabel('E-mail address').fill(email)
      await page.getByLabel('Password', { exact: true }).fill('password')
      await page.getByRole('button', { name: 'Create account' }).click()
      await page.locator('#reg-password-error').getByText('too common').waitFor()
      assert.equal(await page.locator('#reg-email-error').count(), 0)
    })
    await step('registering properly signs the resident in', async () => {
      await page.getByLabel('Password', { exact: true }).fill(password)
      await page.getByRole('button', { name: 'Create account' }).click()
      await page.waitForURL('**/account')
      await page.getByText('Your account has been created and you are signed in.').waitFor()
      await page.getByRole('definition').filter({ hasText: email }).waitFor()
      const text = await mainText(page)
      assert.match(text, /王小明/)
      assert.match(text, new RegExp(email.replace(/\./g, '\\.')))
      assert.match(text, /Role Resident/)
      assert.match(text, /Registered \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}/)
    })
    await step('sign out from the account menu', async () => {
      await page.getByRole('button', { name: /Account menu/ }).click()
      const box = await page.getByRole('button', { name: 'Sign out' }).boundingBox()
      assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `the menu is off screen: ${JSON.stringify(box)}`)
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.waitForURL((url) => url.pathname === '/')
      await page.getByText('You have signed out.').waitFor()
    })
    await step('sign in again with the new account', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).click()
      await page.getByLabel('E-mail address').fill(email)
      await page.getByLabel('Password', { exact: true }).fill(password)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL('**/account')
      await page.getByText('王小明').first().waitFor()
    })
    await step('the language choice survives a reload', async () => {
      await page.reload()
      await page.getByRole('heading', { level: 1, name: 'My account' }).waitFor()
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en')
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(c) the platform admin adds a policy area in the console', async () => {
    const { context, page, problems } = await openPage()
    const step = stepper(page, 'c-policy-area')
    const name = `测试领域${unique}`
    await step('sign in', () => signIn(page, 'admin@wenji.demo'))
    await step('open the console and its policy areas', async () => {
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作台' }).click()
      await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '管理政策领域' }).click()
      await page.getByRole('heading', { level: 1, name: '管理政策领域' }).waitFor()
      await page.getByText('城乡规划').first().waitFor()
    })
    await step('an invalid code is refused next to the field', async () => {
      await page.getByLabel('名称', { exact: true }).fill(name)
      await page.getByLabel('英文名称').fill(`Test area ${unique}`)
      await page.getByLabel('代码').fill('Bad Code')
      await page.getByRole('button', { name: '新增' }).click()
      await page.locator('#pa-code-error').getByText('代码须为 2 至 64 位小写字母').waitFor()
    })
    await step('a valid policy area is added and listed', async () => {
      await page.getByLabel('代码').fill(`e2e_${unique}`)
      await page.getByRole('button', { name: '新增' }).click()
      await page.getByRole('status').getByText(`已新增“${name}”。`).waitFor()
      await page.getByRole('list', { name: '政策领域列表' }).getByText(name).waitFor()
      await assertNoSeriousViolations(page, 'the console’s policy areas')
    })
    await step('the public list shows it too', async () => {
      await page.goto('/policy-areas')
      await page.getByRole('list', { name: '政策领域列表' }).getByText(name).waitFor()
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(d) an agency admin creates a staff account for their agency', async () => {
    const { context, page, problems } = await openPage()
    const step = stepper(page, 'd-staff')
    const staffName = `李四${unique}`
    const staffEmail = `li.si.${unique}@wenji.demo`
    await step('sign in', () => signIn(page, 'fgw.admin@wenji.demo'))
    await step("open the agency's staff page from the console", async () => {
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作台' }).click()
      await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '本单位工作人员' }).click()
      await page.getByRole('heading', { level: 1, name: /工作人员 — 示范区发展和改革委员会/ }).waitFor()
      await page.getByText('fgw.staff@wenji.demo').waitFor()
    })
    await step('create a staff account', async () => {
      await page.getByLabel('名称').fill(staffName)
      await page.getByLabel('电子邮箱').fill(staffEmail)
      await page.getByLabel('初始密码').fill(`initial pass ${unique}`)
      await page.getByLabel('角色').selectOption('agency_staff')
      await page.getByRole('button', { name: '新增账号' }).click()
      await page.getByText(`已为“${staffName}”创建账号。`).waitFor()
      await page.getByRole('list', { name: /的工作人员/ }).getByText(staffEmail).waitFor()
      await assertNoSeriousViolations(page, 'the agency staff page')
    })
    await step('the agency tree offers only their own agency’s staff', async () => {
      await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '机关单位' }).click()
      await page.getByRole('heading', { level: 1, name: '机关单位' }).waitFor()
      await page.getByText('示范区住房和城乡建设局').waitFor()
      const links = await page.getByRole('link', { name: /的工作人员$/ }).allInnerTexts()
      assert.deepEqual(links, ['示范区发展和改革委员会的工作人员'])
      assert.equal(await page.getByRole('heading', { name: '新增机关单位' }).count(), 0)
      await assertNoSeriousViolations(page, 'the agency tree')
    })
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('(e) a session that ended elsewhere sends the person to sign in, then back', async () => {
    const { context, page, problems } = await openPage()
    const step = stepper(page, 'e-session-ended')
    await step('sign in and let the account page load', async () => {
      await signIn(page, 'zjj.admin@wenji.demo')
      await page.getByText('示范区住房和城乡建设局').waitFor()
    })
    await step('the session is ended behind the page’s back', async () => {
      const status = await page.evaluate(async () => {
        const stored = JSON.parse(localStorage.getItem('wenji.session') ?? '{}')
        const r = await fetch('/api/v1/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${stored.token}` } })
        return r.status
      })
      assert.equal(status, 204)
    })
    await step('the next request lands on sign-in with a notice', async () => {
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作台' }).click()
      await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '本单位工作人员' }).click()
      await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirect') !== null)
      await page.getByRole('heading', { level: 1, name: '登录' }).waitFor()
      await page.getByRole('status').getByText('您的登录已结束，请重新登录。').waitFor()
      assert.equal(await page.getByRole('button', { name: /账号菜单/ }).count(), 0)
    })
    await step('signing in again returns to the page', async () => {
      await page.getByLabel('电子邮箱').fill('zjj.admin@wenji.demo')
      await page.getByLabel('密码', { exact: true }).fill(PASSWORD)
      await page.getByRole('button', { name: '登录' }).click()
      await page.getByRole('heading', { level: 1, name: /工作人员 — 示范区住房和城乡建设局/ }).waitFor()
    })
    assert.deepEqual(problems, [])
    await context.close()
  })
})
