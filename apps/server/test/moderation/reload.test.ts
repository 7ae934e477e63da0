import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { ErrorCode } from '@kit/protocol'
import { pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChatService } from '../../src/index'
import { PUBLISH_SECRET, startTestServer, type TestServer } from '../support/server'
import { askAll, scriptedProvider, useChatServices } from './scripted'

let dir: string
let file: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kit-words-'))
  file = join(dir, 'words.txt')
})
afterEach(() => rm(dir, { recursive: true, force: true }))

/** Replaces the file the way deploys and editors do: a new file renamed over the old one. */
async function replaceWords(text: string) {
  const next = join(dir, 'next.txt')
  await writeFile(next, text)
  await rename(next, file)
}

const services = useChatServices()
const refused = async (chat: ChatService, prompt: string) =>
  (await askAll(chat, prompt)).some((e) => e.event === 'error' && e.data.code === ErrorCode.ContentBlocked)

describe('moderation: a words file, reloaded without a restart', () => {
  it('reads the file at start, then again whenever it is replaced', async () => {
    await writeFile(file, '# one word or phrase a line\nfirstword\n\n  second word  \n')
    const chat = services({
      providers: [scriptedProvider()],
      config: { moderation: { words: ['fromconfig'], wordsFile: file, watchMs: 20 } },
    })
    for (const prompt of ['a firstword', 'the second  word', 'fromconfig'])
      expect(await refused(chat, prompt)).toBe(true)
    expect(await refused(chat, 'newword')).toBe(false)
    expect(await refused(chat, '# one word')).toBe(false)

    await replaceWords('newword\n')
    await expect.poll(() => refused(chat, 'a newword'), { timeout: 10_000, interval: 20 }).toBe(true)
    expect(await refused(chat, 'firstword')).toBe(false)
    expect(await refused(chat, 'fromconfig')).toBe(true)
  })

  it('keeps the list it has when the file goes missing, and says so in the log', async () => {
    await writeFile(file, 'firstword\n')
    const lines: string[] = []
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString())
          done()
        },
      }),
    )
    const chat = services({
      providers: [scriptedProvider()],
      logger,
      config: { moderation: { wordsFile: file, watchMs: 20 } },
    })
    await rm(file)
    await expect
      .poll(() => lines.some((line) => line.includes('the old list stays')), {
        timeout: 10_000,
        interval: 20,
      })
      .toBe(true)
    expect(await refused(chat, 'firstword')).toBe(true)
  })

  it('refuses to start when the file cannot be read', () => {
    expect(() =>
      services({
        providers: [scriptedProvider()],
        config: { moderation: { wordsFile: join(dir, 'none.txt') } },
      }),
    ).toThrow(/ENOENT/)
  })
})

describe('POST /api/moderation/reload', () => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  const complete = async (prompt: string) => {
    const res = await fetch(`${server!.url}/api/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kit-user': 'alice-browser-0001' },
      body: JSON.stringify({ prompt }),
    })
    return { status: res.status, body: (await res.json()) as { error?: { code: string } } }
  }

  it('reads the words file again, for the holder of the publish secret only', async () => {
    await writeFile(file, 'firstword\n')
    server = await startTestServer({
      chat: {
        storage: { path: ':memory:' },
        providers: [{ type: 'demo', tokensPerSecond: 100_000 }],
        moderation: { wordsFile: file, watchMs: 0 },
      },
    })
    await replaceWords('newword\nother\n')
    expect((await complete('newword')).status).toBe(200)

    for (const authorization of [null, 'Bearer not-the-publish-secret']) {
      const res = await server.post('/api/moderation/reload', undefined, authorization)
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ error: { code: ErrorCode.Unauthorized } })
    }
    expect((await complete('newword')).status).toBe(200)

    const reloaded = await server.post('/api/moderation/reload', undefined, `Bearer ${PUBLISH_SECRET}`)
    expect(reloaded.status).toBe(200)
    expect(await reloaded.json()).toEqual({ words: 2 })
    expect(await complete('newword')).toEqual({
      status: 422,
      body: { error: { code: ErrorCode.ContentBlocked, message: expect.any(String) } },
    })
    expect((await complete('firstword')).status).toBe(200)

    await rm(file)
    const failed = await server.post('/api/moderation/reload')
    expect(failed.status).toBe(500)
    expect(await failed.json()).toEqual({
      error: { code: ErrorCode.Internal, message: 'the words file could not be read; the old list stays' },
    })
    expect((await complete('newword')).status).toBe(422)
  })
})
