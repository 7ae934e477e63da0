import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger, startServer, type RunningServer } from '../../src/index'
import { PUBLISH_SECRET, TOKEN_SECRET } from '../support/server'
import { SseReader } from '../support/sse-reader'
import { waitFor } from '../support/wait'

const lines: string[] = []
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString().split('\n').filter(Boolean))
    done()
  },
})
let server: RunningServer

beforeAll(async () => {
  server = await startServer(
    { port: 0, host: '127.0.0.1', publishSecret: PUBLISH_SECRET, tokenSecret: TOKEN_SECRET },
    { logger: createLogger({ level: 'debug' }, sink), production: false },
  )
})

afterAll(() => server.close())

describe('structured logs', () => {
  it('name the channel key and never the token or the secret', async () => {
    const token = server.router.mintSubscribeToken('log-key-1', 60).token
    const reader = await SseReader.open(`${server.url}/api/events/log-key-1?token=${token}`)
    await waitFor('subscribed', () => server.registry.stats().connections === 1)
    await fetch(`${server.url}/api/events/log-key-1/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PUBLISH_SECRET}` },
    })
    await reader.waitForEnd()
    await fetch(`${server.url}/api/events/log-key-1?token=${token}x`)
    await waitFor('the end logged', () => lines.some((l) => l.includes('"msg":"channel ended"')))

    const entries = lines.map((l) => JSON.parse(l) as { key?: string; msg: string })
    expect(entries.filter((e) => e.key === 'log-key-1').map((e) => e.msg)).toEqual(
      expect.arrayContaining(['subscribed', 'channel ended']),
    )
    for (const line of lines) {
      expect(line).not.toContain(token.split('.')[2])
      expect(line).not.toContain(PUBLISH_SECRET)
    }
  })

  it('censor a token or a secret that slips into a log object', () => {
    const captured: string[] = []
    const logger = createLogger(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          captured.push(chunk.toString())
          done()
        },
      }),
    )
    logger.info({ token: 'v1.1.abc', headers: { authorization: 'Bearer s3cret' }, key: 'k' }, 'oops')
    expect(captured.join('')).not.toMatch(/v1\.1\.abc|s3cret/)
    expect(captured.join('')).toContain('"key":"k"')
  })
})
