// A stock create-vite Vue + TS app on Vite 8, installed with npm from the kit's tarballs: it type-checks and
// builds clean, and in Chromium against the kit's server it is styled in light and dark, streams, stops,
// regenerates, and shows statuses a backend pushes with plain HTTP.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ask, lastAnswer, openChat, waitForAnswer, waitForPartialAnswer } from '../../e2e/src/chat'
import { useHarness } from '../../e2e/src/harness'
import { saveScreenshot } from '../../e2e/src/screenshots'
import { installTarballs, run, type InstalledApp } from '../src/install'
import { expectKitThemes } from './support/kit-styles'

// The app installs the server too (`npm install @kit/server`, as docs/getting-started.md says) and runs
// its `kit-server` bin, which serves the built app on the same origin.
let app: InstalledApp
let buildOutput = ''
beforeAll(async () => {
  app = await installTarballs(join(import.meta.dirname, '../fixtures/vite-app'))
  buildOutput = await run('npm', ['run', 'build'], app.dir)
})
afterAll(() => app?.remove())
// Getters: the harness reads them when it starts the server, after the app is installed and built.
const kit = useHarness({
  tokensPerSecond: 120,
  get staticDir() {
    return join(app.dir, 'dist')
  },
  get command() {
    return { argv: [join(app.dir, 'node_modules/.bin/kit-server')], cwd: app.dir }
  },
})

describe('a Vite 8 app using the kit from npm', () => {
  it('type-checks with vue-tsc and builds with Vite 8 without a warning', () => {
    expect(buildOutput).toMatch(/vite v8\.\d+\.\d+ building/)
    expect(buildOutput).toMatch(/✓ built in/)
    expect(buildOutput).not.toMatch(/warn|error/i)
  })

  it('renders ChatBox styled, light and dark, forced themes and theming variables included', async () => {
    const page = await kit.newPage({ viewport: { width: 1280, height: 900 } })
    await openChat(page)
    await expectKitThemes(page)
  })

  it('streams a demo answer with a table and highlighted code, stops one and regenerates it', async () => {
    const page = await kit.newPage({ viewport: { width: 1280, height: 900 } })
    await openChat(page)
    await ask(page, 'Show me what you can render')
    const answer = await waitForAnswer(page, 'done')
    await answer.locator('.kit-markdown table td').first().waitFor()
    await answer.locator('.kit-code [class^=hljs-]').first().waitFor()
    expect(
      await answer
        .locator('.kit-markdown td')
        .first()
        .evaluate((td) => getComputedStyle(td).borderTopStyle),
    ).toBe('solid')
    // The app's own `code` rule (inline-flex in create-vite's template) must not join the block's lines.
    const code = await answer.locator('.kit-code pre code').evaluate((node) => ({
      lines: node.textContent!.trimEnd().split('\n').length,
      height: node.getBoundingClientRect().height,
      lineHeight: parseFloat(getComputedStyle(node).lineHeight),
    }))
    expect(code.lines).toBeGreaterThan(1)
    expect(code.height).toBeGreaterThanOrEqual(code.lines * code.lineHeight * 0.9)
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await saveScreenshot(page, `consumer-vite-app-${scheme}`)
    }

    await ask(page, 'And again, slowly')
    await waitForPartialAnswer(page, 40)
    await page.getByTestId('stop').click()
    await (await waitForAnswer(page, 'stopped')).getByTestId('stopped').waitFor()

    await lastAnswer(page).getByTestId('regenerate').click()
    const regenerated = await waitForAnswer(page, 'done')
    await regenerated.locator('.kit-markdown table').waitFor()
    expect(await page.locator('[data-testid=message][data-role=assistant]').count()).toBe(2)
  })

  it('answers through a component of its own on useChatStream', async () => {
    const page = await kit.newPage()
    await page.goto('/')
    await page.getByTestId('quick-input').fill('hello')
    await page.getByTestId('quick-send').click()
    await page.locator('[data-testid=quick-status]', { hasText: 'streaming' }).waitFor()
    await page.locator('[data-testid=quick-status]', { hasText: 'ready' }).waitFor()
    expect(await page.getByTestId('quick-text').textContent()).toMatch(/\| .+ \|/)
  })

  it('shows the statuses a backend pushes with plain HTTP, through useEventStream', async () => {
    const { url, publishSecret } = kit.server
    const backend = (path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${publishSecret}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const minted = await backend('/api/events/tokens', { key: 'order-42' })
    expect(minted.status).toBe(201)
    const { token } = (await minted.json()) as { token: string }

    const page = await kit.newPage()
    await page.goto(`/?order=order-42&token=${encodeURIComponent(token)}`)
    await page.locator('[data-testid=order-connection]', { hasText: 'open' }).waitFor()
    for (const state of ['pending', 'paid', 'shipped']) {
      const published = await backend('/api/events/order-42', { event: 'status', data: { state } })
      expect(await published.json()).toMatchObject({ delivered: 1 })
      await page.locator('[data-testid=order-state]', { hasText: state }).waitFor()
    }
    expect(await page.getByTestId('order-history').locator('li').allTextContents()).toEqual([
      'pending',
      'paid',
      'shipped',
    ])
    await backend('/api/events/order-42/complete', {})
    await page.locator('[data-testid=order-connection]', { hasText: 'closed' }).waitFor()
  })
})
