import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { launchBrowser } from './browser'
import { startKitServer, type KitServer, type KitServerOptions } from './kit-server'

export interface Harness {
  readonly server: KitServer
  readonly browser: Browser
  /** A page in a fresh context (no shared storage or permissions), closed after the test. */
  newPage(options?: BrowserContextOptions): Promise<Page>
}

/**
 * One Chromium and one server per test file, a fresh context per test. A page that throws an uncaught
 * error fails its test even when every assertion passed.
 */
export function useHarness(options: KitServerOptions = {}): Harness {
  let browser: Browser | undefined
  let server: KitServer | undefined
  const contexts: BrowserContext[] = []
  const pageErrors: Error[] = []

  beforeAll(async () => {
    ;[browser, server] = await Promise.all([launchBrowser(), startKitServer(options)])
  })
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()))
    expect(pageErrors.splice(0), 'uncaught errors in the page').toEqual([])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the harness has not started (use it inside a test)')
    return value
  }

  return {
    get server() {
      return started(server)
    },
    get browser() {
      return started(browser)
    },
    async newPage(contextOptions = {}) {
      const context = await started(browser).newContext({ baseURL: started(server).url, ...contextOptions })
      contexts.push(context)
      const page = await context.newPage()
      page.setDefaultTimeout(20_000)
      page.on('pageerror', (error) => pageErrors.push(error))
      return page
    },
  }
}
