// Steps and checks that many journeys take on a page.
import assert from 'node:assert/strict'
import { PASSWORD } from './seed.mjs'

/**
 * Signs in through the sign-in page (Chinese UI) and waits for the account page.
 * @param {import('playwright-core').Page} page
 * @param {string} email
 * @param {string} [password] the demo accounts' password unless given
 */
export async function signIn(page, email, password = PASSWORD) {
  await page.goto('/login')
  await page.getByLabel('电子邮箱').fill(email)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL('**/account')
}

/**
 * Asserts that the page is no wider than the viewport (nothing needs sideways scrolling).
 * @param {import('playwright-core').Page} page
 */
export async function noSidewaysScroll(page) {
  const { scrollWidth, vw } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    vw: document.documentElement.clientWidth,
  }))
  assert.ok(scrollWidth <= vw, `page is ${scrollWidth}px wide in a ${vw}px viewport`)
}
