import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { waitFor } from '../support/wait'

const SERVER_DIR = join(dirname(fileURLToPath(import.meta.url)), '../..')
// Chat history in memory: the server started here leaves no file behind.
const dir = mkdtempSync(join(tmpdir(), 'kit-main-'))
const CONFIG = join(dir, 'kit.json')
writeFileSync(CONFIG, JSON.stringify({ chat: { storage: { path: ':memory:' } } }))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** `pnpm --filter @kit/server start`, as a child process with only the given environment. */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@kit/source', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      KIT_CONFIG: CONFIG,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = { stdout: '', stderr: '', code: null as number | null }
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()))
  child.on('exit', (code) => (output.code = code))
  return { child, output }
}

// Each test starts a process that compiles the server with tsx: on a busy 2-core machine that alone can
// outlast vitest's 5 s default, so the tests get the same bound as their waits.
describe('src/main.ts', { timeout: 30_000 }, () => {
  it('refuses to start on a bad value, naming the field and its variable', async () => {
    const { output } = start({ KIT_HEARTBEAT_MS: 'often' })
    await waitFor('exit', () => output.code !== null, 15_000)
    expect(output.code).toBe(1)
    expect(output.stderr).toMatch(/channels\.heartbeatMs \(from KIT_HEARTBEAT_MS\)/)
  })

  it('generates the missing secrets outside production, says so once, serves, and stops on SIGTERM', async () => {
    const { child, output } = start({ NODE_ENV: 'development', LOG_LEVEL: 'info' })
    await waitFor('listening', () => output.stdout.includes('"msg":"listening"'), 15_000)
    const generated = output.stdout
      .split('\n')
      .filter((l) => l.includes('is not set: generated one'))
      .map((l) => JSON.parse(l) as { variable: string; secret: string })
    expect(generated.map((g) => g.variable)).toEqual(['KIT_PUBLISH_SECRET', 'KIT_TOKEN_SECRET'])
    const url = (
      JSON.parse(output.stdout.split('\n').find((l) => l.includes('"msg":"listening"'))!) as { url: string }
    ).url
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
    const publish = await fetch(`${url}/api/events/main-1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${generated[0]!.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ data: 1 }),
    })
    expect(await publish.json()).toEqual({ id: 1, delivered: 0 })
    child.kill('SIGTERM')
    await waitFor('exit', () => output.code !== null, 10_000)
    expect(output.code).toBe(0)
  })

  it('refuses to start in production without the secrets', async () => {
    const { output } = start({ NODE_ENV: 'production' })
    await waitFor('exit', () => output.code !== null, 15_000)
    expect(output.code).toBe(1)
    expect(output.stderr).toMatch(/publishSecret \(from KIT_PUBLISH_SECRET\): required in production/)
  })
})
