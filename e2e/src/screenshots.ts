import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { screenshotsDir } from './paths'

/** Writes `name`.png to e2e/screenshots/ (git-ignored; docs/img/ holds the reviewed copies). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true })
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), animations: 'disabled', caret: 'hide' })
}
