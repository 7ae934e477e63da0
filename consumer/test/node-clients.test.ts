import { join } from 'node:path'
import { startServer, type RunningServer } from '@kit/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installTarballs, run, type InstalledApp } from '../src/install'

const FIXTURE = join(import.meta.dirname, '../fixtures/node-clients')

let app: InstalledApp
let kit: RunningServer
const tsc = (project: string) =>
  run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], app.dir)

beforeAll(async () => {
  ;[app, kit] = await Promise.all([
    installTarballs(FIXTURE, ['@kit/protocol', '@kit/sse-client', '@kit/vue-chat']),
    startServer(
      { port: 0, host: '127.0.0.1', demo: { enabled: false }, log: { level: 'silent' } },
      { production: false },
    ),
  ])
})
afterAll(async () => {
  await kit?.close()
  app?.remove()
})

describe('the tarballs under TypeScript, skipLibCheck off', () => {
  // node16 checks import (.mts) and require (.cts) against each condition's own declarations, and emits
  // the programs the next tests run.
  it('type-check under moduleResolution node16, ESM and CommonJS', async () => {
    await expect(tsc('tsconfig.node16.json')).resolves.toBe('')
  })

  it('type-check under moduleResolution bundler', async () => {
    await expect(tsc('tsconfig.bundler.json')).resolves.toBe('')
  })
})

describe.each([
  ['ESM (import)', 'dist/esm.mjs'],
  ['CommonJS (require)', 'dist/cjs.cjs'],
])('a Node %s consumer of @kit/sse-client and @kit/protocol', (_, program) => {
  it('follows a channel of a real server to its end', async () => {
    const key = `node-${program.replace(/\W/g, '-')}`
    const { token } = kit.router.mintSubscribeToken(key, 60)
    const before = kit.registry.stats().connections
    const output = run(process.execPath, [program, `${kit.url}/api/events/${key}?token=${token}`], app.dir)
    const connected = async () => {
      while (kit.registry.stats().connections === before) await new Promise((r) => setTimeout(r, 20))
    }
    await Promise.race([connected(), output])
    await kit.registry.send(key, 'status', { step: 1 })
    await kit.registry.send(key, 'status', { step: 2 })
    await kit.registry.complete(key)
    expect(JSON.parse(await output)).toEqual({ steps: [1, 2], reason: 'done', terminal: true, valid: true })
  })
})
