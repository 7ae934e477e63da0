import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, parseConfig, resolveSecrets } from '../../src/index'

const dir = mkdtempSync(join(tmpdir(), 'kit-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const file = (name: string, text: string): string => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('configuration', () => {
  it("puts a program's defaults under the file and the environment", () => {
    const defaults = { chat: { storage: { path: 'data/kit.db' } }, port: 4000 }
    expect(loadConfig({ env: {}, defaults })).toMatchObject({
      port: 4000,
      chat: { storage: { path: 'data/kit.db' } },
    })
    const fromFile = file('storage.json', JSON.stringify({ chat: { storage: { path: 'file.db' } } }))
    const config = loadConfig({ env: { KIT_CONFIG: fromFile, PORT: '5000' }, defaults })
    expect(config).toMatchObject({ port: 5000, chat: { storage: { path: 'file.db' } } })
    const fromEnv = loadConfig({ env: { KIT_CONFIG: fromFile, KIT_STORAGE_PATH: ':memory:' }, defaults })
    expect(fromEnv.chat.storage.path).toBe(':memory:')
  })

  it('has explicit defaults', () => {
    const config = loadConfig({ env: {} })
    expect(config).toMatchObject({
      port: 3000,
      cors: { origins: [] },
      channels: {
        heartbeatMs: 15_000,
        timeoutMs: 600_000,
        earlySendTtlMs: 60_000,
        retryMs: 1000,
        replay: { maxEvents: 2000, maxBytes: 512 * 1024, graceMs: 60_000 },
      },
      http: { bodyLimitBytes: 100 * 1024 },
      demo: { enabled: true },
      log: { level: 'info' },
    })
    expect(config.publishSecret).toBeUndefined()
    expect(config.chat).toBeTypeOf('object')
  })

  it('reads the environment', () => {
    const config = loadConfig({
      env: {
        PORT: '8080',
        KIT_PUBLISH_SECRET: 'publish-secret-0123456789',
        KIT_CORS_ORIGINS: 'https://a.example, http://localhost:5173',
        KIT_HEARTBEAT_MS: '5000',
        KIT_CHANNEL_TIMEOUT_MS: '0',
        KIT_DEMO: 'false',
        LOG_LEVEL: 'debug',
      },
    })
    expect(config).toMatchObject({
      port: 8080,
      publishSecret: 'publish-secret-0123456789',
      cors: { origins: ['https://a.example', 'http://localhost:5173'] },
      channels: { heartbeatMs: 5000, timeoutMs: 0 },
      demo: { enabled: false },
      log: { level: 'debug' },
    })
  })

  it('reads a JSON file named by KIT_CONFIG, under the environment', () => {
    const path = file(
      'kit.json',
      JSON.stringify({ port: 4000, channels: { heartbeatMs: 1000, replay: { maxEvents: 10 } }, chat: {} }),
    )
    const config = loadConfig({ env: { KIT_CONFIG: path, KIT_HEARTBEAT_MS: '2000' } })
    expect(config.port).toBe(4000)
    expect(config.channels).toMatchObject({ heartbeatMs: 2000, replay: { maxEvents: 10, graceMs: 60_000 } })
  })

  it('journals history beside the storage file when run from the environment, and nowhere unasked', () => {
    // As the bin loads it: history in data/kit.db unless the environment says otherwise.
    const program = { chat: { storage: { path: join('data', 'kit.db') } } }
    expect(loadConfig({ env: {}, defaults: program }).chat.history.journalPath).toBe(
      join('data', 'journal.db'),
    )
    expect(loadConfig({ env: {} }).chat.history.journalPath).toBeUndefined()
    expect(loadConfig({ env: { KIT_STORAGE_PATH: '/var/lib/kit/kit.db' } }).chat.history.journalPath).toBe(
      '/var/lib/kit/journal.db',
    )
    expect(
      loadConfig({ env: { KIT_STORAGE_PATH: '/srv/a.db', KIT_JOURNAL_PATH: '/fast/j.db' } }).chat.history,
    ).toMatchObject({ journalPath: '/fast/j.db', checkpointMs: 1000, interruptedAfterMs: 30_000 })
    expect(loadConfig({ env: { KIT_STORAGE_PATH: ':memory:' } }).chat.history.journalPath).toBeUndefined()
    expect(parseConfig({}).chat.history.journalPath).toBeUndefined()
    expect(() =>
      parseConfig({ chat: { history: { checkpointMs: 1000, interruptedAfterMs: 2000 } } }),
    ).toThrow(/interruptedAfterMs.*3 checkpoints/)
  })

  it('fails fast naming the bad field and the variable it came from', () => {
    expect(() => loadConfig({ env: { KIT_HEARTBEAT_MS: 'soon' } })).toThrow(
      /channels\.heartbeatMs \(from KIT_HEARTBEAT_MS\): .*expected number/,
    )
    expect(() => loadConfig({ env: { PORT: '70000' } })).toThrow(/port \(from PORT\)/)
    expect(() => loadConfig({ env: { KIT_TOKEN_SECRET: 'short' } })).toThrow(/tokenSecret.*32 characters/)
    expect(() => loadConfig({ env: { KIT_CORS_ORIGINS: 'example.com' } })).toThrow(/cors\.origins\.0/)
    expect(() => parseConfig({ channels: { replay: { maxEvents: 0 } } })).toThrow(ConfigError)
    expect(() => parseConfig({ channels: { replay: { maxEvents: 0 } } })).toThrow(
      /channels\.replay\.maxEvents/,
    )
  })

  it('names a config file that is missing, not JSON or not an object', () => {
    expect(() => loadConfig({ env: { KIT_CONFIG: join(dir, 'absent.json') } })).toThrow(
      /cannot read.*absent\.json/,
    )
    expect(() => loadConfig({ env: {}, file: file('bad.json', '{ port: 1') })).toThrow(/not valid JSON/)
    expect(() => loadConfig({ env: {}, file: file('list.json', '[]') })).toThrow(/JSON object/)
  })

  it('generates missing secrets once outside production and refuses to start without them in production', () => {
    const told: string[] = []
    const config = resolveSecrets(parseConfig({ publishSecret: 'given-publish-secret-01' }), {
      production: false,
      onGenerated: (variable) => told.push(variable),
    })
    expect(told).toEqual(['KIT_TOKEN_SECRET'])
    expect(config.publishSecret).toBe('given-publish-secret-01')
    expect(config.tokenSecret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(() => resolveSecrets(parseConfig({}), { production: true, onGenerated: () => undefined })).toThrow(
      /publishSecret \(from KIT_PUBLISH_SECRET\): required in production/,
    )
  })
})
