// Debian's Chromium, driven by playwright-core (which cannot download a browser here).
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { FRONTEND_DIR } from './server.mjs'

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
export const ARTIFACTS_DIR = join(FRONTEND_DIR, 'e2e-artifacts')

/**
 * A headless Chromium. playwright's launch() gives every browser a fresh temporary
 * user-data-dir of its own, removed when the browser closes.
 */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/**
 * Collects what the page complains about: uncaught errors, console errors and CSP
 * violations. HTTP error statuses that the app handles (a 422 from a form) show up as
 * "Failed to load resource" console errors; those are expected and left out.
 * @param {import('playwright-core').Page} page
 */
export function watchPage(page) {
  /** @type {string[]} */
  const problems = []
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() !== 'error') return
    const text = m.text()
    if (text.startsWith('Failed to load resource')) return
    problems.push(`console error: ${text}`)
  })
  return problems
}

/**
 * Runs a journey's steps; when one fails, saves a screenshot of the page at that step
 * into e2e-artifacts/ and rethrows.
 * @param {import('playwright-core').Page} page
 * @param {string} journey
 */
export function stepper(page, journey) {
  let n = 0
  /**
   * @param {string} name
   * @param {() => Promise<void>} fn
   */
  return async function step(name, fn) {
    n += 1
    try {
      await fn()
    } catch (e) {
      mkdirSync(ARTIFACTS_DIR, { recursive: true })
      const file = join(ARTIFACTS_DIR, `${journey}-${String(n).padStart(2, '0')}-${name.replace(/[^\w-]+/g, '_')}.png`)
      await page.screenshot({ path: file, fullPage: true }).catch(() => {})
      const msg = e instanceof Error ? e.message : String(e)
      throw new Error(`${journey}, step ${n} "${name}" failed (screenshot: ${file}): ${msg}`, { cause: e })
    }
  }
}

/**
 * A fresh browser context (empty storage) and a page in it, with the default timeout at
 * 10 s and its problems watched (see watchPage).
 *
 * `locale` is the app's UI language (not Playwright's `locale`): it is stored as
 * `wenji.locale` before every page load, so the UI starts in that language; `null` stores
 * none, leaving the language to the app (and a language switch then survives a reload).
 * Any other option is passed on to `browser.newContext()`.
 * @param {import('playwright-core').Browser} browser
 * @param {string} baseUrl
 * @param {{ viewport?: { width: number, height: number }, locale?: 'zh-CN' | 'en' | null }
 *   & Omit<import('playwright-core').BrowserContextOptions, 'viewport' | 'locale' | 'baseURL'>} [options]
 */
export async function openPage(browser, baseUrl, { viewport = { width: 1280, height: 900 }, locale = 'zh-CN', ...contextOptions } = {}) {
  const context = await browser.newContext({ viewport, baseURL: baseUrl, ...contextOptions })
  if (locale !== null) await context.addInitScript((l) => localStorage.setItem('wenji.locale', l), locale)
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  return { context, page, problems: watchPage(page) }
}
