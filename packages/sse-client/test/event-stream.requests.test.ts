import { describe, expect, it } from 'vitest'
import { useSseServer } from './support/harness'
import { openStream, reply } from './support/sse-server'
import { reach } from './support/stream-probes'

const t = useSseServer()
const quick = { retry: { initialMs: 1 } }

describe('createEventStream requests', () => {
  it.each([
    ['an object', { 'x-app': 'kit' }],
    ['a Headers', new Headers({ 'x-app': 'kit' })],
    ['a function', () => ({ 'x-app': 'kit' })],
  ])('sends headers given as %s', async (_, headers) => {
    t.open('/events', { ...quick, headers })
    expect((await t.server.request(0)).headers['x-app']).toBe('kit')
  })

  it('calls an async headers function at every attempt, so a refreshed token is used on retry', async () => {
    t.server.respond(reply(503), openStream)
    let token = 0
    t.open('/events', { ...quick, headers: async () => ({ authorization: `Bearer ${++token}` }) })
    expect((await t.server.request(0)).headers.authorization).toBe('Bearer 1')
    expect((await t.server.request(1)).headers.authorization).toBe('Bearer 2')
  })

  it('keeps an accept header the caller set', async () => {
    t.open('/events', { ...quick, headers: { accept: 'text/event-stream, */*' } })
    expect((await t.server.request(0)).headers.accept).toBe('text/event-stream, */*')
  })

  it('sends any method and body through a custom fetch, with the RequestInit fields given', async () => {
    const inits: RequestInit[] = []
    const stream = t.open('/jobs', {
      ...quick,
      method: 'PUT',
      body: 'payload',
      credentials: 'include',
      fetch: (input, init) => (inits.push(init!), fetch(input, init)),
    })
    expect(await t.server.request(0)).toMatchObject({ method: 'PUT', body: 'payload' })
    await reach(stream, 'open')
    expect(inits[0]).toMatchObject({ method: 'PUT', body: 'payload', credentials: 'include' })
  })

  it('runs in Node without window or document, pauseWhenHidden included', async () => {
    expect(typeof window).toBe('undefined')
    expect(typeof document).toBe('undefined')
    const stream = t.open('/events', { ...quick, pauseWhenHidden: true })
    ;(await t.server.request(0)).send('event: done\ndata: {}\n\n')
    expect((await stream.finished).reason).toBe('done')
  })
})
