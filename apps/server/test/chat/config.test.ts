import { describe, expect, it } from 'vitest'
import { chatConfigSchema } from '../../src/config/chat'
import { retryPolicyOf } from '../../src/providers/resilience'

const issues = (input: unknown) => {
  const result = chatConfigSchema.safeParse(input)
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

describe('chatConfigSchema', () => {
  it('defaults to an offline kit that writes no file: no instance (the demo), SQLite in memory, anonymous users', () => {
    const config = chatConfigSchema.parse({})
    expect(config).toMatchObject({
      providers: [],
      sessions: { contextTokens: 4000 },
      streams: { graceMs: 30_000 },
      storage: { path: ':memory:' },
      auth: { mode: 'anonymous', cookieName: 'kit_uid' },
    })
    expect(config.sessions.idleMinutes).toBeUndefined()
  })

  it('accepts keys as a list or a comma-separated string, with 5 retry attempts by default', () => {
    const config = chatConfigSchema.parse({
      providers: [{ type: 'openai', name: 'a', apiKeys: 'sk-1, sk-2' }],
    })
    expect(config.providers[0]).toMatchObject({
      apiKeys: ['sk-1', 'sk-2'],
      baseUrl: 'https://api.openai.com/v1',
    })
    expect(retryPolicyOf(config.providers[0]!)).toEqual({
      attempts: 5,
      baseMs: 500,
      maxMs: 8_000,
      factor: 2,
      jitter: 'equal',
    })
  })

  it('still reads the deprecated retries and backoff, under retry', () => {
    const [old, both] = chatConfigSchema.parse({
      providers: [
        { type: 'demo', name: 'old', retries: 2, backoff: { initialMs: 20, maxMs: 80 } },
        { type: 'demo', name: 'both', retries: 2, backoff: { initialMs: 20 }, retry: { attempts: 3 } },
      ],
    }).providers
    expect(retryPolicyOf(old!)).toMatchObject({ attempts: 2, baseMs: 20, maxMs: 80 })
    expect(retryPolicyOf(both!)).toMatchObject({ attempts: 3, baseMs: 20, maxMs: 8_000 })
  })

  it('names each bad field', () => {
    expect(
      issues({
        providers: [
          {
            type: 'spark',
            name: 's',
            credentials: { appId: 'a', apiKey: 'k', apiSecret: 's' },
            models: ['gpt-4o'],
          },
        ],
      }),
    ).toEqual([expect.stringMatching(/^providers\.0\.models\.0: /)])
    expect(issues({ providers: [{ type: 'demo', models: ['a'], defaultModel: 'b' }] })).toEqual([
      'providers.0.defaultModel: defaultModel must be one of models',
    ])
    expect(
      issues({ providers: [{ type: 'openai', name: 'a', apiKeys: ['k'], proxy: 'ftp://x:1' }] }),
    ).toEqual([expect.stringMatching(/^providers\.0\.proxy: /)])
    expect(issues({ auth: { mode: 'jwt' } })).toEqual([
      'auth.jwtSecret: auth.mode "jwt" needs auth.jwtSecret',
    ])
    expect(issues({ templates: [{ name: 'x', label: 'X', prompt: 'no input here' }] })).toEqual([
      'templates.0.prompt: a template prompt must contain {{input}}',
    ])
  })
})
