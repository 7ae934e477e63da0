import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EventLog, type WireEvent } from '../chat/sse'
import { PUBLISH_SECRET, TOKEN_SECRET, startInstance } from '../scale/support/cluster'
import { DATABASE_URL, testSchema, type TestSchema } from '../scale/support/postgres'
import { privateRedis, type PrivateRedis } from '../scale/support/private-redis'
import { endProcess } from '../scale/support/process'
import { testPrefix } from '../scale/support/redis'
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy'

/*
 * Real processes: the server (src/main.ts) as a child process killed with SIGKILL, a redis-server of the
 * test's own without persistence that it kills and restarts, PostgreSQL behind a relay that it cuts. The
 * demo provider answers slowly, so that every fault hits answers mid-stream.
 */

const CHECKPOINT_MS = 100
const INTERRUPTED_AFTER_MS = 1500
/** Tokens of each answer, at 30 a second: about five seconds of streaming, so that a fault finds it mid-way even on a loaded machine. */
const ANSWER_TOKENS = 150

interface Server {
  readonly url: string
  log(): string
  kill(): Promise<void>
}

/** One answer as its client saw it. */
interface Asked {
  readonly user: string
  readonly prompt: string
  readonly streamId: string
  readonly conversationId: string
  /** Every stream the client read the answer from, in order (the first, then any resume). */
  readonly reads: EventLog[]
}

let redis: PrivateRedis
let proxy: TcpProxy
let schema: TestSchema
let dir: string
let env: NodeJS.ProcessEnv
let server: Server | undefined
let asked = 0

beforeAll(async () => {
  redis = await privateRedis({ persistent: false })
  proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(DATABASE_URL).port) })
  schema = testSchema()
  dir = mkdtempSync(join(tmpdir(), 'kit-faults-'))
  const config = join(dir, 'config.json')
  writeFileSync(
    config,
    JSON.stringify({
      redis: { generatorLeaseMs: 1000 },
      chat: {
        providers: [{ type: 'demo', name: 'demo', tokensPerSecond: 30 }],
        // Every client asks from 127.0.0.1 as a user of its own: the per-address share would refuse them.
        limits: { anonymousPerIp: 0 },
        history: {
          journalPath: join(dir, 'journal.db'),
          checkpointMs: CHECKPOINT_MS,
          interruptedAfterMs: INTERRUPTED_AFTER_MS,
          retry: { baseMs: 50, maxMs: 500 },
        },
      },
    }),
  )
  env = {
    KIT_CONFIG: config,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    KIT_PUBLISH_SECRET: PUBLISH_SECRET,
    KIT_TOKEN_SECRET: TOKEN_SECRET,
    REDIS_URL: redis.url,
    KIT_REDIS_PREFIX: testPrefix(),
    DATABASE_URL: DATABASE_URL.replace(/:\d+\//, `:${proxy.port}/`),
    KIT_DATABASE_SCHEMA: schema.name,
  }
}, 30_000)

afterAll(async () => {
  await server?.kill()
  await redis?.close()
  await proxy?.close()
  await schema?.drop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Starts the server, killing the one before if it still runs: one instance at a time. */
async function start(): Promise<Server> {
  await server?.kill()
  const { child, url, log } = await startInstance('server', env)
  server = { url, log, kill: () => endProcess(child, 'SIGKILL') }
  return server
}

const messages = (events: readonly WireEvent[]) => events.filter((e) => e.event === 'message').length

async function ask(via: Server): Promise<Asked> {
  const n = ++asked
  const user = `fault-user-${String(n).padStart(8, '0')}`
  const prompt = `Explain fault number ${n}`
  const body = { prompt, options: { maxTokens: ANSWER_TOKENS } }
  const read = await EventLog.post(`${via.url}/api/chat`, body, { 'x-kit-user': user })
  await read.until((events) => events.length > 0, 10_000)
  const { streamId, conversationId } = read.events[0]?.data as { streamId: string; conversationId: string }
  return { user, prompt, streamId, conversationId, reads: [read] }
}

const askMany = async (via: Server, count: number, messagesEach: number): Promise<Asked[]> => {
  const all = await Promise.all(Array.from({ length: count }, () => ask(via)))
  await Promise.all(all.map((a) => a.reads[0]?.until((events) => messages(events) >= messagesEach, 15_000)))
  return all
}

/** The client loses its connection and comes back to the same server with Last-Event-ID. */
async function reconnect(via: Server, answer: Asked): Promise<void> {
  const last = answer.reads.at(-1)
  last?.close()
  await last?.end()
  const lastEventId = last?.events.at(-1)?.id ?? ''
  const again = await EventLog.open(`${via.url}/api/chat/streams/${answer.streamId}`, {
    headers: { 'x-kit-user': answer.user, 'last-event-id': lastEventId },
  })
  answer.reads.push(again)
}

/** Every event the client received, across its reads; ids lost or received twice are counted. */
function received(answer: Asked) {
  const events = answer.reads.flatMap((read) => read.events)
  const ids = events.map((e) => Number(e.id))
  const first = ids[0] ?? 1
  const seen = new Set(ids)
  const duplicated = ids.length - seen.size
  const lost = (ids.at(-1) ?? 0) - first + 1 - seen.size
  const text = events.map((e) => (e.event === 'message' ? String(e.data.delta) : '')).join('')
  return { events, text, lost, duplicated, last: events.at(-1)?.event }
}

async function saved(via: Server, answer: Asked) {
  const res = await fetch(`${via.url}/api/conversations/${answer.conversationId}`, {
    headers: { 'x-kit-user': answer.user },
  })
  if (res.status !== 200) return undefined
  const { messages: all } = (await res.json()) as {
    messages: { role: string; content: string; status?: string }[]
  }
  return all.map((m) => ({ role: m.role, content: m.content, status: m.status }))
}

async function journalDepth(via: Server): Promise<number> {
  const text = await (await fetch(`${via.url}/metrics`)).text()
  return Number(/^kit_history_journal_depth (\d+)$/m.exec(text)?.[1] ?? NaN)
}

/** A short answer to a user of its own, read to the end. */
const quickChat = (via: Server): Promise<Response> =>
  fetch(`${via.url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kit-user': 'fault-user-quick-0001' },
    body: JSON.stringify({ prompt: 'anyone there?', options: { maxTokens: 4 } }),
  })

/** The saved answer and what the client received agree as far as the shorter one goes. */
const agree = (a: string, b: string) => a.startsWith(b) || b.startsWith(a)

describe('faults with real processes', { timeout: 120_000 }, () => {
  it('keeps every answer that reached done while PostgreSQL was cut, through a kill -9, in history once it is back', async () => {
    let via = await start()
    const answers = await askMany(via, 4, 3)
    proxy.cut()
    // Two clients lose their connection during the cut and resume where they were.
    for (const answer of answers.slice(0, 2)) await reconnect(via, answer)
    await Promise.all(answers.map((a) => a.reads.at(-1)?.end()))
    const seen = answers.map(received)
    expect(seen.map((s) => [s.last, s.lost, s.duplicated])).toEqual(answers.map(() => ['done', 0, 0]))
    expect(await journalDepth(via)).toBeGreaterThanOrEqual(2 * answers.length)

    await via.kill()
    proxy.restore()
    via = await start()
    await expect.poll(() => journalDepth(via), { timeout: 20_000 }).toBe(0)
    const inHistory = await Promise.all(answers.map((a) => saved(via, a)))
    expect(inHistory).toEqual(
      answers.map((a, i) => [
        { role: 'user', content: a.prompt, status: undefined },
        { role: 'assistant', content: seen[i]?.text, status: undefined },
      ]),
    )
    console.info(
      `PostgreSQL cut: ${answers.length} answers done, ${inHistory.length} in history, 0 lost, 0 twice`,
    )
  })

  it('shows answers cut short by a kill -9 as interrupted, with their question and partial text', async () => {
    let via = await start()
    const answers = await askMany(via, 3, 10)
    await via.kill()
    await Promise.all(answers.map((a) => a.reads[0]?.end()))
    via = await start()
    for (const answer of answers) {
      const { text, last } = received(answer)
      expect(last).toBe('message')
      await expect
        .poll(async () => (await saved(via, answer))?.[1]?.status, { timeout: 4 * INTERRUPTED_AFTER_MS })
        .toBe('interrupted')
      const [question, partial] = (await saved(via, answer)) ?? []
      expect(question).toEqual({ role: 'user', content: answer.prompt, status: undefined })
      expect(partial?.content).not.toBe('')
      expect(agree(partial?.content ?? '', text)).toBe(true)
    }
    console.info(`kill -9: ${answers.length} answers cut short, ${answers.length} shown as interrupted`)
  })

  it('saves answers cut short by the death of Redis as interrupted, and refuses new ones with 503 until it is back', async () => {
    const via = await start()
    const answers = await askMany(via, 3, 3)
    await redis.kill()
    await Promise.all(answers.map((a) => a.reads[0]?.end()))
    const refused = await quickChat(via)
    expect(refused.status).toBe(503)
    expect(await refused.json()).toMatchObject({ error: { code: 'bus_unavailable' } })
    for (const answer of answers) {
      await expect
        .poll(async () => (await saved(via, answer))?.[1]?.status, { timeout: 10_000 })
        .toBe('interrupted')
      const [question, partial] = (await saved(via, answer)) ?? []
      expect(question?.content).toBe(answer.prompt)
      expect(partial?.content).not.toBe('')
      expect(agree(partial?.content ?? '', received(answer).text)).toBe(true)
    }
    await redis.start()
    await expect
      .poll(
        async () => {
          const res = await quickChat(via)
          return res.status === 200 && (await res.text()).includes('event: done')
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true)
    console.info(`Redis killed: ${answers.length} answers cut short, ${answers.length} saved as interrupted`)
  })
})
