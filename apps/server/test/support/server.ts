import { startServer, type RunningServer, type ServerConfigInput } from '../../src/index'
import { mintSubscribeToken } from '../../src/auth/tokens'

export const PUBLISH_SECRET = 'test-publish-secret-0123456789'
export const TOKEN_SECRET = 'test-token-secret-0123456789-abcdefghij'

export interface TestServer extends RunningServer {
  token(key: string, ttlSeconds?: number): string
  /** URL to subscribe to `key`, with a valid token unless `token` is given. */
  eventsUrl(key: string, token?: string): string
  /** POST JSON with the publish secret unless `authorization` says otherwise (null: none). */
  post(path: string, body?: unknown, authorization?: string | null): Promise<Response>
  publish(key: string, data: unknown, event?: string): Promise<{ id: number; delivered: number }>
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
  const out = { ...a }
  for (const [k, v] of Object.entries(b)) out[k] = isObject(out[k]) && isObject(v) ? merge(out[k], v) : v
  return out
}

/** The real server on a free loopback port, fast intervals, silent logs. */
export async function startTestServer(overrides: ServerConfigInput = {}): Promise<TestServer> {
  const base: ServerConfigInput = {
    port: 0,
    host: '127.0.0.1',
    publishSecret: PUBLISH_SECRET,
    tokenSecret: TOKEN_SECRET,
    log: { level: 'silent' },
    channels: { retryMs: 20 },
    demo: { stepMs: 20 },
  }
  const running = await startServer(merge(base, overrides) as ServerConfigInput, { production: false })
  const token = (key: string, ttlSeconds = 60): string =>
    mintSubscribeToken(key, ttlSeconds, { secret: TOKEN_SECRET }).token
  const post = (path: string, body?: unknown, authorization: string | null = `Bearer ${PUBLISH_SECRET}`) =>
    fetch(running.url + path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization === null ? {} : { authorization }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  return Object.assign(running, {
    token,
    eventsUrl: (key: string, t = token(key)) =>
      `${running.url}/api/events/${key}?token=${encodeURIComponent(t)}`,
    post,
    async publish(key: string, data: unknown, event?: string) {
      const res = await post(`/api/events/${key}`, { event, data })
      if (res.status !== 200) throw new Error(`publish answered ${res.status}: ${await res.text()}`)
      return (await res.json()) as { id: number; delivered: number }
    },
  })
}
