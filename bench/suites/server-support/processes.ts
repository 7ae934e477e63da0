// Runs the server and the client of a benchmark as separate processes pinned to different cores, so that
// neither steals CPU from the other, with enough file descriptors for 10,000 sockets.
import { spawn, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { PerformanceObserver } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

export interface Worker {
  request<T = Record<string, unknown>>(cmd: string, args?: Record<string, unknown>): Promise<T>
  stop(): Promise<void>
}

export async function startWorker(
  core: number,
  file: string,
  args: string[] = [],
  nodeFlags: string[] = [],
): Promise<Worker> {
  const node = [
    process.execPath,
    '--expose-gc',
    ...nodeFlags,
    '--import',
    'tsx',
    '--conditions=@kit/source',
    join(here, file),
    ...args,
  ]
  const quoted = node.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
  const child: ChildProcess = spawn(
    'bash',
    ['-c', `ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec taskset -c ${core} ${quoted}`],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], cwd: here },
  )
  let nextId = 1
  const pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>()
  child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const waiter = pending.get(message.id)
    if (!waiter) return
    pending.delete(message.id)
    if (message.error) waiter.reject(new Error(`${file}: ${message.error}`))
    else waiter.resolve(message.result as never)
  })
  child.once('exit', (code) => {
    for (const w of pending.values()) w.reject(new Error(`${file} exited with ${code}`))
    pending.clear()
  })
  const worker: Worker = {
    request: (cmd, rest = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++
        pending.set(id, { resolve: resolve as (v: never) => void, reject })
        child.send({ id, cmd, ...rest })
      }),
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
  await worker.request('ready')
  return worker
}

type Handler = (args: Record<string, unknown>) => unknown

/** The child side: answers each `{id, cmd}` from the parent with the handler's result. */
export function serve(handlers: Record<string, Handler>): void {
  // Every worker reports its CPU time (ms, user + system), to tell which side a run was bound by.
  handlers = { ...handlers, cpu: () => (process.cpuUsage().user + process.cpuUsage().system) / 1000 }
  process.on('message', (message: { id: number; cmd: string } & Record<string, unknown>) => {
    const handler = handlers[message.cmd]
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${message.cmd}`)
        return handler(message)
      })
      .then(
        (result) => process.send?.({ id: message.id, result: result ?? null }),
        (err: unknown) =>
          process.send?.({ id: message.id, error: err instanceof Error ? err.stack : String(err) }),
      )
  })
  process.on('SIGTERM', () => process.exit(0))
}

export const percentile = (sorted: ArrayLike<number>, p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

export const now = (): number => performance.timeOrigin + performance.now()

export interface GcPauses {
  count: number
  maxMs: number
}

/** Counts this process's GC pauses from now until the returned function is called. */
export function watchGc(): () => GcPauses {
  const pauses: GcPauses = { count: 0, maxMs: 0 }
  const observer = new PerformanceObserver((list) => {
    for (const { duration } of list.getEntries()) {
      pauses.count += 1
      pauses.maxMs = Math.max(pauses.maxMs, duration)
    }
  })
  observer.observe({ entryTypes: ['gc'] })
  return () => {
    observer.disconnect()
    return pauses
  }
}
