// Runs axe-core in the page. The script is evaluated through the DevTools protocol, which
// the page's Content-Security-Policy does not block (a <script> tag would be).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/**
 * @typedef {{ id: string, impact: string | null, help: string, nodes: { target: unknown[] }[] }} Violation
 * @param {import('playwright-core').Page} page
 * @returns {Promise<Violation[]>}
 */
export async function runAxe(page) {
  const loaded = await page.evaluate('typeof window.axe === "object"')
  if (!loaded) await page.evaluate(AXE_SOURCE)
  return page.evaluate(async () => {
    // @ts-expect-error axe is the global the script above defined
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    })
    return result.violations.map((/** @type {any} */ v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((/** @type {any} */ n) => ({ target: n.target })),
    }))
  })
}

/** @param {Violation[]} violations */
export function seriousOrWorse(violations) {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** @param {Violation[]} violations */
export function describe(violations) {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`)
    .join('\n')
}

/**
 * Fails when axe finds a serious or critical violation on the page as it is now.
 * @param {import('playwright-core').Page} page
 * @param {string} where
 */
export async function assertNoSeriousViolations(page, where) {
  const bad = seriousOrWorse(await runAxe(page))
  if (bad.length > 0) throw new Error(`axe found serious or critical violations on ${where}:\n${describe(bad)}`)
}
