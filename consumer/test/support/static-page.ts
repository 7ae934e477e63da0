import { existsSync, statSync } from 'node:fs'
import { join, normalize } from 'node:path'
import type { Browser, Page } from 'playwright-core'

const ORIGIN = 'http://app.test'

/** A page showing `root`/index.html, every request answered from the files under `root`: no server. */
export async function openStaticPage(browser: Browser, root: string): Promise<Page> {
  const context = await browser.newContext()
  await context.route(`${ORIGIN}/**`, (route) => {
    const path = join(root, normalize(decodeURIComponent(new URL(route.request().url()).pathname)))
    const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'index.html') : path
    return existsSync(file) ? route.fulfill({ path: file }) : route.fulfill({ status: 404 })
  })
  const page = await context.newPage()
  await page.goto(`${ORIGIN}/`)
  await page.locator('.kit-chat [data-testid=send]').waitFor()
  return page
}
