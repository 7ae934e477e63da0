import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  HistoryStore,
  NewMessage,
  SavedExchange,
  UsageRecord,
  UsageStore,
} from '../../src/storage/types'

export interface RecordStores {
  readonly history: HistoryStore
  readonly usage: UsageStore
  close(): Promise<void>
}

const at = (minute: number): string => new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString()

const message = (id: string, role: NewMessage['role'], content: string, minute: number): NewMessage => ({
  id,
  role,
  content,
  createdAt: at(minute),
})

const exchange = (
  userId: string,
  conversationId: string,
  minute: number,
  title = 'a title',
): SavedExchange => ({
  userId,
  conversationId,
  title,
  at: at(minute),
  messages: [
    message(`${conversationId}-u${minute}`, 'user', `question ${minute}`, minute),
    {
      ...message(`${conversationId}-a${minute}`, 'assistant', `answer ${minute}`, minute),
      provider: 'demo',
      model: 'm',
    },
  ],
})

const usage = (
  userId: string,
  day: string,
  provider: string,
  model: string,
  tokens: number,
): UsageRecord => ({
  userId,
  provider,
  model,
  day,
  promptTokens: tokens,
  completionTokens: 2 * tokens,
  totalTokens: 3 * tokens,
  at: `${day}T12:00:00.000Z`,
})

/**
 * History and usage as the chat service relies on them; every store of record (SQLite, PostgreSQL) passes
 * the same tests. Each test uses user ids of its own, so the tests share one store.
 */
export function recordStoresContract(name: string, open: () => Promise<RecordStores>): void {
  describe(`${name}: history and usage`, () => {
    let stores: RecordStores
    beforeAll(async () => {
      stores = await open()
    })
    afterAll(() => stores.close())

    it('creates a conversation with its first exchange and appends later ones in order', async () => {
      const { history } = stores
      await history.append(exchange('h1', 'c1', 1, 'Translate "café" — ☕'))
      await history.append(exchange('h1', 'c1', 5, 'ignored: the first title stays'))
      const conversation = await history.get('h1', 'c1')
      expect(conversation).toEqual({
        id: 'c1',
        title: 'Translate "café" — ☕',
        createdAt: at(1),
        updatedAt: at(5),
        messages: [
          { id: 'c1-u1', role: 'user', content: 'question 1', createdAt: at(1) },
          {
            id: 'c1-a1',
            role: 'assistant',
            content: 'answer 1',
            createdAt: at(1),
            provider: 'demo',
            model: 'm',
          },
          { id: 'c1-u5', role: 'user', content: 'question 5', createdAt: at(5) },
          {
            id: 'c1-a5',
            role: 'assistant',
            content: 'answer 5',
            createdAt: at(5),
            provider: 'demo',
            model: 'm',
          },
        ],
      })
    })

    it('lists a user’s conversations, most recently updated first, with limit and paging', async () => {
      const { history } = stores
      for (const [id, minute] of [
        ['old', 1],
        ['new', 9],
        ['mid', 5],
      ] as const) {
        await history.append(exchange('h2', id, minute))
      }
      await history.append(exchange('someone-else', 'theirs', 7))
      const all = await history.list('h2')
      expect(all.map((c) => [c.id, c.updatedAt])).toEqual([
        ['new', at(9)],
        ['mid', at(5)],
        ['old', at(1)],
      ])
      expect((await history.list('h2', { limit: 2 })).map((c) => c.id)).toEqual(['new', 'mid'])
      expect((await history.list('h2', { before: at(5) })).map((c) => c.id)).toEqual(['old'])
      expect(await history.list('nobody')).toEqual([])
    })

    it('breaks ties on the update time by id, byte-wise', async () => {
      const { history } = stores
      for (const id of ['b', 'B', 'a', 'A']) await history.append(exchange('h3', id, 3))
      expect((await history.list('h3')).map((c) => c.id)).toEqual(['A', 'B', 'a', 'b'])
    })

    it('keeps every user to their own conversations, and deletes once', async () => {
      const { history } = stores
      await history.append(exchange('h4', 'shared-id', 1))
      await history.append(exchange('h5', 'shared-id', 2))
      expect(await history.get('h5', 'missing')).toBeUndefined()
      expect(await history.delete('h4', 'shared-id')).toBe(true)
      expect(await history.delete('h4', 'shared-id')).toBe(false)
      expect(await history.get('h4', 'shared-id')).toBeUndefined()
      expect((await history.get('h5', 'shared-id'))?.messages).toHaveLength(2)
      await history.append(exchange('h4', 'shared-id', 3, 'again'))
      expect((await history.get('h4', 'shared-id'))?.messages.map((m) => m.id)).toEqual([
        'shared-id-u3',
        'shared-id-a3',
      ])
    })

    it('saves an answer as it grows: a message written again keeps its place and takes the newer text', async () => {
      const { history } = stores
      const question = message('g-q', 'user', 'why?', 1)
      const answer = (content: string, status?: NewMessage['status']) => ({
        ...message('g-a', 'assistant', content, 1),
        ...(status ? { status } : {}),
      })
      const save = (minute: number, content: string, status?: NewMessage['status']) =>
        history.append({
          userId: 'h6',
          conversationId: 'grows',
          title: 'why?',
          at: at(minute),
          messages: [question, answer(content, status)],
        })
      await save(1, '', 'streaming')
      await save(2, 'Because', 'streaming')
      await history.append(exchange('h6', 'grows', 3))
      await save(4, 'Because it is', 'streaming')
      await save(5, 'Because it is.')
      // A replay older than what is saved changes nothing.
      await save(3, 'Because', 'streaming')
      const conversation = await history.get('h6', 'grows')
      expect(conversation?.updatedAt).toBe(at(5))
      expect(conversation?.messages.map((m) => [m.id, m.content, m.status])).toEqual([
        ['g-q', 'why?', undefined],
        ['g-a', 'Because it is.', undefined],
        ['grows-u3', 'question 3', undefined],
        ['grows-a3', 'answer 3', undefined],
      ])
    })

    it('keeps an answer’s parts and choices as written, and a later save replaces them', async () => {
      const { history } = stores
      const parts: NewMessage['parts'] = [
        { type: 'reasoning', text: 'The user asks for the time.', durationMs: 1200 },
        {
          type: 'tool',
          id: 'call_1',
          name: 'current_time',
          input: { zone: 'Asia/Shanghai' },
          approved: true,
          output: { iso: '2026-03-01T18:00:00+08:00' },
        },
        { type: 'text', text: 'It is 18:00 [1].' },
        {
          type: 'source',
          id: 's1',
          url: 'https://example.com/time',
          title: 'Time',
          cites: [{ start: 0, end: 14 }],
        },
      ]
      const save = (minute: number, answer: Partial<NewMessage>) =>
        history.append({
          userId: 'h9',
          conversationId: 'parts',
          title: 'time',
          at: at(minute),
          messages: [
            message('p-q', 'user', 'what time is it?', 1),
            { ...message('p-a', 'assistant', 'It is 18:00 [1].', 1), ...answer },
          ],
        })
      await save(1, { parts })
      expect((await history.get('h9', 'parts'))?.messages[1]).toMatchObject({
        content: 'It is 18:00 [1].',
        parts,
      })
      const choices = [
        { content: 'one' },
        { content: 'two', parts: [{ type: 'text' as const, text: 'two' }] },
      ]
      await save(2, { content: 'two', choices, chosen: 1 })
      const saved = (await history.get('h9', 'parts'))?.messages[1]
      expect(saved).toMatchObject({ content: 'two', choices, chosen: 1 })
      expect(saved?.parts).toBeUndefined()
    })

    it('reads an answer left streaming as interrupted once it was last saved before the given time', async () => {
      const { history } = stores
      await history.append({
        userId: 'h7',
        conversationId: 'cut',
        title: 'cut short',
        at: at(10),
        messages: [
          message('cut-q', 'user', 'tell me', 10),
          { ...message('cut-a', 'assistant', 'Once upon', 10), status: 'streaming' },
        ],
      })
      const statuses = async (interruptedBefore?: string) =>
        (await history.get('h7', 'cut', interruptedBefore ? { interruptedBefore } : {}))?.messages.map(
          (m) => m.status,
        )
      expect(await statuses()).toEqual([undefined, 'streaming'])
      expect(await statuses(at(10))).toEqual([undefined, 'streaming'])
      expect(await statuses(at(11))).toEqual([undefined, 'interrupted'])
    })

    it('counts the usage of one answer once, however often it is recorded', async () => {
      const { usage: store } = stores
      const record = { ...usage('u9', '2026-02-01', 'demo', 'demo', 4), messageId: 'answer-9' }
      await store.record(record)
      await store.record(record)
      await store.record(usage('u9', '2026-02-01', 'demo', 'demo', 1))
      expect(await store.aggregate({ userId: 'u9' })).toEqual([
        {
          day: '2026-02-01',
          provider: 'demo',
          model: 'demo',
          promptTokens: 5,
          completionTokens: 10,
          totalTokens: 15,
          requests: 2,
        },
      ])
    })

    it('sums usage per day, provider and model in that order, within inclusive bounds and per user', async () => {
      const { usage: store } = stores
      await store.record(usage('u1', '2026-03-02', 'openai', 'gpt-4o', 10))
      await store.record(usage('u1', '2026-03-02', 'openai', 'gpt-4o', 5))
      await store.record(usage('u2', '2026-03-02', 'openai', 'gpt-4o', 1))
      await store.record(usage('u1', '2026-03-02', 'Spark', 'x1', 7))
      await store.record(usage('u1', '2026-03-01', 'openai', 'gpt-4o-mini', 3))
      await store.record(usage('u2', '2026-03-03', 'demo', 'demo', 2))
      const row = (day: string, provider: string, model: string, tokens: number, requests: number) => ({
        day,
        provider,
        model,
        promptTokens: tokens,
        completionTokens: 2 * tokens,
        totalTokens: 3 * tokens,
        requests,
      })
      expect(await store.aggregate({ from: '2026-03-01', to: '2026-03-03' })).toEqual([
        row('2026-03-01', 'openai', 'gpt-4o-mini', 3, 1),
        row('2026-03-02', 'Spark', 'x1', 7, 1),
        row('2026-03-02', 'openai', 'gpt-4o', 16, 3),
        row('2026-03-03', 'demo', 'demo', 2, 1),
      ])
      expect(await store.aggregate({ from: '2026-03-02', to: '2026-03-02', userId: 'u1' })).toEqual([
        row('2026-03-02', 'Spark', 'x1', 7, 1),
        row('2026-03-02', 'openai', 'gpt-4o', 15, 2),
      ])
      expect(await store.aggregate({ userId: 'u2', from: '2026-03-03' })).toEqual([
        row('2026-03-03', 'demo', 'demo', 2, 1),
      ])
      expect(await store.aggregate({ to: '2026-03-01', userId: 'u1' })).toEqual([
        row('2026-03-01', 'openai', 'gpt-4o-mini', 3, 1),
      ])
      expect(await store.aggregate({ from: '2026-04-01' })).toEqual([])
    })
  })
}
