import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { closedPort } from './ports'
import { endProcess } from './process'

/**
 * A redis-server of the test's own on a free loopback port, which the test may kill and restart without
 * disturbing the machine's Redis. It writes every change to its append-only file before answering, so a
 * restart after a kill finds the data again, as a Redis with persistence would; `wipe` makes the next
 * start an empty one.
 */
export interface PrivateRedis {
  readonly url: string
  start(): Promise<void>
  /** SIGKILL: connections drop at once, nothing is shut down cleanly. */
  kill(): Promise<void>
  /** Deletes the data files (only while stopped). */
  wipe(): void
  /** Kills it and deletes its directory. */
  close(): Promise<void>
}

const START_TIMEOUT_MS = 10_000

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    socket.setTimeout(500)
    socket.once('data', (chunk) => {
      socket.destroy()
      resolve(chunk.toString().startsWith('+PONG'))
    })
    socket.once('connect', () => socket.write('PING\r\n'))
    for (const failure of ['error', 'timeout']) {
      socket.once(failure, () => {
        socket.destroy()
        resolve(false)
      })
    }
  })
}

export interface PrivateRedisOptions {
  /** False: no append-only file and no snapshots (`--save "" --appendonly no`), so a restart comes back empty. */
  readonly persistent?: boolean
}

export async function privateRedis({ persistent = true }: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const port = await closedPort()
  const dir = mkdtempSync(join(tmpdir(), 'kit-redis-'))
  let child: ChildProcess | undefined

  const kill = async (): Promise<void> => {
    if (child) await endProcess(child, 'SIGKILL')
    child = undefined
  }

  const start = async (): Promise<void> => {
    // Data of its own kept in `dir`; `appendfsync always` so a SIGKILL loses nothing acknowledged.
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir]
    args.push('--logfile', join(dir, 'redis.log'))
    args.push(...(persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']))
    child = spawn('redis-server', args, { stdio: 'ignore' })
    const deadline = Date.now() + START_TIMEOUT_MS
    while (!(await answersPing(port))) {
      if (Date.now() > deadline || child.exitCode !== null) {
        await kill()
        throw new Error(`the private redis-server on port ${port} did not start`)
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    kill,
    wipe: () => {
      for (const entry of ['appendonlydir', 'appendonly.aof', 'dump.rdb']) {
        rmSync(join(dir, entry), { recursive: true, force: true })
      }
    },
    async close() {
      await kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
