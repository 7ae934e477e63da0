import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openaiInstanceSchema, sparkInstanceSchema } from '../../src/config/chat'
import { loadConfig } from '../../src/config/load'
import { providersFromConfig } from '../../src/providers/catalog'
import { createOpenAIProvider } from '../../src/providers/openai/provider'
import { bypassesProxy, proxyFor } from '../../src/providers/proxy/resolve'
import { createSparkProvider } from '../../src/providers/spark/provider'
import type { ChatProvider, ProviderRequest } from '../../src/providers/types'
import { startConnectProxy, type ConnectProxy } from '../fakes/connect-proxy'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'
import { startSocks5Proxy, type Socks5Proxy } from '../fakes/socks5-proxy'
import { startFakeSpark, type FakeSpark } from '../fakes/spark-server'
import { collect } from './collect'

describe('proxyFor', () => {
  const proxy = 'http://proxy.corp:3128'
  it.each([
    ['https://api.openai.com/v1', { HTTPS_PROXY: proxy }, proxy],
    ['wss://spark-api.xf-yun.com', { https_proxy: proxy, HTTPS_PROXY: 'http://other:1' }, proxy],
    ['https://api.openai.com/v1', { HTTP_PROXY: proxy }, proxy],
    ['http://127.0.0.1:11434/v1', { HTTPS_PROXY: proxy }, undefined],
    ['ws://127.0.0.1:9000', { http_proxy: proxy }, proxy],
    ['https://api.openai.com/v1', { ALL_PROXY: 'socks5://127.0.0.1:1080' }, 'socks5://127.0.0.1:1080'],
    ['https://api.openai.com/v1', { HTTPS_PROXY: 'proxy.corp:3128' }, proxy],
    ['https://api.openai.com/v1', { HTTPS_PROXY: proxy, NO_PROXY: 'openai.com' }, undefined],
    ['https://api.openai.com/v1', { HTTPS_PROXY: proxy, no_proxy: 'localhost, .openai.com' }, undefined],
    ['https://api.openai.com/v1', { HTTPS_PROXY: proxy, NO_PROXY: 'api.openai.com:443' }, undefined],
    ['https://api.openai.com/v1', { HTTPS_PROXY: proxy, NO_PROXY: 'api.openai.com:8443' }, proxy],
    ['https://api.openai.com/v1', { HTTPS_PROXY: proxy, NO_PROXY: 'notopenai.com' }, proxy],
    ['https://api.openai.com/v1', { HTTPS_PROXY: proxy, NO_PROXY: '*' }, undefined],
  ])('%s with %o: %s', (target, env, expected) => {
    expect(proxyFor(target, undefined, env)).toBe(expected)
  })

  it('prefers the instance setting, and false turns the environment off', () => {
    const env = { HTTPS_PROXY: proxy }
    expect(proxyFor('https://api.openai.com', 'socks5://127.0.0.1:1080', env)).toBe('socks5://127.0.0.1:1080')
    expect(proxyFor('https://api.openai.com', false, env)).toBeUndefined()
  })

  it('matches IPv6 hosts in NO_PROXY, bracketed or not', () => {
    expect(bypassesProxy(new URL('http://[::1]:8080/'), '[::1]:8080')).toBe(true)
    expect(bypassesProxy(new URL('http://[::1]:8080/'), '::1')).toBe(true)
    expect(bypassesProxy(new URL('http://[::1]:8080/'), '[::1]:9090')).toBe(false)
  })
})

describe('proxy settings in the config', () => {
  const base = { type: 'openai', name: 'a', apiKeys: 'sk-x' }
  it("takes the source system's host, port and type", () => {
    const parse = (proxy: unknown) => openaiInstanceSchema.parse({ ...base, proxy }).proxy
    expect(parse({ type: 'socks', host: '127.0.0.1', port: 1080 })).toBe('socks5://127.0.0.1:1080')
    expect(parse({ host: 'proxy.corp', port: 3128, username: 'me', password: 'p@ss' })).toBe(
      'http://me:p%40ss@proxy.corp:3128',
    )
  })
  it('refuses a scheme it cannot speak', () => {
    expect(openaiInstanceSchema.safeParse({ ...base, proxy: 'ftp://proxy.corp:21' }).success).toBe(false)
  })
})

let openai: FakeOpenAI
let spark: FakeSpark
let connectProxy: ConnectProxy
let socks: Socks5Proxy
const opened: ChatProvider[] = []
const never = new AbortController().signal

beforeAll(async () => {
  openai = await startFakeOpenAI({ apiKeys: ['sk-test-key'] })
  spark = await startFakeSpark()
  connectProxy = await startConnectProxy()
  socks = await startSocks5Proxy()
})
afterAll(async () => {
  await Promise.all(opened.map((p) => p.close?.()))
  await Promise.all([openai.close(), spark.close(), connectProxy.close(), socks.close()])
})
afterEach(() => {
  openai.requests.length = 0
  connectProxy.tunnels.length = 0
  socks.connects.length = 0
})

const track = (provider: ChatProvider) => (opened.push(provider), provider)
const openaiVia = (env: NodeJS.ProcessEnv, overrides: Record<string, unknown> = {}) =>
  track(
    createOpenAIProvider(
      openaiInstanceSchema.parse({
        type: 'openai',
        name: 'acct',
        apiKeys: 'sk-test-key',
        baseUrl: openai.url,
        ...overrides,
      }),
      env,
    ),
  )
const sparkVia = (env: NodeJS.ProcessEnv, overrides: Record<string, unknown> = {}) =>
  track(
    createSparkProvider(
      sparkInstanceSchema.parse({
        type: 'spark',
        name: 'xf',
        url: spark.url,
        credentials: spark.credentials,
        ...overrides,
      }),
      env,
    ),
  )
const ask = (prompt: string, model = 'gpt-4o-mini'): ProviderRequest => ({
  model,
  messages: [{ role: 'user', content: prompt }],
})
const openaiHost = () => new URL(openai.url).host
const sparkHost = () => new URL(spark.url).host

describe('openai through proxies', () => {
  it('tunnels through HTTP_PROXY, upper or lower case', async () => {
    for (const name of ['HTTP_PROXY', 'http_proxy']) {
      const result = await collect(openaiVia({ [name]: connectProxy.url }).stream(ask('via env'), never))
      expect(result.text()).toBe('Echo: via env')
    }
    expect(connectProxy.tunnels).toEqual([openaiHost(), openaiHost()])
  })

  it('goes direct for a host in NO_PROXY, or when the instance says proxy: false', async () => {
    const env = { HTTP_PROXY: connectProxy.url, NO_PROXY: 'localhost,127.0.0.1' }
    expect((await collect(openaiVia(env).stream(ask('direct'), never))).text()).toBe('Echo: direct')
    const off = openaiVia({ HTTP_PROXY: connectProxy.url }, { proxy: false })
    expect((await collect(off.stream(ask('direct'), never))).text()).toBe('Echo: direct')
    expect(connectProxy.tunnels).toEqual([])
    expect(openai.requests).toHaveLength(2)
  })

  it('connects through a SOCKS5 proxy set on the instance', async () => {
    const result = await collect(openaiVia({}, { proxy: socks.url }).stream(ask('via socks'), never))
    expect(result.text()).toBe('Echo: via socks')
    expect(socks.connects).toEqual([openaiHost()])
  })

  it('gives the OPENAI_API_KEY quick path its retries and the proxy from the environment', async () => {
    const env = {
      OPENAI_API_KEY: 'sk-test-key',
      OPENAI_BASE_URL: openai.url,
      OPENAI_MAX_RETRIES: '1',
      HTTP_PROXY: connectProxy.url,
    }
    const config = loadConfig({ env, file: '' })
    const [provider] = providersFromConfig(config.chat.providers, env).map(track)
    openai.enqueue({ kind: 'status', status: 503 }, { kind: 'status', status: 503 })
    const failed = await collect(provider!.stream(ask('twice'), never))
    expect(failed.error).toMatchObject({ status: 503 })
    expect(openai.requests).toHaveLength(2)
    expect((await collect(provider!.stream(ask('then'), never))).text()).toBe('Echo: then')
    expect(connectProxy.tunnels.length).toBeGreaterThanOrEqual(1)
    expect(new Set(connectProxy.tunnels)).toEqual(new Set([openaiHost()]))
  })
})

describe("spark's WebSocket through proxies", () => {
  it('tunnels through HTTP_PROXY and goes direct for NO_PROXY', async () => {
    const viaEnv = sparkVia({ http_proxy: connectProxy.url })
    expect((await collect(viaEnv.stream(ask('tunnelled', 'lite'), never))).text()).toBe(
      'Spark answer to: tunnelled',
    )
    const bypass = sparkVia({ HTTP_PROXY: connectProxy.url, NO_PROXY: '127.0.0.1' })
    expect((await collect(bypass.stream(ask('direct', 'lite'), never))).text()).toBe(
      'Spark answer to: direct',
    )
    expect(connectProxy.tunnels).toEqual([sparkHost()])
  })

  it('connects through SOCKS5 given as proxy host, port and type', async () => {
    const { port } = socks
    const p = sparkVia({}, { proxy: { type: 'socks', host: '127.0.0.1', port } })
    expect((await collect(p.stream(ask('socks', 'lite'), never))).text()).toBe('Spark answer to: socks')
    expect(socks.connects).toEqual([sparkHost()])
  })
})
