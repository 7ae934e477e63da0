import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { connectRedisClients } from '../../src/redis/clients'
import { RedisUnavailableError } from '../../src/redis/connection'
import { DatabaseUnavailableError, openPostgres } from '../../src/storage/postgres/database'

/** A loopback port nothing listens on: bound, read, released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('start-up against an engine that does not answer', () => {
  it('fails at once when Redis is unreachable, naming the URL but not its password', async () => {
    const port = await closedPort()
    const startedAt = Date.now()
    const failure = await connectRedisClients(`redis://:hunter2@127.0.0.1:${port}`).catch(
      (err: unknown) => err,
    )
    expect(Date.now() - startedAt).toBeLessThan(2000)
    expect(failure).toBeInstanceOf(RedisUnavailableError)
    const message = (failure as Error).message
    expect(message).toContain(`redis://:***@127.0.0.1:${port}`)
    expect(message).toContain('ECONNREFUSED')
    expect(message).toContain('REDIS_URL')
    expect(message).not.toContain('hunter2')
  })

  it('fails at once when PostgreSQL is unreachable, naming the URL but not its password', async () => {
    const port = await closedPort()
    const failure = await openPostgres(`postgres://kit:hunter2@127.0.0.1:${port}/test`).catch(
      (err: unknown) => err,
    )
    expect(failure).toBeInstanceOf(DatabaseUnavailableError)
    const message = (failure as Error).message
    expect(message).toContain(`postgres://kit:***@127.0.0.1:${port}/test`)
    expect(message).toContain('ECONNREFUSED')
    expect(message).toContain('DATABASE_URL')
    expect(message).not.toContain('hunter2')
  })
})
