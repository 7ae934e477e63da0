import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/index'

const dir = mkdtempSync(join(tmpdir(), 'kit-env-providers-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('chat settings from the environment', () => {
  it('adds an openai instance from OPENAI_API_KEY, keys rotated, base URL optional', () => {
    const config = loadConfig({
      env: { OPENAI_API_KEY: 'sk-one, sk-two', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' },
    })
    expect(config.chat.providers).toEqual([
      expect.objectContaining({
        type: 'openai',
        name: 'openai',
        apiKeys: ['sk-one', 'sk-two'],
        baseUrl: 'http://127.0.0.1:11434/v1',
      }),
    ])
  })

  it('adds a spark instance from the three SPARK_ variables and names a missing one', () => {
    const config = loadConfig({
      env: { SPARK_APP_ID: 'app', SPARK_API_KEY: 'key', SPARK_API_SECRET: 'secret' },
    })
    expect(config.chat.providers).toEqual([
      expect.objectContaining({
        type: 'spark',
        name: 'spark',
        credentials: [{ appId: 'app', apiKey: 'key', apiSecret: 'secret' }],
      }),
    ])
    expect(() => loadConfig({ env: { SPARK_APP_ID: 'app', SPARK_API_KEY: 'key' } })).toThrow(
      /chat\.providers\.0\.credentials\.apiSecret \(from SPARK_API_SECRET\)/,
    )
  })

  it('keeps the file instances and replaces the one of the same name', () => {
    const path = join(dir, 'providers.json')
    writeFileSync(
      path,
      JSON.stringify({
        chat: {
          providers: [
            { type: 'openai', name: 'openai', apiKeys: 'sk-file' },
            { type: 'demo', name: 'offline' },
          ],
        },
      }),
    )
    const config = loadConfig({ env: { OPENAI_API_KEY: 'sk-env' }, file: path })
    expect(config.chat.providers.map((p) => [p.name, p.type])).toEqual([
      ['offline', 'demo'],
      ['openai', 'openai'],
    ])
    expect(config.chat.providers[1]).toMatchObject({ apiKeys: ['sk-env'] })
  })

  it('names the variable of a bad OPENAI_BASE_URL', () => {
    expect(() => loadConfig({ env: { OPENAI_API_KEY: 'sk', OPENAI_BASE_URL: 'not a url' } })).toThrow(
      ConfigError,
    )
    expect(() => loadConfig({ env: { OPENAI_API_KEY: 'sk', OPENAI_BASE_URL: 'not a url' } })).toThrow(
      /chat\.providers\.0\.baseUrl \(from OPENAI_BASE_URL\)/,
    )
  })

  it('reads auth, storage and session idle time', () => {
    const config = loadConfig({
      env: {
        KIT_AUTH_MODE: 'jwt',
        KIT_JWT_SECRET: 'x'.repeat(32),
        KIT_STORAGE_PATH: ':memory:',
        KIT_SESSION_IDLE_MINUTES: '30',
      },
    })
    expect(config.chat.auth).toMatchObject({ mode: 'jwt', jwtSecret: 'x'.repeat(32) })
    expect(config.chat.storage.path).toBe(':memory:')
    expect(config.chat.sessions.idleMinutes).toBe(30)
    expect(() => loadConfig({ env: { KIT_AUTH_MODE: 'jwt' } })).toThrow(/chat\.auth\.jwtSecret/)
  })

  it('reads the quota time zone and the limits, naming the variable of a bad zone', () => {
    const config = loadConfig({
      env: {
        KIT_QUOTA_TIME_ZONE: 'Asia/Shanghai',
        KIT_CONCURRENT_ANSWERS: '2',
        KIT_RATE_PER_USER: '10',
        KIT_RATE_PER_IP: '0',
        KIT_RATE_WINDOW_SECONDS: '30',
      },
    })
    expect(config.chat.quotas.timeZone).toBe('Asia/Shanghai')
    expect(config.chat.limits).toEqual({
      concurrentAnswers: 2,
      rate: { perUser: 10, perIp: 0, windowSeconds: 30 },
      anonymousPerIp: 1,
    })
    expect(() => loadConfig({ env: { KIT_QUOTA_TIME_ZONE: 'Beijing' } })).toThrow(
      /chat\.quotas\.timeZone \(from KIT_QUOTA_TIME_ZONE\)/,
    )
  })
})
