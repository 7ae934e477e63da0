// The three usage examples of @microsoft/fetch-event-source's README (fixtures/fetch-event-source), unchanged
// but for the import of the kit's drop-in, against the kit's server, in Node and in Chromium. '/api/sse' is
// the application's endpoint in the README; here it streams a channel of the kit (support/sse-front.ts).
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useHarness } from '../../e2e/src/harness'
import { installTarballs, type InstalledApp } from '../src/install'
import { startFront, type Front } from './support/sse-front'

// One install: the client for the examples, and the server whose `kit-server` bin they talk to.
let app: InstalledApp
beforeAll(async () => {
  app = await installTarballs(join(import.meta.dirname, '../fixtures/fetch-event-source'), [
    '@kit/protocol',
    '@kit/publisher',
    '@kit/server',
    '@kit/sse-client',
  ])
})
// A getter: the harness reads it when it starts the server, after the install.
const kit = useHarness({
  get command() {
    return { argv: [join(app.dir, 'node_modules/.bin/kit-server')], cwd: app.dir }
  },
})

const MESSAGES = ['one', 'two', 'three']
const fronts: Front[] = []
afterAll(async () => {
  await Promise.all(fronts.map((front) => front.close()))
  app?.remove()
})

function files(): Record<string, string> {
  const dist = join(app.dir, 'node_modules/@kit/sse-client/dist')
  const served: Record<string, string> = {}
  for (const file of readdirSync(dist)) served[`/sse-client/${file}`] = join(dist, file)
  for (const n of [1, 2, 3]) served[`/example-${n}.mjs`] = join(app.dir, `example-${n}.mjs`)
  return served
}

async function backend(path: string, body: unknown): Promise<Response> {
  const response = await fetch(`${kit.server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${kit.server.publishSecret}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(response.ok).toBe(true)
  return response
}

/** A channel of the kit behind a front of its own, and what its backend pushes once the example is connected. */
async function channel(key: string) {
  const { token } = (await (await backend('/api/events/tokens', { key })).json()) as { token: string }
  const front = await startFront(() => `${kit.server.url}/api/events/${key}?token=${token}`, files())
  fronts.push(front)
  /** Publishes the messages, then ends the channel with `done`; returns the id of the `done` event. */
  const push = async () => {
    await front.waitForRequests(1)
    let id = 0
    for (const data of MESSAGES)
      ({ id } = (await (await backend(`/api/events/${key}`, { data })).json()) as { id: number })
    await backend(`/api/events/${key}/complete`, {})
    return String(id + 1)
  }
  return { front, push }
}

function runInNode(example: number, origin: string) {
  return spawnInNode(example, origin).exited
}

function spawnInNode(example: number, origin: string) {
  const child = spawn(process.execPath, ['--import', './relative-fetch.mjs', `example-${example}.mjs`], {
    cwd: app.dir,
    env: { PATH: process.env.PATH, APP_ORIGIN: origin },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr })),
  )
  return { child, exited }
}

async function openInChromium(example: number, origin: string) {
  const context = await kit.browser.newContext()
  const page = await context.newPage()
  const logged: string[] = []
  const errors: string[] = []
  page.on('console', (message) => logged.push(message.text()))
  page.on('pageerror', (error) => errors.push(error.message))
  const importMap = { imports: { '@kit/sse-client/fetch-event-source': '/sse-client/fetch-event-source.js' } }
  await page.route(`${origin}/`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<script type="importmap">${JSON.stringify(importMap)}</script><script type="module" src="/example-${example}.mjs"></script>`,
    }),
  )
  await page.goto(`${origin}/`)
  return { page, logged, errors, close: () => context.close() }
}

// Example 1 logs every data; the kit's stream ends with `done`, after which it resolves.
const EXAMPLE_1_LOG = [...MESSAGES.map((data) => JSON.stringify(data)), '{"reason":"complete"}']

describe("@microsoft/fetch-event-source's README examples on the kit's drop-in", () => {
  it('example 1 (onmessage) logs every event, in Node', async () => {
    const { front, push } = await channel('fes-node-1')
    const ran = runInNode(1, front.url)
    await push()
    const { code, stdout, stderr } = await ran
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expect(stdout.trim().split('\n')).toEqual(EXAMPLE_1_LOG)
    expect(front.requests.map((r) => r.method)).toEqual(['GET'])
  })

  it('example 1 (onmessage) logs every event, in Chromium', async () => {
    const { front, push } = await channel('fes-browser-1')
    const browser = await openInChromium(1, front.url)
    await push()
    await expect.poll(() => browser.logged, { timeout: 20_000 }).toEqual(EXAMPLE_1_LOG)
    expect(browser.errors).toEqual([])
    await browser.close()
  })

  it('example 2 (POST with a body and a signal) is accepted by the kit and ends with its stream', async () => {
    for (const where of ['node', 'browser'] as const) {
      const { front, push } = await channel(`fes-${where}-2`)
      const ran = where === 'node' ? runInNode(2, front.url) : openInChromium(2, front.url)
      await push()
      if (where === 'node')
        expect(await (ran as ReturnType<typeof runInNode>)).toMatchObject({ code: 0, stderr: '' })
      else await (await (ran as ReturnType<typeof openInChromium>)).close()
      expect(front.requests).toEqual([
        { method: 'POST', contentType: 'application/json', lastEventId: undefined, body: '{"foo":"bar"}' },
      ])
    }
  })

  it("example 3 (strict onopen) accepts the kit's content type and reads every event", async () => {
    for (const where of ['node', 'browser'] as const) {
      const { front, push } = await channel(`fes-${where}-3`)
      const node = where === 'node' ? spawnInNode(3, front.url) : undefined
      const browser = where === 'browser' ? await openInChromium(3, front.url) : undefined
      const doneId = await push()
      // Its onclose retries when the stream ends: the reconnection carries the id of the last event
      // dispatched, `done`, so every event went through onmessage on the first connection. Before the kit
      // dropped the charset, onopen threw on every response and the retries carried no id at all.
      await front.waitForRequests(2)
      expect(front.requests.slice(0, 2).map((r) => r.lastEventId)).toEqual([undefined, doneId])
      node?.child.kill()
      await browser?.close()
      expect((await node?.exited)?.stderr ?? '').toBe('')
      expect(browser?.errors ?? []).toEqual([])
    }
  })
})
