// The kit's stylesheet through the other pipelines apps use: Vite 7 (esbuild minifies CSS), Tailwind 4
// through PostCSS on Vite 8 (Lightning CSS, twice), and a plain <link> to dist/style.css with no build.
// Each is checked in Chromium in light and dark, forced themes and a theming variable included.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../../e2e/src/browser'
import { installTarballs, run, type InstalledApp } from '../src/install'
import { expectKitThemes } from './support/kit-styles'
import { openStaticPage } from './support/static-page'

const VUE_CHAT = ['@kit/protocol', '@kit/sse-client', '@kit/vue-chat']
const apps: InstalledApp[] = []
let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser.close()
  for (const app of apps) app.remove()
})

async function install(name: string): Promise<string> {
  const app = await installTarballs(join(import.meta.dirname, '../fixtures', name), VUE_CHAT)
  apps.push(app)
  return app.dir
}

async function build(name: string): Promise<string> {
  const dir = await install(name)
  await run('npm', ['run', 'build'], dir)
  return join(dir, 'dist')
}

const builtCss = (dist: string): string => {
  const assets = join(dist, 'assets')
  return readdirSync(assets)
    .filter((file) => file.endsWith('.css'))
    .map((file) => readFileSync(join(assets, file), 'utf8'))
    .join('\n')
}

describe('the kit styles in other pipelines', () => {
  it('Vite 7', async () => {
    const dist = await build('vite7-app')
    expect(builtCss(dist)).toContain('.kit-chat')
    await expectKitThemes(await openStaticPage(browser, dist))
  })

  it('Tailwind 4 through PostCSS on Vite 8', async () => {
    const dist = await build('tailwind-app')
    const css = builtCss(dist)
    expect(css).toContain('.kit-chat')
    expect(css, 'Tailwind generated its utilities too').toMatch(/\.shadow-lg\{/)
    await expectKitThemes(await openStaticPage(browser, dist))
  })

  it('a plain <link> to dist/style.css', async () => {
    await expectKitThemes(await openStaticPage(browser, await install('plain-link')))
  })
})
