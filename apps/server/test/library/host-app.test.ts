import { parseEventStream, type ServerSentEvent } from '@kit/sse-client'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKitRouter, createPublisher, type KitRouter } from '../../src/index'
import { PUBLISH_SECRET, TOKEN_SECRET } from '../support/server'
import { SseReader } from '../support/sse-reader'
import { listen, type Listening } from './support/listen'

let kit: KitRouter
let host: Listening
const user = { 'x-kit-user': 'host-app-user-0123456789' }

beforeAll(async () => {
  kit = createKitRouter({
    publishSecret: PUBLISH_SECRET,
    tokenSecret: TOKEN_SECRET,
    demo: false,
    chat: { storage: { path: ':memory:' }, providers: [{ type: 'demo', tokensPerSecond: 100_000 }] },
  })
  const app = express()
  app.get('/', (_req, res) => void res.send('host home'))
  app.use('/kit', kit)
  app.use((_req, res) => void res.status(404).send('host 404'))
  host = await listen(app)
})
afterAll(async () => {
  await kit.close()
  await host.close()
})

async function readAll(res: Response): Promise<ServerSentEvent[]> {
  if (!res.body) throw new Error(`no body (${res.status})`)
  const events: ServerSentEvent[] = []
  for await (const event of parseEventStream(res.body)) events.push(event)
  return events
}

describe('the kit router in a host app, under /kit', () => {
  it('streams a chat answer and resumes it after Last-Event-ID at the prefixed paths', async () => {
    const asked = await fetch(`${host.url}/kit/api/chat`, {
      method: 'POST',
      headers: { ...user, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'hello from the host' }),
    })
    const answer = await readAll(asked)
    expect(answer[0]?.event).toBe('start')
    expect(answer.at(-1)?.event).toBe('done')
    const { streamId } = JSON.parse(answer[0]?.data ?? '{}') as { streamId: string }

    const resumed = await fetch(`${host.url}/kit/api/chat/streams/${streamId}`, {
      headers: { ...user, 'last-event-id': '2' },
    })
    expect(await readAll(resumed)).toEqual(answer.slice(2))
  })

  it('serves token subscriptions and a publisher whose baseUrl holds the prefix', async () => {
    const publisher = createPublisher({ baseUrl: `${host.url}/kit/`, secret: PUBLISH_SECRET })
    const { token } = await publisher.mintToken('report-1')
    const reader = await SseReader.open(`${host.url}/kit/api/events/report-1?token=${token}`)
    await expect.poll(() => kit.registry.stats().connections).toBe(1)
    expect(await publisher.publish('report-1', { progress: 1 }, { event: 'progress' })).toEqual({
      id: 1,
      delivered: 1,
    })
    expect(await publisher.complete('report-1')).toBe(true)
    await reader.waitForEnd()
    expect(reader.events.map((e) => e.event)).toEqual(['progress', 'done'])
  })

  it("answers its own API's unknown paths and leaves every other path to the host", async () => {
    const [home, kitApi, kitOther] = await Promise.all([
      fetch(`${host.url}/`),
      fetch(`${host.url}/kit/api/nothing`),
      fetch(`${host.url}/kit/nothing`),
    ])
    expect(await home.text()).toBe('host home')
    expect([kitApi.status, (await kitApi.json()) as unknown]).toEqual([
      404,
      { error: { code: 'not_found', message: 'no route for GET /kit/api/nothing' } },
    ])
    expect([kitOther.status, await kitOther.text()]).toEqual([404, 'host 404'])
  })
})
