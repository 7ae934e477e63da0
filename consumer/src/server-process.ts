import { spawn, type ChildProcess } from 'node:child_process'
import { connect } from 'node:net'

export interface ServerProcess {
  readonly child: ChildProcess
  /** From the `{"msg":"listening","url":…}` line the server logs once it listens. */
  readonly url: string
  readonly port: number
  /** Everything it wrote so far, stdout and stderr. */
  output(): string
  /** Resolves with the exit code (null after a signal) once the process has exited. */
  readonly exited: Promise<number | null>
}

/**
 * Starts a server as a child process with only PATH, HOME and `env`, and waits until it logs that it
 * listens. Its port should be 0 (`PORT=0`) so that parallel runs do not collide.
 */
export async function startServerProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<ServerProcess> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const listening = new Promise<{ url: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "listening" line in time:\n${output}`)),
      options.timeoutMs ?? 60_000,
    )
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const line = output.split('\n').find((l) => l.includes('"msg":"listening"'))
      if (!line) return
      clearTimeout(timer)
      resolve(JSON.parse(line) as { url: string })
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`exited (${code}) before listening:\n${output}`))
    })
  })
  const { url } = await listening
  return { child, url, port: Number(new URL(url).port), output: () => output, exited }
}

/** Whether nothing accepts connections on 127.0.0.1:`port` any more. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'))
  })
}

/** Polls until the port refuses connections; rejects after `timeoutMs`. */
export async function waitUntilPortFree(port: number, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await refused(port))) {
    if (Date.now() > until) throw new Error(`port ${port} still accepts connections after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
