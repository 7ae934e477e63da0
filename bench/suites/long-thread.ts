// A thread of 10,000 saved messages in <MessageList>, in Chromium: the virtualized list beside the same
// list rendering every message (`virtualizeAbove: Infinity`, what <MessageList> did before), one run.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import type { Page } from 'playwright-core'
import { build, preview } from 'vite'
import { launchBrowser } from '../../e2e/src/browser'

const COUNT = Number(process.env.THREAD_COUNT ?? 10_000)
const SCROLL_FRAMES = 240
const SCROLL_STEP_PX = 150
const VIEW = { width: 1000, height: 800 }

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', 'pages', 'long-thread')
const out = mkdtempSync(join(tmpdir(), 'kit-long-thread-'))

interface Result {
  openMs: number
  heapMb: number
  domNodes: number
  rendered: number
  frames: { p50: number; p95: number; max: number; overBudget: number }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!

/**
 * Scrolls up from the bottom by a fixed step each frame and records each frame's duration. A string, not a
 * function: tsx names functions with a helper the page does not have.
 */
const scrollFrames = (page: Page) =>
  page.evaluate<number[]>(`new Promise((resolve) => {
    const list = document.querySelector('[data-testid=message-list]')
    const durations = []
    let last = performance.now()
    requestAnimationFrame(function tick(now) {
      durations.push(now - last)
      last = now
      list.scrollTop -= ${SCROLL_STEP_PX}
      if (durations.length < ${SCROLL_FRAMES}) requestAnimationFrame(tick)
      else resolve(durations.slice(1))
    })
  })`)

async function measure(url: string): Promise<Result> {
  const browser = await launchBrowser()
  try {
    const page = await browser.newPage({ viewport: VIEW })
    await page.goto(url)
    await page.waitForFunction(() => window.openedMs !== undefined, undefined, { timeout: 120_000 })
    const openMs = await page.evaluate(() => window.openedMs!)
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('HeapProfiler.collectGarbage')
    const heap = await cdp.send('Runtime.getHeapUsage')
    const dom = await cdp.send('Memory.getDOMCounters')
    const rendered = await page.locator('[data-testid=message]').count()
    const durations = (await scrollFrames(page)).sort((a, b) => a - b)
    return {
      openMs,
      heapMb: heap.usedSize / 2 ** 20,
      domNodes: dom.nodes,
      rendered,
      frames: {
        p50: percentile(durations, 0.5),
        p95: percentile(durations, 0.95),
        max: durations.at(-1)!,
        overBudget: durations.filter((d) => d > 1000 / 60 + 2).length / durations.length,
      },
    }
  } finally {
    await browser.close()
  }
}

await build({
  root,
  logLevel: 'warn',
  plugins: [vue()],
  resolve: { conditions: ['@kit/source', 'module', 'browser', 'import', 'default'] },
  build: { outDir: out, emptyOutDir: true },
})
const server = await preview({
  root,
  logLevel: 'warn',
  build: { outDir: out },
  preview: { port: 0, host: '127.0.0.1' },
})
const base = server.resolvedUrls!.local[0]!
try {
  const virtual = await measure(`${base}?count=${COUNT}#virtual`)
  const all = await measure(`${base}?count=${COUNT}#all`)
  const ms = (n: number) => `${n.toFixed(1)} ms`
  const row = (name: string, r: Result) =>
    `| ${name} | ${ms(r.openMs)} | ${r.heapMb.toFixed(1)} MB | ${r.domNodes} | ${r.rendered} | ${ms(r.frames.p50)} | ${ms(r.frames.p95)} | ${ms(r.frames.max)} | ${(r.frames.overBudget * 100).toFixed(0)} % |`
  console.log(`### A thread of ${COUNT.toLocaleString('en')} messages in \`<MessageList>\` (Chromium, ${VIEW.width}x${VIEW.height})

Open: mount to the first painted frame. Memory: JS heap after GC, DOM nodes. Scroll: ${SCROLL_FRAMES} frames
scrolling up ${SCROLL_STEP_PX} px each from the bottom; over budget = frames longer than 18.7 ms.

| list | open | heap | DOM nodes | messages in DOM | frame p50 | frame p95 | frame max | over budget |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${row('virtualized (default)', virtual)}
${row('every message (`virtualizeAbove: Infinity`)', all)}

Ratios, every message / virtualized: open ${(all.openMs / virtual.openMs).toFixed(1)}x, heap ${(all.heapMb / virtual.heapMb).toFixed(1)}x, DOM nodes ${(all.domNodes / virtual.domNodes).toFixed(1)}x.
Target (open < 100 ms, frames at 60 fps): ${virtual.openMs < 100 && virtual.frames.p95 <= 1000 / 60 + 2 ? 'met' : 'not met'}.`)
} finally {
  await new Promise<void>((resolve) => server.httpServer.close(() => resolve()))
  rmSync(out, { recursive: true, force: true })
}
