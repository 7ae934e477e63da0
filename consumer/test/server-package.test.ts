import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readEvents } from '../src/events'
import { installTarballs, run, type InstalledApp } from '../src/install'
import { startServerProcess, waitUntilPortFree, type ServerProcess } from '../src/server-process'

const FIXTURE = join(import.meta.dirname, '../fixtures/server-app')
const SECRETS = {
  KIT_PUBLISH_SECRET: 'consumer-publish-secret-0123456789',
  KIT_TOKEN_SECRET: 'consumer-token-secret-0123456789ab',
}
const chat = (url: string, prompt: string) =>
  readEvents(`${url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt }),
  })

let app: InstalledApp
beforeAll(async () => {
  app = await installTarballs(FIXTURE, ['@kit/protocol', '@kit/publisher', '@kit/server'])
})
afterAll(() => app?.remove())

/** Files of the app outside node_modules, relative to it. */
const filesOf = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => !file.startsWith('node_modules'))
    .sort()

describe('an Express 5 app with @kit/server and @kit/publisher from their tarballs', () => {
  let server: ServerProcess
  let before: string[]
  beforeAll(async () => {
    before = filesOf(app.dir)
    server = await startServerProcess(process.execPath, ['app.mjs'], {
      cwd: app.dir,
      env: { PORT: '0', ...SECRETS },
    })
  })
  afterAll(() => void server?.child.kill('SIGKILL'))

  it('mints a token { token, expiresAt } and streams what its own route and both publishers push', async () => {
    const minted = (await (await fetch(`${server.url}/orders/7/token`)).json()) as Record<string, unknown>
    expect(Object.keys(minted).sort()).toEqual(['expiresAt', 'token'])
    expect(Date.parse(String(minted.expiresAt))).toBeGreaterThan(Date.now())

    const channel = await readEvents(`${server.url}/kit/api/events/order-7?token=${String(minted.token)}`)
    const shipped = await fetch(`${server.url}/orders/7/ship`, { method: 'POST' })
    expect(await shipped.json()).toMatchObject({ id: 1, delivered: 1 })
    const publish = (module: string, key: string) =>
      run(process.execPath, ['publish.mjs', module, `${server.url}/kit`, key], app.dir, SECRETS)
    // `@kit/server/publisher` re-exports `@kit/publisher`: the same client under the old name.
    expect(JSON.parse(await publish('@kit/server/publisher', 'order-8'))).toMatchObject({ ended: true })
    expect(JSON.parse(await publish('@kit/publisher', 'order-7'))).toEqual({
      published: { id: 2, delivered: 1 },
      ended: true,
    })

    expect(await channel.ended).toEqual([
      { event: 'status', data: { status: 'shipped' } },
      { event: 'status', data: { status: 'delivered', via: '@kit/publisher' } },
      { event: 'done', data: { reason: 'complete' } },
    ])
  })

  it('answers a chat from the demo provider', async () => {
    const answer = await chat(`${server.url}/kit`, 'hello')
    const events = await answer.ended
    expect(events[0]?.event).toBe('start')
    expect(events.filter((e) => e.event === 'message').length).toBeGreaterThan(0)
    expect(events.at(-1)).toEqual({ event: 'done', data: expect.objectContaining({ reason: 'stop' }) })
  })

  it('writes no file in the app folder, chat history included', async () => {
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(filesOf(app.dir)).toEqual(before)
  })
})

describe('the kit-server bin of the @kit/server tarball, on plain node', () => {
  let cwd: string
  let server: ServerProcess
  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'kit-bin-cwd-'))
    const manifest = join(app.dir, 'node_modules/@kit/server/package.json')
    const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }
    const binPath = join(app.dir, 'node_modules/@kit/server', bin['kit-server']!)
    server = await startServerProcess(process.execPath, [binPath], {
      cwd,
      env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...SECRETS },
    })
  })
  afterAll(() => {
    server?.child.kill('SIGKILL')
    rmSync(cwd, { recursive: true, force: true })
  })

  it('serves /healthz and streams a demo answer, keeping history in data/kit.db like pnpm start', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    const events = await (await chat(server.url, 'hello')).ended
    expect(events.filter((e) => e.event === 'message').length).toBeGreaterThan(0)
    expect(events.at(-1)).toEqual({ event: 'done', data: expect.objectContaining({ reason: 'stop' }) })
    expect(existsSync(join(cwd, 'data/kit.db'))).toBe(true)
  })

  // Alone on the in-memory bus, nobody can carry the channels on: they end too (docs/deploy.md).
  it('on SIGTERM ends answers and channels with done aborted, exits 0 and frees the port', async () => {
    const { token } = (await (
      await fetch(`${server.url}/api/events/tokens`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${SECRETS.KIT_PUBLISH_SECRET}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ key: 'shutdown-1' }),
      })
    ).json()) as { token: string }
    const channel = await readEvents(`${server.url}/api/events/shutdown-1?token=${token}`)
    const answer = await chat(server.url, 'a long answer, please')
    await answer.waitFor('message')

    server.child.kill('SIGTERM')
    expect((await answer.ended).at(-1)).toEqual({
      event: 'done',
      data: expect.objectContaining({ reason: 'aborted' }),
    })
    expect(await channel.ended).toEqual([{ event: 'done', data: { reason: 'aborted' } }])
    expect(await server.exited).toBe(0)
    await waitUntilPortFree(server.port)
  })
})
