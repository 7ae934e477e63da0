import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChatService, type ChatService, type ChatStreamEvent } from '../../src/chat'
import { openRecordStores, type RecordStores } from '../../src/scale/record-stores'
import { createMemoryQuotas } from '../../src/storage/memory/quotas'
import { createMemorySessions } from '../../src/storage/memory/sessions'
import { createMemoryStreamState } from '../../src/storage/memory/streams'
import { DATABASE_URL, testSchema, type TestSchema } from '../scale/support/postgres'
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy'

// PostgreSQL reached through a relay the test cuts: the chat service journals what the store cannot take.

let proxy: TcpProxy
let schema: TestSchema
let direct: RecordStores
let dir: string
const opened: { service: ChatService; records: RecordStores }[] = []

beforeAll(async () => {
  proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(DATABASE_URL).port) })
  schema = testSchema()
  direct = await openRecordStores({ url: DATABASE_URL, schema: schema.name }, ':memory:', silent())
  dir = mkdtempSync(join(tmpdir(), 'kit-journal-'))
})

afterAll(async () => {
  await Promise.all(opened.map(({ service }) => service.close()))
  await Promise.all(opened.map(({ records }) => records.close()))
  await direct?.close()
  await schema?.drop()
  await proxy?.close()
  rmSync(dir, { recursive: true, force: true })
})

function silent() {
  return { info: () => undefined, warn: () => undefined, error: () => undefined } as never
}

/** A chat service (one instance of the server) whose history goes through the relay. */
async function instance(journalPath: string): Promise<{ service: ChatService; records: RecordStores }> {
  const url = DATABASE_URL.replace(/:\d+\//, `:${proxy.port}/`)
  const records = await openRecordStores({ url, schema: schema.name }, ':memory:', silent())
  const streams = createMemoryStreamState()
  const service = createChatService({
    config: {
      providers: [{ type: 'demo', tokensPerSecond: 100_000 }],
      history: { journalPath, retry: { baseMs: 20, maxMs: 200 }, attemptTimeoutMs: 2000 },
    },
    stores: {
      history: records.history,
      usage: records.usage,
      sessions: createMemorySessions(),
      quotas: createMemoryQuotas(),
      streams,
      close: async () => streams.close(),
    },
  })
  const one = { service, records }
  opened.push(one)
  return one
}

async function ask(service: ChatService, userId: string, prompt: string) {
  const events: ChatStreamEvent[] = []
  for await (const event of service.ask({ userId, prompt, conversationId: 'c', options: { maxTokens: 6 } })) {
    events.push(event)
  }
  expect(events.at(-1)?.event).toBe('done')
  return events.map((e) => (e.event === 'message' ? e.data.delta : '')).join('')
}

const saved = async (userId: string) =>
  (await direct.history.get(userId, 'c'))?.messages.map((m) => [m.role, m.content, m.status]) ?? []

const exchanges = (asked: [string, string][]) =>
  asked.flatMap(([prompt, answer]) => [
    ['user', prompt, undefined],
    ['assistant', answer, undefined],
  ])

describe('history while PostgreSQL is cut off', { timeout: 60_000 }, () => {
  it('keeps answers that ended in the journal, across a restart, and stores them in order once it is back', async () => {
    const journal = join(dir, 'restart.db')
    const first = await instance(journal)
    const asked: [string, string][] = [['before', await ask(first.service, 'u1', 'before')]]
    expect(first.service.outbox.depth()).toBe(0)
    proxy.cut()
    for (const prompt of ['one', 'two', 'three']) asked.push([prompt, await ask(first.service, 'u1', prompt)])
    // History and usage of each answer, each rewritten in place by later saves of it (one more when a
    // save came while the store was being tried with an earlier one).
    expect(first.service.outbox.depth()).toBeGreaterThanOrEqual(6)
    expect(first.service.outbox.depth()).toBeLessThanOrEqual(9)
    expect(await saved('u1')).toEqual(exchanges(asked.slice(0, 1)))
    await first.service.close()

    proxy.restore()
    const second = await instance(journal)
    await expect.poll(() => second.service.outbox.depth(), { timeout: 20_000 }).toBe(0)
    expect(await saved('u1')).toEqual(exchanges(asked))
    expect(await direct.usage.aggregate({ userId: 'u1' })).toMatchObject([{ requests: 4 }])
  })

  it('retries with back-off while the instance lives', async () => {
    const { service } = await instance(join(dir, 'live.db'))
    proxy.cut()
    const asked: [string, string][] = [['during', await ask(service, 'u2', 'during')]]
    expect(service.outbox.depth()).toBeGreaterThan(0)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await saved('u2')).toEqual([])
    proxy.restore()
    await expect.poll(() => service.outbox.depth(), { timeout: 20_000 }).toBe(0)
    expect(await saved('u2')).toEqual(exchanges(asked))
  })
})
