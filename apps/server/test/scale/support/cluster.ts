import { spawn, type ChildProcess } from 'node:child_process'
import { Agent, request } from 'node:http'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mintSubscribeToken } from '../../../src/auth/tokens'
import { endProcess } from './process'
import { REDIS_URL } from './redis'

const SERVER_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const START_TIMEOUT_MS = 30_000
/** Enough of each process's log to explain a failure. */
const LOG_TAIL_CHARS = 20_000

export const PUBLISH_SECRET = 'scale-test-publish-secret-0123'
export const TOKEN_SECRET = 'scale-test-token-secret-0123456789-abcdef'

export interface ClusterOptions {
  /** Key prefix in Redis; each test file uses its own. */
  readonly prefix: string
  /** The machine's Redis by default; null runs each instance on its in-memory bus (for comparisons). */
  readonly redisUrl?: string | null
  /** PostgreSQL for history and usage; SQLite in a temporary file otherwise. */
  readonly database?: { readonly url: string; readonly schema: string }
  /** Written as the JSON config file (`KIT_CONFIG`), e.g. chat providers and channel limits. */
  readonly config?: Record<string, unknown>
  /** Signs subscribe tokens; a client that mints its own (a benchmark's) brings its secret. */
  readonly tokenSecret?: string
}

/** One real server process (`src/main.ts`), configured by environment variables and a config file. */
export interface Instance {
  readonly name: string
  readonly url: string
  readonly pid: number
  /** SSE URL of a key, with a subscribe token that every instance accepts. */
  eventsUrl(key: string): string
  /** `POST /api/events/:key` with the publish secret. */
  publish(key: string, data: unknown, event?: string): Promise<{ id: number; delivered: number }>
  /** The tail of its stdout and stderr. */
  log(): string
  /** SIGKILL, as a crash: no stream gets a goodbye. */
  kill(): Promise<void>
  /** SIGTERM, waiting for the exit. */
  stop(): Promise<void>
}

export interface Cluster {
  readonly instances: Instance[]
  /** Starts one more instance with the same settings. */
  add(name?: string): Promise<Instance>
  /** Stops every instance still running and removes the temporary files. */
  close(): Promise<void>
}

/** POSTs JSON with the publish secret and answers the JSON reply, failing on any status but 200. */
function postJson<T>(agent: Agent, url: string, body: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body)
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          authorization: `Bearer ${PUBLISH_SECRET}`,
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(text) as T)
            : reject(new Error(`POST ${url} answered ${res.statusCode}: ${text}`)),
        )
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

/** Starts an instance and resolves once it logged the URL it listens on (it binds a free port). */
export async function startInstance(
  name: string,
  env: NodeJS.ProcessEnv,
  cwd = SERVER_DIR,
): Promise<{ child: ChildProcess; url: string; log: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@kit/source', 'src/main.ts'], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let tail = ''
  let url: string | undefined
  let pending = ''
  const append = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-LOG_TAIL_CHARS)
  }
  child.stderr?.on('data', append)
  child.once('exit', (code, signal) => append(Buffer.from(`\n[exited: code ${code}, signal ${signal}]\n`)))
  child.stdout?.on('data', (chunk: Buffer) => {
    append(chunk)
    if (url) return
    pending += chunk.toString()
    for (const line of pending.split('\n')) {
      if (line.includes('"msg":"listening"')) url = (JSON.parse(line) as { url: string }).url
    }
    pending = pending.slice(pending.lastIndexOf('\n') + 1)
  })
  const log = (): string => `--- ${name} ---\n${tail}`
  const deadline = Date.now() + START_TIMEOUT_MS
  while (!url) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log()}`)
    if (Date.now() > deadline) {
      await endProcess(child, 'SIGKILL')
      throw new Error(`${name} did not start within ${START_TIMEOUT_MS} ms:\n${log()}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return { child, url, log }
}

/** Several instances of the real server on one Redis (and optionally one PostgreSQL), on loopback. */
export async function startCluster(size: number, options: ClusterOptions): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'kit-scale-'))
  const configFile = join(dir, 'config.json')
  const chat = (options.config?.chat ?? {}) as Record<string, unknown>
  writeFileSync(
    configFile,
    JSON.stringify({ ...options.config, chat: { storage: { path: join(dir, 'kit.db') }, ...chat } }),
  )
  const tokenSecret = options.tokenSecret ?? TOKEN_SECRET
  const env: NodeJS.ProcessEnv = {
    KIT_CONFIG: configFile,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    KIT_PUBLISH_SECRET: PUBLISH_SECRET,
    KIT_TOKEN_SECRET: tokenSecret,
    ...(options.redisUrl === null
      ? {}
      : { REDIS_URL: options.redisUrl ?? REDIS_URL, KIT_REDIS_PREFIX: options.prefix }),
    ...(options.database
      ? { DATABASE_URL: options.database.url, KIT_DATABASE_SCHEMA: options.database.schema }
      : {}),
  }
  const children: ChildProcess[] = []
  const instances: Instance[] = []
  // Keep-alive connections for publishes: the chaos test sends thousands. An idle one is closed here
  // before the server's 5 s keep-alive timeout can close it under a request that is being sent.
  const agent = new Agent({ keepAlive: true, maxSockets: 64, timeout: 4000, scheduling: 'fifo' })
  let started = 0

  async function add(name = String.fromCharCode(65 + started++)): Promise<Instance> {
    const { child, url, log } = await startInstance(name, env)
    children.push(child)
    const instance: Instance = {
      name,
      url,
      pid: child.pid ?? 0,
      eventsUrl: (key) =>
        `${url}/api/events/${key}?token=${mintSubscribeToken(key, 600, { secret: tokenSecret }).token}`,
      // A failed publish names how the instance is doing: a crash shows as its exit in the log tail.
      publish: (key, data, event) =>
        postJson<{ id: number; delivered: number }>(agent, `${url}/api/events/${key}`, { event, data }).catch(
          async (err: Error) => {
            // Long enough for the exit of an instance that died to reach its log tail.
            await new Promise((resolve) => setTimeout(resolve, 200))
            throw new Error(`publish via ${name} failed: ${err.message}\n${log()}`)
          },
        ),
      log,
      kill: () => endProcess(child, 'SIGKILL'),
      stop: () => endProcess(child, 'SIGTERM'),
    }
    instances.push(instance)
    return instance
  }

  try {
    await Promise.all(Array.from({ length: size }, () => add()))
  } catch (err) {
    await Promise.all(children.map((child) => endProcess(child, 'SIGKILL')))
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
  return {
    instances,
    add,
    async close() {
      agent.destroy()
      await Promise.all(children.map((child) => endProcess(child, 'SIGKILL')))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
