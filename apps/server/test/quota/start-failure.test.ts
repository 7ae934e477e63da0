import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDefaultStores, createKitRouter, type KitRouter } from '../../src/index'
import type { ChatStores } from '../../src/storage/types'
import { listen, type Listening } from '../library/support/listen'
import { PUBLISH_SECRET, TOKEN_SECRET } from '../support/server'

const ALICE = { 'x-kit-user': 'alice-start-failure-01' }
let kit: KitRouter
let host: Listening
let stores: ChatStores
let failBegin = false

beforeAll(async () => {
  const defaults = createDefaultStores({ path: ':memory:' })
  // Stream state that refuses to begin when told to, as a store that is down would.
  stores = {
    ...defaults,
    streams: {
      ...defaults.streams,
      begin: (...args) =>
        failBegin ? Promise.reject(new Error('stream state down')) : defaults.streams.begin(...args),
    },
  }
  kit = createKitRouter({
    publishSecret: PUBLISH_SECRET,
    tokenSecret: TOKEN_SECRET,
    demo: false,
    chatStores: stores,
    chat: {
      providers: [{ type: 'demo', tokensPerSecond: 100_000 }],
      quotas: { defaultDaily: 1 },
      limits: { concurrentAnswers: 1 },
    },
  })
  const app = express()
  app.use(kit)
  host = await listen(app)
})
afterAll(async () => {
  await kit.close()
  await host.close()
  await stores.close()
})

const ask = () =>
  fetch(`${host.url}/api/chat`, {
    method: 'POST',
    headers: { ...ALICE, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'hello' }),
  })

describe('an answer that could not start', { timeout: 60_000 }, () => {
  it('gives back its concurrent slot and its quota', async () => {
    failBegin = true
    expect((await ask()).status).toBe(500)
    failBegin = false
    const next = await ask()
    expect(next.status).toBe(200)
    expect(await next.text()).toContain('event: done')
  })
})
