import { http, HttpResponse } from 'msw'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { createChatStore, SCHEMA_VERSION, type ChatStoreOptions } from '../src'
import { server } from './support/msw'

class MemoryStorage implements Storage {
  readonly data = new Map<string, string>()
  writes = 0
  get length() {
    return this.data.size
  }
  clear() {
    this.data.clear()
  }
  getItem(key: string) {
    return this.data.get(key) ?? null
  }
  key(index: number) {
    return [...this.data.keys()][index] ?? null
  }
  removeItem(key: string) {
    this.data.delete(key)
  }
  setItem(key: string, value: string) {
    this.writes++
    this.data.set(key, value)
  }
}

let storage: MemoryStorage
beforeEach(() => {
  storage = new MemoryStorage()
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
})
afterEach(() => vi.useRealTimers())

/** A store on a fresh pinia, as after a page load. */
function load(options: ChatStoreOptions = {}) {
  setActivePinia(createPinia())
  return createChatStore({ persist: { storage, debounceMs: 100, maxWaitMs: 1000 }, ...options })()
}

const v1Export = {
  version: 1,
  activeId: '7',
  conversations: [
    {
      id: '7',
      title: 'From the server',
      createdAt: '2025-03-01T10:00:00.000Z',
      updatedAt: '2025-03-01T10:05:00.000Z',
      messages: [
        { id: '1', role: 'user', content: 'Hi', createdAt: '2025-03-01T10:00:00.000Z' },
        {
          id: '2',
          role: 'assistant',
          content: 'Hello!',
          createdAt: '2025-03-01T10:00:01.000Z',
          model: 'demo-1',
        },
        { id: '3', role: 'user', content: 'More', createdAt: '2025-03-01T10:04:00.000Z' },
        // Saved by a server that stopped before the answer finished.
        {
          id: '4',
          role: 'assistant',
          content: 'Well',
          createdAt: '2025-03-01T10:04:01.000Z',
          status: 'interrupted',
        },
      ],
    },
  ],
}

describe('useChatStore', () => {
  it('creates, selects, renames and removes conversations', async () => {
    const store = load()
    expect(store.active).toBeUndefined()
    const first = store.ensureActive()
    expect(store.ensureActive()).toBe(first)
    const second = store.create('Second')
    expect(store.activeId).toBe(second.id)
    expect(store.conversations.map((c) => c.title)).toEqual(['Second', ''])

    store.select(first.id)
    expect(store.active?.id).toBe(first.id)
    store.rename(first.id, '  Renamed  ')
    expect(store.active?.title).toBe('Renamed')

    await store.remove(first.id)
    expect(store.conversations.map((c) => c.id)).toEqual([second.id])
    expect(store.activeId).toBe(second.id)
  })

  it('persists to storage, debounced, and reloads', async () => {
    const store = load()
    const conversation = store.create('Persisted')
    conversation.messages.push({
      id: 'm1',
      role: 'user',
      content: 'Hello',
      createdAt: '2025-01-01T00:00:00Z',
    })
    await nextTick()
    expect(storage.writes).toBe(0)
    vi.advanceTimersByTime(100)
    expect(storage.writes).toBe(1)

    const saved = JSON.parse(storage.getItem('kit-chat')!)
    expect(saved).toMatchObject({ version: SCHEMA_VERSION, activeId: conversation.id })
    const reloaded = load()
    expect(reloaded.active).toMatchObject({ title: 'Persisted', messages: [{ content: 'Hello' }] })
  })

  it('does not write once per token while an answer streams', async () => {
    const store = load()
    const conversation = store.create()
    conversation.messages.push({
      id: 'a',
      role: 'assistant',
      content: '',
      createdAt: '',
      status: 'streaming',
    })
    const answer = conversation.messages[0]!
    for (let token = 0; token < 500; token++) {
      answer.content += 'tok '
      await nextTick()
      vi.advanceTimersByTime(10)
    }
    // 5 s of tokens at 10 ms apart: the debounce holds the writes back, the max wait lets one through per second.
    expect(storage.writes).toBeGreaterThanOrEqual(4)
    expect(storage.writes).toBeLessThanOrEqual(6)
    vi.advanceTimersByTime(100)
    expect(JSON.parse(storage.getItem('kit-chat')!).conversations[0].messages[0].content).toHaveLength(2000)
  })

  it('writes changes to a conversation that streams in the background', async () => {
    const store = load()
    const background = store.create('Background')
    background.messages.push({ id: 'a', role: 'assistant', content: '', createdAt: '', status: 'streaming' })
    store.create('Foreground')
    vi.advanceTimersByTime(100)
    const writes = storage.writes
    background.messages[0]!.content = 'more text'
    await nextTick()
    vi.advanceTimersByTime(100)
    expect(storage.writes).toBe(writes + 1)
    expect(storage.getItem('kit-chat')).toContain('more text')
  })

  it('writes a pending change at once on flush()', async () => {
    const store = load()
    store.create('Now')
    store.flush()
    expect(storage.writes).toBe(1)
  })

  it('writes a pending change when the page is hidden or left, until the store is disposed', () => {
    const store = load()
    store.create('Hidden')
    const hidden = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
    document.dispatchEvent(new Event('visibilitychange'))
    expect(storage.writes).toBe(1)
    store.rename(store.activeId!, 'Left')
    dispatchEvent(new Event('pagehide'))
    expect(storage.writes).toBe(2)

    store.$dispose()
    const writes = storage.writes
    store.create('After')
    document.dispatchEvent(new Event('visibilitychange'))
    dispatchEvent(new Event('pagehide'))
    expect(storage.writes).toBe(writes)
    hidden.mockRestore()
  })

  it('migrates the version 1 (server) format on load and writes it back as the current version', () => {
    storage.setItem('kit-chat', JSON.stringify(v1Export))
    const store = load()
    expect(store.activeId).toBe('7')
    expect(store.active).toMatchObject({
      id: '7',
      remoteId: '7',
      title: 'From the server',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!', status: 'done', model: 'demo-1' },
        { role: 'user', content: 'More' },
        { role: 'assistant', content: 'Well', status: 'interrupted' },
      ],
    })
    vi.advanceTimersByTime(100)
    expect(JSON.parse(storage.getItem('kit-chat')!).version).toBe(SCHEMA_VERSION)
  })

  it('never overwrites data written by a newer version', async () => {
    const newer = JSON.stringify({ version: SCHEMA_VERSION + 1, conversations: [] })
    storage.setItem('kit-chat', newer)
    const store = load()
    expect(store.conversations).toEqual([])
    store.create('In memory only')
    vi.advanceTimersByTime(1000)
    expect(storage.getItem('kit-chat')).toBe(newer)
  })

  it('backs up unreadable data and starts afresh', () => {
    storage.setItem('kit-chat', '{"version": 2, "conversations": [')
    const store = load()
    expect(store.conversations).toEqual([])
    expect(storage.getItem('kit-chat:backup')).toBe('{"version": 2, "conversations": [')
  })

  it('drops stored entries that are not conversations', () => {
    storage.setItem(
      'kit-chat',
      JSON.stringify({
        version: SCHEMA_VERSION,
        activeId: 'gone',
        conversations: [{ id: 'ok', title: '', createdAt: '', updatedAt: '', messages: [] }, { id: 3 }, null],
      }),
    )
    const store = load()
    expect(store.conversations.map((c) => c.id)).toEqual(['ok'])
    expect(store.activeId).toBeUndefined()
  })

  it('exports and imports JSON, merging or replacing', () => {
    const store = load()
    store.create('Mine').messages.push({ id: 'm', role: 'user', content: 'x', createdAt: '' })
    const json = store.exportJson()
    expect(JSON.parse(json)).toMatchObject({ version: SCHEMA_VERSION, conversations: [{ title: 'Mine' }] })

    const other = load({ id: 'other' })
    other.create('Theirs')
    expect(other.importJson(json)).toBe(1)
    expect(other.importJson(json)).toBe(0)
    expect(other.conversations.map((c) => c.title).sort()).toEqual(['Mine', 'Theirs'])

    expect(other.importJson(JSON.stringify(v1Export), { replace: true })).toBe(1)
    expect(other.conversations.map((c) => c.title)).toEqual(['From the server'])
    expect(other.activeId).toBe('7')
  })

  it('refuses files it cannot read', () => {
    const store = load()
    expect(() => store.importJson('{"hello": 1}')).toThrow('not a conversation export')
    expect(() => store.importJson(JSON.stringify({ version: 99, conversations: [] }))).toThrow(
      'schema version 99',
    )
    expect(() => store.importJson('not json')).toThrow(SyntaxError)
  })

  it('keeps everything in memory with persist: false', () => {
    const store = load({ persist: false })
    store.create('Ephemeral')
    vi.advanceTimersByTime(1000)
    expect(storage.writes).toBe(0)
  })
})

describe('useChatStore sync with /api/conversations', () => {
  beforeEach(() => vi.useRealTimers())

  it('merges the server list, loads messages on select and deletes remotely', async () => {
    const deleted: string[] = []
    const auth: Array<string | null> = []
    server.use(
      http.get('*/api/conversations', ({ request }) => {
        auth.push(request.headers.get('authorization'))
        return HttpResponse.json({
          conversations: [
            {
              id: 's1',
              title: 'Older',
              createdAt: '2025-01-01T00:00:00Z',
              updatedAt: '2025-01-01T00:00:00Z',
            },
            {
              id: 's2',
              title: 'Newer',
              createdAt: '2025-02-01T00:00:00Z',
              updatedAt: '2025-02-01T00:00:00Z',
            },
          ],
        })
      }),
      http.get('*/api/conversations/:id', ({ params }) =>
        HttpResponse.json({
          id: params.id,
          title: 'Older',
          createdAt: '2025-01-01T00:00:00Z',
          updatedAt: '2025-01-01T00:00:00Z',
          messages: [
            { id: '1', role: 'user', content: 'Question', createdAt: '2025-01-01T00:00:00Z' },
            { id: '2', role: 'assistant', content: 'Answer', createdAt: '2025-01-01T00:00:01Z' },
          ],
        }),
      ),
      http.delete('*/api/conversations/:id', ({ params }) => {
        deleted.push(String(params.id))
        return new HttpResponse(null, { status: 204 })
      }),
    )
    const store = load()
    const local = store.create('Local only')
    await store.sync({ headers: async () => ({ authorization: 'Bearer abc' }) })
    expect(auth).toEqual(['Bearer abc'])
    expect(store.conversations.map((c) => [c.title, c.remoteId, !!c.partial])).toEqual([
      ['Local only', undefined, false],
      ['Older', 's1', true],
      ['Newer', 's2', true],
    ])

    const older = store.conversations.find((c) => c.remoteId === 's1')!
    store.select(older.id)
    await vi.waitFor(() => expect(older.partial).toBe(false))
    expect(older.messages.map((m) => [m.role, m.content, m.status])).toEqual([
      ['user', 'Question', undefined],
      ['assistant', 'Answer', 'done'],
    ])

    await store.sync({})
    expect(store.conversations).toHaveLength(3)

    await store.remove(older.id)
    await store.remove(local.id)
    expect(deleted).toEqual(['s1'])
  })

  it('fails loudly when the server refuses', async () => {
    server.use(http.get('*/api/conversations', () => HttpResponse.json({ error: {} }, { status: 401 })))
    const store = load()
    await expect(store.sync()).rejects.toThrow('HTTP 401')
  })
})
