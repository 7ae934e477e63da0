import { describe, expect, it } from 'vitest'
import { connectRedisClients } from '../../src/redis/clients'
import { RedisUnavailableError } from '../../src/redis/connection'
import { DatabaseUnavailableError, openPostgres } from '../../src/storage/postgres/database'
import { startInstance } from './support/cluster'
import { closedPort } from './support/ports'

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

  it('stops a server process at start with that message, for Redis and for PostgreSQL', async () => {
    const port = await closedPort()
    const env = { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' }
    const cases = [
      [{ REDIS_URL: `redis://127.0.0.1:${port}` }, `Redis at redis://127.0.0.1:${port} is unreachable`],
      [
        { DATABASE_URL: `postgres://kit@127.0.0.1:${port}/kit` },
        `PostgreSQL at postgres://kit@127.0.0.1:${port}/kit`,
      ],
    ] as const
    for (const [engine, message] of cases) {
      const started = await startInstance('doomed', { ...env, ...engine }).catch(
        (err: unknown) => err as Error,
      )
      if (!(started instanceof Error)) {
        await new Promise((resolve) => started.child.once('exit', resolve).kill('SIGKILL'))
        throw new Error('the server started without its engine')
      }
      expect(started.message).toContain('exited with 1')
      expect(started.message).toContain(message)
    }
  }, 30_000)
})
