import { readFileSync } from 'node:fs'
import { ErrorCode } from '@kit/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKitApp, createKitRouter, HTTP_STATUS, KitError, type KitRouter } from '../../src/index'
import { BusUnavailableError } from '../../src/bus/redis/unavailable'
import { ChannelClosedError } from '../../src/channels/errors'
import { ChatError } from '../../src/chat/errors'
import { listen, type Listening } from '../library/support/listen'
import { PUBLISH_SECRET, TOKEN_SECRET } from '../support/server'
import { pino } from 'pino'

let kit: KitRouter
let site: Listening

/** A route module that throws whatever error the test hands it. */
let next: unknown
beforeAll(async () => {
  kit = createKitRouter({
    publishSecret: PUBLISH_SECRET,
    tokenSecret: TOKEN_SECRET,
    demo: false,
    routes: [
      (router) =>
        router.get('/api/throw', () => {
          throw next
        }),
    ],
  })
  site = await listen(createKitApp({ router: kit, logger: pino({ level: 'silent' }) }))
})

afterAll(async () => {
  await site.close()
  await kit.close()
})

async function answerTo(error: unknown) {
  next = error
  const res = await fetch(`${site.url}/api/throw`)
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as unknown,
  }
}

/** The table of docs/protocol.md, "Errors over HTTP": code → status. */
function documentedStatuses(): Record<string, number> {
  const doc = readFileSync(new URL('../../../../docs/protocol.md', import.meta.url), 'utf8')
  const rows = [...doc.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)]
  return Object.fromEntries(rows.map(([, code, status]) => [code, Number(status)]))
}

describe('one table maps every error code to its status', () => {
  it.each(Object.values(ErrorCode))('%s answers its status and {error:{code,message}}', async (code) => {
    const status = HTTP_STATUS[code]
    expect(status).toBeGreaterThanOrEqual(400)
    expect(status).toBeLessThan(600)
    const answer = await answerTo(new KitError(code, `failed with ${code}`))
    expect(answer).toEqual({
      status,
      retryAfter: null,
      body: { error: { code, message: `failed with ${code}` } },
    })
  })

  it('documents every code with the status it answers', () => {
    expect(documentedStatuses()).toEqual(HTTP_STATUS)
  })

  it('only the server’s own failures are 5xx; client errors are 4xx', () => {
    const clientFaults: ErrorCode[] = [
      ErrorCode.BadRequest,
      ErrorCode.ValidationFailed,
      ErrorCode.InvalidKey,
      ErrorCode.JsonTooDeep,
      ErrorCode.Unauthorized,
      ErrorCode.PayloadTooLarge,
      ErrorCode.RateLimited,
      ErrorCode.QuotaExceeded,
    ]
    for (const code of clientFaults) expect(HTTP_STATUS[code], code).toBeLessThan(500)
  })

  it('domain errors answer through the same table, with Retry-After when they ask for a wait', async () => {
    expect(await answerTo(new ChannelClosedError('k'))).toMatchObject({ status: 409, retryAfter: null })
    expect(await answerTo(new ChatError(ErrorCode.QuotaExceeded, 'used up'))).toMatchObject({ status: 429 })
    expect(await answerTo(new BusUnavailableError(new Error('ECONNREFUSED')))).toEqual({
      status: 503,
      retryAfter: '1',
      body: { error: { code: 'bus_unavailable', message: expect.any(String), retryAfterSeconds: 1 } },
    })
    const slow = new KitError(ErrorCode.RateLimited, 'slow down', { retryAfterSeconds: 2.5 })
    expect(await answerTo(slow)).toMatchObject({ status: 429, retryAfter: '3' })
  })

  it('anything else is a 500 that says nothing of its cause', async () => {
    expect(await answerTo(new Error('password=hunter2 at db.internal'))).toEqual({
      status: 500,
      retryAfter: null,
      body: { error: { code: 'internal', message: 'internal error' } },
    })
  })
})
