import { ErrorCode } from '@kit/protocol'
import express from 'express'
import { SignJWT } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import { createKitRouter, type TokenUser } from '../../src/index'
import { listen, type Listening } from '../library/support/listen'
import { PUBLISH_SECRET, startTestServer, TOKEN_SECRET } from '../support/server'

const JWT_SECRET = 'a-jwt-secret-of-at-least-32-characters!'
const chat = {
  storage: { path: ':memory:' },
  providers: [{ type: 'demo' as const, tokensPerSecond: 100_000 }],
}

const sign = (claims: Record<string, unknown>, subject?: string) => {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m')
  return (subject === undefined ? jwt : jwt.setSubject(subject)).sign(new TextEncoder().encode(JWT_SECRET))
}
const bearer = async (claims: Record<string, unknown>, subject?: string) => ({
  authorization: `Bearer ${await sign(claims, subject)}`,
})

const closers: (() => Promise<unknown>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/** The host's user directory, a real HTTP service: who is known, who is blocked, and what was asked. */
async function startDirectory(answers: Record<string, { status: number; body?: unknown }>) {
  const asked: { userId: string; plan?: string; claims: Record<string, unknown> }[] = []
  const app = express()
  app.post('/authorize', express.json(), (req, res) => {
    asked.push(req.body)
    const answer = answers[(req.body as { userId: string }).userId] ?? { status: 200, body: { allow: false } }
    res.status(answer.status).json(answer.body ?? {})
  })
  const directory = await listen(app)
  closers.push(() => directory.close())
  return { url: `${directory.url}/authorize`, asked }
}

async function conversations(url: string, headers: Record<string, string>) {
  const response = await fetch(`${url}/api/conversations`, { headers })
  return { status: response.status, body: (await response.json()) as { error?: { code: string } } }
}

async function server(auth: Record<string, unknown>) {
  const running = await startTestServer({
    chat: { ...chat, auth: { mode: 'jwt', jwtSecret: JWT_SECRET, ...auth } },
  })
  closers.push(() => running.close())
  return running
}

describe('claim mapping', () => {
  it('takes the user id from the claim auth.claims.userId names, numbers included', async () => {
    const s = await server({ claims: { userId: 'uid' } })
    const ask = async (headers: Record<string, string>) => {
      const response = await fetch(`${s.url}/api/chat`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'hi', conversationId: 'numbered' }),
      })
      await response.text()
    }
    await ask(await bearer({ uid: 4711 }, 'ignored-subject'))
    const same = await conversations(s.url, await bearer({ uid: '4711' }))
    expect(same.body).toMatchObject({ conversations: [{ id: 'numbered' }] })
    const bySubject = await conversations(s.url, await bearer({}, '4711'))
    expect(bySubject.status).toBe(401)
    expect(bySubject.body.error?.code).toBe(ErrorCode.Unauthorized)
  })
})

describe('the login check as a service (auth.authorizeUrl)', () => {
  it('lets in the users it allows, refuses the others with 403 user_refused, and sends the mapped claims', async () => {
    const directory = await startDirectory({
      alice: { status: 200, body: { allow: true, plan: 'pro' } },
      mallory: { status: 403, body: { reason: 'blocked for abuse' } },
    })
    const s = await server({ authorizeUrl: directory.url, claims: { plan: 'tier' } })

    expect((await conversations(s.url, await bearer({ tier: 'free' }, 'alice'))).status).toBe(200)
    const mallory = await conversations(s.url, await bearer({}, 'mallory'))
    expect(mallory.status).toBe(403)
    expect(mallory.body.error).toEqual({ code: ErrorCode.UserRefused, message: 'blocked for abuse' })
    const unknown = await conversations(s.url, await bearer({}, 'nobody'))
    expect(unknown.status).toBe(403)
    expect(unknown.body.error?.code).toBe(ErrorCode.UserRefused)
    expect(directory.asked[0]).toMatchObject({ userId: 'alice', plan: 'free', claims: { sub: 'alice' } })
  })

  it('reuses an answer for authorizeCacheSeconds, one call for concurrent requests', async () => {
    const directory = await startDirectory({ alice: { status: 200, body: { allow: true } } })
    const s = await server({ authorizeUrl: directory.url, authorizeCacheSeconds: 60 })
    const headers = await bearer({}, 'alice')
    const statuses = await Promise.all(
      Array.from({ length: 5 }, async () => (await conversations(s.url, headers)).status),
    )
    expect(statuses).toEqual([200, 200, 200, 200, 200])
    expect((await conversations(s.url, headers)).status).toBe(200)
    expect(directory.asked).toHaveLength(1)
  })

  it('answers 503 authorizer_unavailable when the service fails, and asks again next time', async () => {
    const directory = await startDirectory({ carol: { status: 500 } })
    const s = await server({ authorizeUrl: directory.url })
    const headers = await bearer({}, 'carol')
    for (let attempt = 0; attempt < 2; attempt++) {
      const failed = await conversations(s.url, headers)
      expect(failed.status).toBe(503)
      expect(failed.body.error?.code).toBe(ErrorCode.AuthorizerUnavailable)
    }
    expect(directory.asked).toHaveLength(2)
  })
})

describe('the login check in code (authorizeUser)', () => {
  it('decides for an embedded router, with the mapped user and the request', async () => {
    const seen: { user: TokenUser; path: string }[] = []
    const kit = createKitRouter({
      publishSecret: PUBLISH_SECRET,
      tokenSecret: TOKEN_SECRET,
      demo: false,
      chat: { ...chat, auth: { mode: 'jwt', jwtSecret: JWT_SECRET } },
      authorizeUser: (user, req) => {
        seen.push({ user, path: req.path })
        return user.plan === 'paid' ? true : { allow: false, reason: 'subscribe first' }
      },
    })
    const app = express()
    app.use('/kit', kit)
    const host: Listening = await listen(app)
    closers.push(async () => {
      await kit.close()
      await host.close()
    })
    const paid = await conversations(`${host.url}/kit`, await bearer({ plan: 'paid', admin: true }, 'dan'))
    expect(paid.status).toBe(200)
    const free = await conversations(`${host.url}/kit`, await bearer({ plan: 'free' }, 'eve'))
    expect(free).toEqual({
      status: 403,
      body: { error: { code: ErrorCode.UserRefused, message: 'subscribe first' } },
    })
    expect(seen[0]?.user).toMatchObject({ id: 'dan', plan: 'paid', admin: true })
    expect(seen[0]?.path).toBe('/api/conversations')
    const backend = await conversations(`${host.url}/kit`, { authorization: `Bearer ${PUBLISH_SECRET}` })
    expect(backend.status).toBe(200)
    expect(seen).toHaveLength(2)
  })
})
