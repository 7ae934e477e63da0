import { describe, expect, it } from 'vitest'
import { repoRoot } from '../../scripts/pack-tarballs.mjs'
import { startServerProcess, waitUntilPortFree } from '../src/server-process'

// Stopping the pnpm process must stop the server under it: a server left running keeps its port.
describe('pnpm --filter @kit/server start', () => {
  it('closes the server and frees its port when the pnpm process gets SIGTERM', async () => {
    const server = await startServerProcess('pnpm', ['--filter', '@kit/server', 'start'], {
      cwd: repoRoot,
      env: { PORT: '0', HOST: '127.0.0.1', KIT_STORAGE_PATH: ':memory:', LOG_LEVEL: 'info' },
    })
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    server.child.kill('SIGTERM')
    await server.exited
    await waitUntilPortFree(server.port)
    expect(server.output()).toContain('"signal":"SIGTERM","msg":"shutting down"')
  })
})
