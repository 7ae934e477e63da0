import { http, HttpResponse } from 'msw'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, watch } from 'vue'
import { useChatStream, type ChatMessage, type UseChatStreamOptions } from '../src'
import { createFakeChatServer, type FakeChatServer } from './support/fakeChatServer'
import { server } from './support/msw'

let fake: FakeChatServer
beforeEach(() => {
  fake = createFakeChatServer()
  server.use(...fake.handlers)
})

function setup(options: UseChatStreamOptions = {}) {
  const scope = effectScope()
  const chat = scope.run(() => useChatStream({ retry: { initialMs: 5, maxMs: 20 }, ...options }))!
  return { chat, scope }
}

const chatRequests = () => fake.requests.filter((r) => r.path.startsWith('/api/chat'))

describe('useChatStream', () => {
  it('streams an answer token by token and finishes', async () => {
    const onFinish = vi.fn()
    const { chat } = setup({ onFinish, provider: 'demo', model: 'demo-1' })
    chat.input.value = '  Hello  '
    expect(chat.send()).toBe(true)
    expect(chat.input.value).toBe('')
    expect(chat.status.value).toBe('submitted')
    expect(chat.busy.value).toBe(true)
    const answer = await fake.nextAnswer()
    expect(answer.request).toMatchObject({ prompt: 'Hello', provider: 'demo', model: 'demo-1' })

    answer.token('Hi')
    await vi.waitFor(() => expect(chat.messages.value[1]?.content).toBe('Hi'))
    expect(chat.status.value).toBe('streaming')
    answer.token(' there')
    await vi.waitFor(() => expect(chat.messages.value[1]?.content).toBe('Hi there'))
    answer.done({ reason: 'stop', usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 } })
    await vi.waitFor(() => expect(chat.status.value).toBe('ready'))

    const [question, reply] = chat.messages.value
    expect(question).toMatchObject({ role: 'user', content: 'Hello' })
    expect(reply).toMatchObject({
      role: 'assistant',
      content: 'Hi there',
      status: 'done',
      streamId: answer.streamId,
      serverId: '1',
      lastEventId: '3',
      finishReason: 'stop',
      usage: { totalTokens: 3 },
    })
    expect(onFinish).toHaveBeenCalledWith(reply, { reason: 'stop', usage: expect.any(Object) })
  })

  it('sends nothing when the text is blank or an answer is under way', async () => {
    const { chat } = setup()
    expect(chat.send('   ')).toBe(false)
    expect(chat.send('first')).toBe(true)
    expect(chat.send('second')).toBe(false)
    const answer = await fake.nextAnswer()
    answer.done()
    await vi.waitFor(() => expect(chat.status.value).toBe('ready'))
    expect(chat.messages.value.map((m) => m.content)).toEqual(['first', ''])
    expect(chatRequests().filter((r) => r.method === 'POST')).toHaveLength(1)
  })

  it('resumes a dropped stream with Last-Event-ID and loses or repeats nothing', async () => {
    const { chat } = setup()
    chat.send('Tell me a story')
    const answer = await fake.nextAnswer()
    answer.token('Once ')
    answer.token('upon ')
    await vi.waitFor(() => expect(chat.messages.value[1]?.content).toBe('Once upon '))

    answer.drop()
    // Generation goes on while the client is away; the resumed connection replays it.
    answer.token('a ')
    answer.token('time')
    await vi.waitFor(() => expect(chat.messages.value[1]?.content).toBe('Once upon a time'))
    answer.token('.')
    answer.done()
    await vi.waitFor(() => expect(chat.status.value).toBe('ready'))

    expect(chat.messages.value[1]).toMatchObject({ content: 'Once upon a time.', status: 'done' })
    expect(chatRequests().map((r) => [r.method, r.path, r.lastEventId])).toEqual([
      ['POST', '/api/chat', null],
      ['GET', `/api/chat/streams/${answer.streamId}`, '3'],
    ])
  })

  it('never posts the question twice when the request fails before the answer starts', async () => {
    let posts = 0
    server.use(
      http.post('*/api/chat', () => {
        posts++
        return HttpResponse.json(
          { error: { code: 'provider_unavailable', message: 'No provider' } },
          { status: 503 },
        )
      }),
    )
    const onError = vi.fn()
    const { chat } = setup({ onError })
    chat.send('Hello')
    await vi.waitFor(() => expect(chat.status.value).toBe('error'))
    await new Promise((resolve) => setTimeout(resolve, 60))

    expect(posts).toBe(1)
    expect(chat.error.value).toMatchObject({
      source: 'transport',
      code: 'provider_unavailable',
      message: 'No provider',
      status: 503,
      retriable: true,
    })
    expect(chat.messages.value[1]).toMatchObject({ status: 'error', error: { code: 'provider_unavailable' } })
    expect(onError).toHaveBeenCalledOnce()
  })

  it('reports a refused request (4xx) with the server code', async () => {
    server.use(
      http.post('*/api/chat', () =>
        HttpResponse.json(
          { error: { code: 'quota_exceeded', message: 'Daily quota used up' } },
          { status: 429 },
        ),
      ),
    )
    const { chat } = setup({ retry: false })
    chat.send('Hello')
    await vi.waitFor(() => expect(chat.status.value).toBe('error'))
    expect(chat.error.value).toMatchObject({ code: 'quota_exceeded', status: 429 })
  })

  it('stop() keeps the partial answer and stops the server', async () => {
    const { chat } = setup({ headers: { authorization: 'Bearer t0ken' } })
    chat.send('Count to ten')
    const answer = await fake.nextAnswer()
    answer.token('one, ')
    answer.token('two, ')
    await vi.waitFor(() => expect(chat.messages.value[1]?.content).toBe('one, two, '))

    await chat.stop()
    expect(chat.status.value).toBe('ready')
    expect(chat.messages.value[1]).toMatchObject({ content: 'one, two, ', status: 'stopped' })
    const stop = fake.requests.find((r) => r.path.endsWith('/stop'))
    expect(stop).toMatchObject({ method: 'POST', path: `/api/chat/streams/${answer.streamId}/stop` })
    expect(stop?.authorization).toBe('Bearer t0ken')
    expect(answer.ended).toBe(true)
    expect(chat.messages.value[1]?.content).toBe('one, two, ')
  })

  it('shows a server error and keeps the partial answer', async () => {
    const { chat } = setup()
    chat.send('Hello')
    const answer = await fake.nextAnswer()
    answer.token('Partial')
    answer.error({ code: 'provider_error', message: 'The model failed', retriable: true })
    await vi.waitFor(() => expect(chat.status.value).toBe('error'))
    expect(chat.messages.value[1]).toMatchObject({
      content: 'Partial',
      status: 'error',
      error: { source: 'server', code: 'provider_error', message: 'The model failed' },
    })
  })

  it('drops the partial answer when the server says discardPartial', async () => {
    const { chat } = setup()
    chat.send('Hello')
    const answer = await fake.nextAnswer()
    answer.token('Something that failed moderation')
    await vi.waitFor(() => expect(chat.messages.value[1]?.content).not.toBe(''))
    answer.error({ code: 'content_blocked', message: 'Blocked', retriable: false, discardPartial: true })
    await vi.waitFor(() => expect(chat.status.value).toBe('error'))
    expect(chat.messages.value[1]).toMatchObject({
      content: '',
      status: 'error',
      error: { discardPartial: true },
    })

    chat.clearError()
    expect(chat.error.value).toBeUndefined()
    expect(chat.status.value).toBe('ready')
  })

  it('regenerate() asks the same question again in place of the last answer', async () => {
    const { chat } = setup()
    chat.send('Pick a number')
    ;(await fake.nextAnswer()).play('Seven')
    await vi.waitFor(() => expect(chat.status.value).toBe('ready'))
    const first = chat.messages.value[1]!.id

    expect(chat.regenerate()).toBe(true)
    ;(await fake.nextAnswer()).play('Three')
    await vi.waitFor(() => expect(chat.status.value).toBe('ready'))

    expect(chat.messages.value.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Pick a number'],
      ['assistant', 'Three'],
    ])
    expect(chat.messages.value[1]!.id).not.toBe(first)
    const posts = chatRequests().filter((r) => r.method === 'POST')
    expect(posts.map((r) => (r.body as { prompt: string }).prompt)).toEqual([
      'Pick a number',
      'Pick a number',
    ])
  })

  it('continues the server conversation it was given and sends templates', async () => {
    const { chat } = setup({
      conversationId: () => 'conv-9',
      template: 'translate',
      templateArgs: { language: 'French' },
    })
    chat.send('Good morning')
    const answer = await fake.nextAnswer()
    expect(answer.request).toMatchObject({
      conversationId: 'conv-9',
      template: 'translate',
      templateArgs: { language: 'French' },
    })
  })

  it('resumes after a reload from the persisted message, without repeating text', async () => {
    const headers = vi.fn(() => ({ authorization: 'Bearer fresh' }))
    const before = setup()
    before.chat.send('Explain SSE')
    const answer = await fake.nextAnswer()
    answer.token('Server-')
    answer.token('Sent ')
    await vi.waitFor(() => expect(before.chat.messages.value[1]?.content).toBe('Server-Sent '))
    // The page unloads mid-answer: what was persisted is a JSON copy of the messages.
    const persisted = JSON.parse(JSON.stringify(before.chat.messages.value)) as ChatMessage[]
    before.scope.stop()
    answer.token('Events ')

    const after = setup({ headers })
    after.chat.messages.value = persisted
    expect(after.chat.resume()).toBe(true)
    expect(after.chat.status.value).toBe('streaming')
    await vi.waitFor(() => expect(after.chat.messages.value[1]?.content).toBe('Server-Sent Events '))
    answer.token('push.')
    answer.done()
    await vi.waitFor(() => expect(after.chat.status.value).toBe('ready'))

    expect(after.chat.messages.value[1]).toMatchObject({
      content: 'Server-Sent Events push.',
      status: 'done',
    })
    const resumed = chatRequests().at(-1)
    expect(resumed).toMatchObject({ method: 'GET', lastEventId: '3', authorization: 'Bearer fresh' })
    expect(headers).toHaveBeenCalled()
  })

  it('marks an answer whose stream is gone as interrupted', async () => {
    const { chat } = setup()
    chat.messages.value = [
      { id: 'u1', role: 'user', content: 'Hi', createdAt: '2025-01-01T00:00:00Z' },
      {
        id: 'a1',
        role: 'assistant',
        content: 'Hel',
        createdAt: '2025-01-01T00:00:01Z',
        status: 'streaming',
        streamId: 'gone',
        lastEventId: '2',
      },
    ]
    expect(chat.resume()).toBe(true)
    await vi.waitFor(() => expect(chat.status.value).toBe('error'))
    expect(chat.messages.value[1]).toMatchObject({
      content: 'Hel',
      status: 'interrupted',
      error: { code: 'no-content' },
    })
    expect(chat.regenerate()).toBe(true)
  })

  it('ends honestly when the server restarted mid-answer, and regenerate works', async () => {
    const { chat } = setup()
    chat.send('Outlive a restart')
    const answer = await fake.nextAnswer()
    answer.token('Half of ')
    await vi.waitFor(() => expect(chat.messages.value[1]?.content).toBe('Half of '))
    fake.forget(answer.streamId)
    answer.drop()
    await vi.waitFor(() => expect(chat.status.value).toBe('error'))
    expect(chat.messages.value[1]).toMatchObject({ content: 'Half of ', status: 'interrupted' })
    expect(chatRequests().at(-1)).toMatchObject({ method: 'GET', lastEventId: '2' })

    expect(chat.regenerate()).toBe(true)
    ;(await fake.nextAnswer()).play('A whole answer')
    await vi.waitFor(() => expect(chat.status.value).toBe('ready'))
    expect(chat.messages.value.map((m) => [m.content, m.status])).toEqual([
      ['Outlive a restart', undefined],
      ['A whole answer', 'done'],
    ])
  })

  it('does not resume an answer reloaded before it started', () => {
    const { chat } = setup()
    chat.messages.value = [
      { id: 'u1', role: 'user', content: 'Hi', createdAt: '2025-01-01T00:00:00Z' },
      { id: 'a1', role: 'assistant', content: '', createdAt: '2025-01-01T00:00:01Z', status: 'streaming' },
    ]
    expect(chat.resume()).toBe(false)
    expect(chat.messages.value[1]?.status).toBe('interrupted')
  })

  it('takes a stream without event ids (from another server) as it comes', async () => {
    // `id:` with no value resets the last event id to empty: still no id to order events by.
    const frames = [
      ['start', { streamId: 's', conversationId: 'c', messageId: 'm' }],
      ['message', { delta: 'No ', choice: 0 }],
      ['message', { delta: 'ids', choice: 0 }],
      ['message', { delta: ' (second choice)', choice: 1 }],
      ['done', { reason: 'stop' }],
    ]
    const body = frames
      .map(([event, data]) => `id:\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
      .join('')
    server.use(
      http.post(
        '*/api/chat',
        () => new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } }),
      ),
    )
    const { chat } = setup()
    chat.send('Hi')
    await vi.waitFor(() => expect(chat.status.value).toBe('ready'))
    expect(chat.messages.value[1]).toMatchObject({ content: 'No ids', status: 'done' })
  })

  it('applies deltas at most once per throttle period', async () => {
    const { chat } = setup({ throttleMs: 1000 })
    const seen: string[] = []
    chat.send('Go')
    const answer = await fake.nextAnswer()
    watch(
      () => chat.messages.value[1]?.content,
      (content) => seen.push(content ?? ''),
    )
    for (const token of ['a', 'b', 'c', 'd', 'e']) {
      answer.token(token)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    answer.done()
    await vi.waitFor(() => expect(chat.status.value).toBe('ready'))
    expect(seen).toEqual(['abcde'])
  })

  it('closes the stream when its scope is disposed, leaving the answer resumable', async () => {
    const { chat, scope } = setup()
    chat.send('Hi')
    const answer = await fake.nextAnswer()
    answer.token('Partial')
    await vi.waitFor(() => expect(chat.messages.value[1]?.content).toBe('Partial'))
    scope.stop()
    answer.token(' more')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(chat.messages.value[1]).toMatchObject({
      content: 'Partial',
      status: 'streaming',
      lastEventId: '2',
    })
  })
})
