// End-to-end journeys against the real service and the built frontend, in Chromium.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { assertNoSeriousViolations } from './lib/axe.mjs'
import { launchBrowser, openPage, stepper, watchPage } from './lib/browser.mjs'
import { noSidewaysScroll, signIn } from './lib/pages.mjs'
import { startServer } from './lib/server.mjs'
import { apiCall, MINIMAL_PDF, tokenFor, uploadAttachment } from './lib/seed.mjs'

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
 * A new staff account of 示范区发展和改革委员会, made through the API by its admin.
 * @param {string} tag
 */
async function newFgwStaff(tag) {
  const token = await tokenFor(server.baseUrl, 'fgw.admin@wenji.demo')
  const me = await apiCall(server.baseUrl, '/auth/me', { token })
  const member = {
    display_name: `${tag}${unique}`,
    email: `${tag === '赵六' ? 'zhao.liu' : 'sun.qi'}.${unique}@wenji.demo`,
    password: `first pass ${unique}`,
  }
  await apiCall(server.baseUrl, `/agencies/${me.agency_id}/staff`, { token, body: { ...member, role: 'agency_staff' } })
  return member
}

/**
 * Opens the staff page of 示范区发展和改革委员会 as its admin (already signed in).
 * @param {import('playwright-core').Page} page
 */
async function openOwnStaffPage(page) {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作台' }).click()
  await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '本单位工作人员' }).click()
  await page.getByRole('heading', { level: 1, name: /工作人员 — 示范区发展和改革委员会/ }).waitFor()
}

/**
 * The card of one staff member in the staff list.
 * @param {import('playwright-core').Page} page
 * @param {string} email
 */
function staffCard(page, email) {
  return page.getByRole('list', { name: /的工作人员/ }).getByRole('listitem').filter({ hasText: email })
}

/**
 * The accessible name of an action button on a staff card: the action and whom it is for
 * (the name is there for screen readers; the browser puts a space before it).
 * @param {string} action @param {string} name
 */
function actionName(action, name) {
  return new RegExp(`^${action}\\s*：${name}$`)
}

/** @param {import('playwright-core').Page} page */
async function mainText(page) {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ')
}

// Every journey's page starts with no stored UI language (`locale: null`), as on a first visit:
// journey (b) switches to English and checks that the choice survives a reload.
describe('journeys', () => {
  test('(a) agency staff signs in and sees their account with their agency', async () => {
    const { context, page, problems } = await openPage(browser, server.baseUrl, { locale: null })
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
    const { context, page, problems } = await openPage(browser, server.baseUrl, { viewport: { width: 360, height: 740 }, locale: null })
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
      const box = await page.getByRole('button', { name: 'Sign out', exact: true }).boundingBox()
      assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `the menu is off screen: ${JSON.stringify(box)}`)
      await page.getByRole('button', { name: 'Sign out', exact: true }).click()
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
    const { context, page, problems } = await openPage(browser, server.baseUrl, { locale: null })
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
    const { context, page, problems } = await openPage(browser, server.baseUrl, { locale: null })
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
    const { context, page, problems } = await openPage(browser, server.baseUrl, { locale: null })
    const step = stepper(page, 'e-session-ended')
    await step('sign in and let the account page load', async () => {
      await signIn(page, 'zjj.admin@wenji.demo')
      await page.getByText('示范区住房和城乡建设局').waitFor()
    })
    await step('the session is ended behind the page’s back', async () => {
      // The page's own cookie goes along; a change needs the session's CSRF token too.
      const status = await page.evaluate(async () => {
        const csrf = sessionStorage.getItem('wenji.csrf') ?? ''
        const r = await fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'X-CSRF-Token': csrf } })
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

  test('(f) an agency admin resets a staff password; the staff member sets a new one with the code and signs in', async () => {
    const member = await newFgwStaff('赵六')
    const admin = await openPage(browser, server.baseUrl, { locale: null })
    const staff = await openPage(browser, server.baseUrl, { viewport: { width: 360, height: 740 }, locale: null })
    const step = stepper(admin.page, 'f-reset')
    const staffStep = stepper(staff.page, 'f-reset-staff')
    const newPassword = `my own choice ${unique}`
    let code = ''

    await step('the admin finds the staff member, active, on the staff page', async () => {
      await signIn(admin.page, 'fgw.admin@wenji.demo')
      await openOwnStaffPage(admin.page)
      const card = staffCard(admin.page, member.email)
      assert.equal(await card.getByTestId('staff-status').innerText(), '正常')
      // Not on their own account.
      const own = staffCard(admin.page, 'fgw.admin@wenji.demo')
      await own.getByText('这是您自己的账号').waitFor()
      assert.equal(await own.getByRole('button').count(), 0)
    })
    await step('resetting asks first, then shows the one-time code once', async () => {
      const card = staffCard(admin.page, member.email)
      await card.getByRole('button', { name: actionName('重置密码', member.display_name) }).click()
      await card.getByText(`重置${member.display_name}的密码？`).waitFor()
      await card.getByRole('button', { name: '确定重置' }).click()
      const box = card.getByTestId('reset-code-box')
      await box.getByRole('heading', { name: `${member.display_name}的重置码` }).waitFor()
      code = (await box.getByTestId('reset-code').innerText()).trim()
      assert.match(code, /^[0-9A-Z]{4,}(-[0-9A-Z]{4,})+$/)
      const text = (await box.innerText()).replace(/\s+/g, ' ')
      assert.match(text, /有效期至 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）/)
      assert.match(text, /重置码只显示这一次/)
      assert.match(text, /\/password-reset/)
      // The focus is on the box's heading, and the staff member's state says a reset waits.
      assert.equal(await admin.page.evaluate(() => document.activeElement?.tagName), 'H2')
      assert.match(await card.getByTestId('staff-status').innerText(), /等待本人设置新密码/)
      // Never a password on the page.
      assert.doesNotMatch(await mainText(admin.page), new RegExp(member.password))
      await assertNoSeriousViolations(admin.page, 'the staff page showing a reset code')
    })
    await step('closing the box forgets the code', async () => {
      await admin.page.getByRole('button', { name: '已交给本人，关闭' }).click()
      assert.doesNotMatch(await mainText(admin.page), new RegExp(code))
    })
    await staffStep('the old password no longer works', async () => {
      await staff.page.goto('/login')
      await staff.page.getByLabel('电子邮箱').fill(member.email)
      await staff.page.getByLabel('密码', { exact: true }).fill(member.password)
      await staff.page.getByRole('button', { name: '登录' }).click()
      await staff.page.getByRole('heading', { level: 2, name: '没能登录' }).waitFor()
    })
    await staffStep('the sign-in page leads to the reset page; a wrong code is refused at its field', async () => {
      await staff.page.getByRole('link', { name: '有重置码？设置新密码' }).click()
      await staff.page.getByRole('heading', { level: 1, name: '设置新密码' }).waitFor()
      assert.equal(await staff.page.title(), '设置新密码 – 问计')
      await staff.page.getByLabel('电子邮箱').fill(member.email)
      await staff.page.getByLabel('重置码').fill('AAAA-BBBB-CCCC-DDDD')
      await staff.page.getByLabel('新密码').fill(newPassword)
      await staff.page.getByRole('button', { name: '设置新密码' }).click()
      await staff.page.locator('#reset-code-error').getByText('重置码不正确或已过期').waitFor()
      assert.equal(await staff.page.getByLabel('重置码').getAttribute('aria-invalid'), 'true')
      await noSidewaysScroll(staff.page)
    })
    await staffStep('the right code (typed in lower case) sets the new password and leads to sign-in', async () => {
      await staff.page.getByLabel('重置码').fill(code.toLowerCase())
      await staff.page.getByRole('button', { name: '设置新密码' }).click()
      await staff.page.waitForURL((url) => url.pathname === '/login')
      await staff.page.getByRole('status').getByText('新密码已设置好，请用新密码登录。').waitFor()
    })
    await staffStep('the code works only once', async () => {
      const status = await staff.page.evaluate(
        async ([email, c]) =>
          (
            await fetch('/api/v1/auth/password-reset', {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ email, code: c, new_password: 'another new password' }),
            })
          ).status,
        [member.email, code],
      )
      assert.equal(status, 422)
    })
    await staffStep('signing in with the new password works', async () => {
      await signIn(staff.page, member.email, newPassword)
      await staff.page.getByText(member.display_name).first().waitFor()
    })
    await step('the admin sees the reset finished', async () => {
      await admin.page.reload()
      await staffCard(admin.page, member.email).getByTestId('staff-status').getByText('正常', { exact: true }).waitFor()
    })
    assert.deepEqual(admin.problems, [])
    assert.deepEqual(staff.problems, [])
    await admin.context.close()
    await staff.context.close()
  })

  test('(g) an admin disables a staff member, whose open session ends at once, and enables them again', async () => {
    const member = await newFgwStaff('孙七')
    const admin = await openPage(browser, server.baseUrl, { viewport: { width: 360, height: 740 }, locale: null })
    const staff = await openPage(browser, server.baseUrl, { locale: null })
    const step = stepper(admin.page, 'g-disable')
    const staffStep = stepper(staff.page, 'g-disable-staff')

    await staffStep('the staff member is signed in', async () => {
      await signIn(staff.page, member.email, member.password)
      await staff.page.getByText('示范区发展和改革委员会').waitFor()
    })
    await step('the admin disables the account after confirming (on a phone)', async () => {
      await signIn(admin.page, 'fgw.admin@wenji.demo')
      await admin.page.goto('/console')
      await admin.page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '本单位工作人员' }).click()
      const card = staffCard(admin.page, member.email)
      await card.getByRole('button', { name: actionName('停用账号', member.display_name) }).click()
      await card.getByText(`停用${member.display_name}的账号？`).waitFor()
      await noSidewaysScroll(admin.page)
      await card.getByRole('button', { name: '确定停用' }).click()
      await card.getByRole('status').getByText(`已停用${member.display_name}的账号，其登录已全部结束。`).waitFor()
      assert.equal(await card.getByTestId('staff-status').innerText(), '已停用')
      await card.getByRole('button', { name: actionName('启用账号', member.display_name) }).waitFor()
      await noSidewaysScroll(admin.page)
      await assertNoSeriousViolations(admin.page, 'the staff page after disabling an account')
    })
    await staffStep('the staff member’s next step lands on sign-in, and signing in is refused', async () => {
      await staff.page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作台' }).click()
      await staff.page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '决策事项管理' }).click()
      await staff.page.waitForURL((url) => url.pathname === '/login')
      await staff.page.getByRole('status').getByText('您的登录已结束，请重新登录。').waitFor()
      await staff.page.getByLabel('电子邮箱').fill(member.email)
      await staff.page.getByLabel('密码', { exact: true }).fill(member.password)
      await staff.page.getByRole('button', { name: '登录' }).click()
      await staff.page.getByText('邮箱或密码不正确。').waitFor()
    })
    await step('the admin enables the account again', async () => {
      const card = staffCard(admin.page, member.email)
      await card.getByRole('button', { name: actionName('启用账号', member.display_name) }).click()
      await card.getByRole('button', { name: '确定启用' }).click()
      await card.getByRole('status').getByText(`已启用${member.display_name}的账号。`).waitFor()
      assert.equal(await card.getByTestId('staff-status').innerText(), '正常')
    })
    await step('the list still says so after a reload', async () => {
      await admin.page.reload()
      assert.equal(await staffCard(admin.page, member.email).getByTestId('staff-status').innerText(), '正常')
    })
    await staffStep('the staff member signs in again', async () => {
      await staff.page.getByRole('button', { name: '登录' }).click()
      await staff.page.waitForURL((url) => url.pathname.startsWith('/console'))
      await staff.page.getByRole('heading', { level: 1, name: '决策事项管理' }).waitFor()
    })
    assert.deepEqual(admin.problems, [])
    assert.deepEqual(staff.problems, [])
    await admin.context.close()
    await staff.context.close()
  })

  test('(h) a resident changes their password, which ends their other session, then signs out everywhere', async () => {
    const email = `resident.pw.${unique}@example.cn`
    const oldPassword = `first password ${unique}`
    const newPassword = `second password ${unique}`
    await apiCall(server.baseUrl, '/auth/register', { body: { email, password: oldPassword, display_name: '周八' } })
    const desk = await openPage(browser, server.baseUrl, { locale: null })
    const phone = await openPage(browser, server.baseUrl, { viewport: { width: 360, height: 740 }, locale: null })
    const step = stepper(desk.page, 'h-password')
    const phoneStep = stepper(phone.page, 'h-password-phone')

    await phoneStep('signed in on a phone too', async () => {
      await signIn(phone.page, email, oldPassword)
      await phone.page.getByRole('heading', { level: 2, name: '修改密码' }).waitFor()
      await noSidewaysScroll(phone.page)
    })
    await step('a wrong current password and a short new one are refused at their fields', async () => {
      await signIn(desk.page, email, oldPassword)
      await desk.page.getByLabel('当前密码').fill('not my password')
      await desk.page.getByLabel('新密码').fill(newPassword)
      await desk.page.getByRole('button', { name: '修改密码' }).click()
      await desk.page.locator('#pw-current-error').getByText('当前密码不正确。').waitFor()
      assert.equal(await desk.page.getByLabel('当前密码').getAttribute('aria-invalid'), 'true')
      assert.match(await desk.page.evaluate(() => document.activeElement?.textContent ?? ''), /提交的内容有误/)
      await desk.page.getByLabel('当前密码').fill(oldPassword)
      await desk.page.getByLabel('新密码').fill('short')
      await desk.page.getByRole('button', { name: '修改密码' }).click()
      await desk.page.locator('#pw-new-error').getByText('新密码至少需要 8 个字符。').waitFor()
      await assertNoSeriousViolations(desk.page, 'the account page with password errors')
    })
    await step('the right passwords change it; the page says other sessions ended', async () => {
      await desk.page.getByLabel('当前密码').fill(oldPassword)
      await desk.page.getByLabel('新密码').fill(newPassword)
      await desk.page.getByRole('button', { name: '修改密码' }).click()
      await desk.page.getByRole('status').getByText('密码已修改。您在其他设备和浏览器上的登录已全部退出。').waitFor()
      assert.equal(await desk.page.locator('#pw-current-error').count(), 0)
      assert.equal(await desk.page.getByLabel('新密码').inputValue(), '')
    })
    await phoneStep('the phone’s session has ended; the old password is refused, the new one works', async () => {
      await phone.page.getByRole('button', { name: /账号菜单/ }).click()
      await phone.page.getByRole('link', { name: '我的意见' }).click()
      await phone.page.waitForURL((url) => url.pathname === '/login')
      await phone.page.getByRole('status').getByText('您的登录已结束，请重新登录。').waitFor()
      await phone.page.getByLabel('电子邮箱').fill(email)
      await phone.page.getByLabel('密码', { exact: true }).fill(oldPassword)
      await phone.page.getByRole('button', { name: '登录' }).click()
      await phone.page.getByText('邮箱或密码不正确。').waitFor()
      await phone.page.getByLabel('密码', { exact: true }).fill(newPassword)
      await phone.page.getByRole('button', { name: '登录' }).click()
      await phone.page.getByRole('heading', { level: 1, name: '我的意见' }).waitFor()
    })
    await step('this session stayed signed in', async () => {
      await desk.page.reload()
      await desk.page.getByRole('definition').filter({ hasText: email }).waitFor()
    })
    await step('signing out everywhere leads to sign-in with a notice', async () => {
      await desk.page.getByRole('button', { name: '在所有设备上退出' }).click()
      await desk.page.waitForURL((url) => url.pathname === '/login')
      await desk.page.getByRole('status').getByText('您已在所有设备上退出登录。').waitFor()
      assert.equal(await desk.page.getByRole('button', { name: /账号菜单/ }).count(), 0)
      await desk.page.goto('/account')
      await desk.page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirect') === '/account')
    })
    await phoneStep('…and the phone is signed out too', async () => {
      await phone.page.getByRole('button', { name: /账号菜单/ }).click()
      await phone.page.getByRole('link', { name: '我的账号' }).click()
      await phone.page.waitForURL((url) => url.pathname === '/login')
      await phone.page.getByRole('status').getByText('您的登录已结束，请重新登录。').waitFor()
    })
    assert.deepEqual(desk.problems, [])
    assert.deepEqual(phone.problems, [])
    await desk.context.close()
    await phone.context.close()
  })

  test('(i) the browser session is an HttpOnly cookie with a CSRF token; no token is kept where scripts can read it', async () => {
    const email = 'chen.jing@wenji.demo'
    const { context, page, problems } = await openPage(browser, server.baseUrl, { locale: null })
    const step = stepper(page, 'i-cookie')
    /** Every API request the pages of this context make: method, path and the headers that matter. */
    const requests = /** @type {{ method: string, path: string, authorization: string | undefined, csrf: string | undefined }[]} */ ([])
    context.on('request', (r) => {
      const url = new URL(r.url())
      if (!url.pathname.startsWith('/api/')) return
      const h = r.headers()
      requests.push({ method: r.method(), path: url.pathname, authorization: h.authorization, csrf: h['x-csrf-token'] })
    })
    const sessionCookie = async () => (await context.cookies()).find((c) => c.name === 'wenji_session')

    await step('a bearer token kept by the earlier app is dropped on the next visit, unused', async () => {
      await page.goto('/')
      await page.evaluate(() =>
        localStorage.setItem('wenji.session', JSON.stringify({ token: 'wjs_left_over', expiresAt: '2999-01-01T00:00:00Z' })),
      )
      await page.reload()
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '登录' }).waitFor()
      assert.equal(await page.evaluate(() => localStorage.getItem('wenji.session')), null)
      assert.deepEqual(requests.filter((r) => r.authorization), [])
      // A visitor who never signed in does not ask whose session it is.
      assert.deepEqual(requests.filter((r) => r.path === '/api/v1/auth/me'), [])
    })
    await step('signing in sets an HttpOnly, SameSite=Strict cookie that scripts cannot see', async () => {
      await signIn(page, email)
      const cookie = await sessionCookie()
      assert.ok(cookie, 'no wenji_session cookie')
      assert.equal(cookie.httpOnly, true)
      assert.equal(cookie.sameSite, 'Strict')
      assert.equal(cookie.secure, false) // served over http here; Secure over https
      assert.equal(cookie.path, '/')
      assert.doesNotMatch(await page.evaluate(() => document.cookie), /wenji_session/)
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))
      assert.ok(!stored.includes(cookie.value), 'the session token is in web storage')
      assert.match(await page.evaluate(() => sessionStorage.getItem('wenji.csrf') ?? ''), /^[0-9a-f]{64}$/)
      const login = requests.find((r) => r.path === '/api/v1/auth/login')
      assert.ok(login && !login.authorization)
    })
    await step('a change without the CSRF token is refused, even with the cookie', async () => {
      const answer = await page.evaluate(async () => {
        const r = await fetch('/api/v1/auth/password', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ current_password: 'x', new_password: 'a long enough new password' }),
        })
        return { status: r.status, code: (await r.json()).code }
      })
      assert.deepEqual(answer, { status: 403, code: 'csrf' })
    })
    await step('the app sends the CSRF token with its changes, and never an Authorization header', async () => {
      const before = requests.length
      await page.getByLabel('当前密码').fill('not my password')
      await page.getByLabel('新密码').fill('a long enough new password')
      await page.getByRole('button', { name: '修改密码' }).click()
      await page.locator('#pw-current-error').getByText('当前密码不正确。').waitFor()
      const csrf = await page.evaluate(() => sessionStorage.getItem('wenji.csrf'))
      const change = requests.slice(before).filter((r) => r.method === 'POST' && r.path === '/api/v1/auth/password')
      assert.deepEqual(change.map((r) => r.csrf), [csrf])
      assert.deepEqual(requests.filter((r) => r.authorization), [])
    })
    await step('a reload stays signed in', async () => {
      await page.reload()
      await page.getByRole('definition').filter({ hasText: email }).waitFor()
    })
    const tab = await context.newPage()
    tab.setDefaultTimeout(10_000)
    const tabProblems = watchPage(tab)
    await step('a new tab is signed in and recovers the CSRF token from /auth/me', async () => {
      await tab.goto('/account')
      await tab.getByRole('definition').filter({ hasText: email }).waitFor()
      assert.equal(await tab.evaluate(() => sessionStorage.getItem('wenji.csrf')), await page.evaluate(() => sessionStorage.getItem('wenji.csrf')))
      await tab.getByLabel('当前密码').fill('still not my password')
      await tab.getByLabel('新密码').fill('a long enough new password')
      await tab.getByRole('button', { name: '修改密码' }).click()
      await tab.locator('#pw-current-error').getByText('当前密码不正确。').waitFor()
    })
    await step('after the new tab signs out and in again, the first tab’s stale token is renewed once', async () => {
      await tab.getByRole('button', { name: /账号菜单/ }).click()
      await tab.getByRole('button', { name: '退出登录', exact: true }).click()
      await tab.getByText('您已退出登录。').waitFor()
      await signIn(tab, email)
      const fresh = await tab.evaluate(() => sessionStorage.getItem('wenji.csrf'))
      const stale = await page.evaluate(() => sessionStorage.getItem('wenji.csrf'))
      assert.notEqual(fresh, stale)
      await page.getByLabel('当前密码').fill('not my password either')
      await page.getByLabel('新密码').fill('a long enough new password')
      await page.getByRole('button', { name: '修改密码' }).click()
      // Refused for the stale token, renewed from /auth/me, sent again: the answer is about the password.
      await page.locator('#pw-current-error').getByText('当前密码不正确。').waitFor()
      assert.equal(await page.evaluate(() => sessionStorage.getItem('wenji.csrf')), fresh)
    })
    await step('signing out clears the cookie and the CSRF token', async () => {
      await page.getByRole('button', { name: /账号菜单/ }).click()
      await page.getByRole('button', { name: '退出登录', exact: true }).click()
      await page.getByText('您已退出登录。').waitFor()
      assert.equal(await sessionCookie(), undefined)
      assert.equal(await page.evaluate(() => sessionStorage.getItem('wenji.csrf')), null)
      assert.equal(await page.evaluate(() => localStorage.getItem('wenji.signed-in')), null)
      // Without the cookie a change needs no token: an anonymous request is not refused for it.
      const status = await page.evaluate(
        async () =>
          (
            await fetch('/api/v1/auth/password-reset', {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ email: 'nobody@example.cn', code: 'AAAA-BBBB', new_password: 'a long enough new password' }),
            })
          ).status,
      )
      assert.equal(status, 422)
    })
    assert.deepEqual(problems, [])
    assert.deepEqual(tabProblems, [])
    await context.close()
  })

  test('(j) a draft’s attachment, which the public cannot see, downloads with the session cookie', async () => {
    const token = await tokenFor(server.baseUrl, 'fgw.staff@wenji.demo')
    const areas = await apiCall(server.baseUrl, '/policy-areas')
    const title = `示范区共享单车停放管理办法（草案）${unique}`
    const draft = await apiCall(server.baseUrl, '/decisions', {
      token,
      body: { policy_area_id: areas.items[0].id, title, summary: '规范共享单车停放。', catalogue_year: new Date().getFullYear() },
    })
    await uploadAttachment(server.baseUrl, token, draft.id, { name: '草案说明.pdf', type: 'application/pdf', bytes: MINIMAL_PDF })
    const { context, page, problems } = await openPage(browser, server.baseUrl, { locale: null })
    const step = stepper(page, 'j-draft-attachment')
    await step('anonymous visitors cannot fetch it', async () => {
      const list = await apiCall(server.baseUrl, `/decisions/${draft.id}/attachments`, { token })
      const r = await fetch(`${server.baseUrl}/api/v1/decisions/${draft.id}/attachments/${list.items[0].id}`)
      assert.equal(r.status, 404)
    })
    await step('staff of the agency download it from the console', async () => {
      await signIn(page, 'fgw.staff@wenji.demo')
      await page.goto(`/console/decisions/${draft.id}`)
      const section = page.locator('section[aria-labelledby="dm-attachments"]')
      const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: '草案说明.pdf' }).click()])
      const path = await download.path()
      assert.ok(path)
      assert.deepEqual(readFileSync(path), MINIMAL_PDF)
      assert.equal(await page.getByText('下载没有成功', { exact: false }).count(), 0)
    })
    assert.deepEqual(problems, [])
    await context.close()
  })
})
