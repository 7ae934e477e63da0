import { describe, expect, it } from 'vitest'
import { demoInstanceSchema, openaiInstanceSchema } from '../../src/config/chat'
import { createProviderCatalog, providersFromConfig } from '../../src/providers/catalog'
import { createDemoProvider } from '../../src/providers/demo/provider'
import { PNG_SIGNATURE } from '../../src/images/png'
import type { ProviderRequest } from '../../src/providers/types'
import { collect } from './collect'

const never = new AbortController().signal
const demo = (tokensPerSecond = 100_000) =>
  createDemoProvider(demoInstanceSchema.parse({ type: 'demo', tokensPerSecond }))
const ask = (prompt: string, extra: Partial<ProviderRequest> = {}): ProviderRequest => ({
  model: 'demo-markdown',
  messages: [{ role: 'user', content: prompt }],
  ...extra,
})

describe('demo provider', () => {
  it('streams the same Markdown answer for the same prompt, with every block and a demo notice', async () => {
    const first = await collect(demo().stream(ask('What is SSE?'), never))
    const second = await collect(demo().stream(ask('What is SSE?'), never))
    const text = first.text()
    expect(text).toBe(second.text())
    expect(text).toMatch(/^## Demo answer/)
    expect(text).toContain('**demo** provider')
    expect(text).toMatch(/^1\. /m)
    expect(text).toContain('| --- | --- |')
    expect(text).toMatch(/```ts\n[\s\S]+\n```/)
    expect(text).toContain('*What is SSE?*')
    expect(first.chunks.filter((c) => c.type === 'delta').length).toBeGreaterThan(50)
    expect(first.chunks.at(-1)).toMatchObject({ type: 'usage' })
  })

  it('paces tokens at the configured rate', async () => {
    const started = Date.now()
    const result = await collect(demo(2_000).stream(ask('pace'), never))
    const deltas = result.chunks.filter((c) => c.type === 'delta').length
    expect(Date.now() - started).toBeGreaterThanOrEqual(deltas * 0.5 - 5)
  })

  it('answers n choices and cuts at maxTokens with reason length', async () => {
    const whole = await collect(demo().stream(ask('two', { n: 2 }), never))
    expect(whole.text(0)).toMatch(/^## Demo answer\n/)
    expect(whole.text(1)).toMatch(/^## Demo answer \(choice 2\)\n/)
    const result = await collect(demo().stream(ask('two', { n: 2, maxTokens: 5 }), never))
    const finishes = result.chunks.filter((c) => c.type === 'finish')
    expect(finishes).toEqual([
      { type: 'finish', choice: 0, reason: 'length' },
      { type: 'finish', choice: 1, reason: 'length' },
    ])
    expect(result.chunks.at(-1)).toMatchObject({ type: 'usage', usage: { completionTokens: 10 } })
  })

  it('stops when aborted', async () => {
    const controller = new AbortController()
    let deltas = 0
    const result = await collect(
      (async function* () {
        for await (const chunk of demo(1_000).stream(ask('stop me'), controller.signal)) {
          if (chunk.type === 'delta' && ++deltas === 3) controller.abort()
          yield chunk
        }
      })(),
    )
    expect(deltas).toBe(3)
    expect(result.chunks.some((c) => c.type === 'usage')).toBe(false)
  })

  it('draws PNG pictures offline, as data URLs or base64', async () => {
    const images = demo().images
    const request = { prompt: 'a cat', model: 'demo-image', n: 2, size: '256x256' }
    const asUrl = await images?.generate({ ...request, format: 'url' }, never)
    const asB64 = await images?.generate({ ...request, format: 'b64_json' }, never)
    expect(asUrl?.[0]).toMatchObject({ url: expect.stringMatching(/^data:image\/png;base64,/) })
    const [one, two] = (asB64 ?? []).map((i) => Buffer.from('b64' in i ? i.b64 : '', 'base64'))
    expect(one?.subarray(0, 8)).toEqual(PNG_SIGNATURE)
    expect(one?.readUInt32BE(16)).toBe(256)
    expect(one?.equals(two ?? Buffer.alloc(0))).toBe(false)
  })
})

describe('provider catalog', () => {
  it('falls back to the demo when nothing is configured', () => {
    const catalog = createProviderCatalog(providersFromConfig([]))
    expect(catalog.defaultName).toBe('demo')
    expect(catalog.info()).toEqual([
      { name: 'demo', type: 'demo', models: ['demo-markdown'], defaultModel: 'demo-markdown', demo: true },
    ])
  })

  it('lists configured instances by name and never their keys', async () => {
    const configs = [
      openaiInstanceSchema.parse({ type: 'openai', name: 'a', apiKeys: 'sk-secret-1,sk-secret-2' }),
      openaiInstanceSchema.parse({
        type: 'openai',
        name: 'b',
        apiKeys: ['sk-secret-3'],
        models: ['m1', 'm2'],
      }),
    ]
    const catalog = createProviderCatalog(providersFromConfig(configs), 'b')
    expect(catalog.defaultName).toBe('b')
    expect(catalog.find()?.name).toBe('b')
    expect(catalog.find('a')?.defaultModel).toBe('gpt-4o-mini')
    expect(catalog.find('nope')).toBeUndefined()
    expect(JSON.stringify(catalog.info())).not.toContain('sk-secret')
    await catalog.close()
  })

  it('refuses two instances with one name and a default that does not exist', () => {
    const one = demoInstanceSchema.parse({ type: 'demo' })
    expect(() => createProviderCatalog(providersFromConfig([one, one]))).toThrow(/two provider instances/)
    expect(() => createProviderCatalog(providersFromConfig([one]), 'missing')).toThrow(/not configured/)
  })
})
