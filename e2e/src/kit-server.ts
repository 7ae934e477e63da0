import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { freePort } from './free-port'
import { playgroundDist, serverDir } from './paths'

export interface KitServerOptions {
  /** Demo provider speed: fast enough for a short suite, slow enough to act mid-answer. */
  tokensPerSecond?: number
  /** Pause between two demo payment statuses. */
  paymentStepMs?: number
  /** The front end it serves at `/`; the built playground by default. */
  staticDir?: string
  /** How to run it: the command and its arguments, run in `cwd`; the server's sources by default. */
  command?: { argv: readonly string[]; cwd: string }
}

export interface KitServer {
  readonly url: string
  /** The publish secret, for what the application's backend would send. */
  readonly publishSecret: string
  /** Kills the process at once, as a crash or a redeploy would: no stream gets a goodbye. */
  kill(): Promise<void>
  /** Starts it again on the same port, with the same data directory. */
  restart(): Promise<void>
  stop(): Promise<void>
}

const READY_TIMEOUT_MS = 60_000

const fromSources = {
  argv: [process.execPath, '--import', 'tsx', '--conditions=@kit/source', 'src/main.ts'],
  cwd: serverDir,
}

/**
 * The real server (`apps/server/src/main.ts`, or the command given) as a child process, serving the built
 * playground on a free port with the embedded defaults; its data and log live in a temporary directory.
 */
export async function startKitServer(options: KitServerOptions = {}): Promise<KitServer> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const dir = mkdtempSync(join(tmpdir(), 'kit-e2e-'))
  const configFile = join(dir, 'config.json')
  const logFile = join(dir, 'server.log')
  const publishSecret = 'e2e-publish-secret-0123456789'
  const command = options.command ?? fromSources
  writeFileSync(
    configFile,
    JSON.stringify({
      host: '127.0.0.1',
      port,
      staticDir: options.staticDir ?? playgroundDist,
      publishSecret,
      demo: { stepMs: options.paymentStepMs ?? 700 },
      log: { level: 'warn' },
      chat: {
        providers: [{ type: 'demo', name: 'demo', tokensPerSecond: options.tokensPerSecond ?? 60 }],
        storage: { path: join(dir, 'kit.db') },
      },
    }),
  )
  let child: ChildProcess | undefined

  const launch = async () => {
    const log = createWriteStream(logFile, { flags: 'a' })
    // Only the config file configures it: a PORT, OPENAI_API_KEY or KIT_* of the shell must not leak in.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, KIT_CONFIG: configFile, NODE_ENV: 'test' }
    const [file = '', ...args] = command.argv
    const started = spawn(file, args, {
      cwd: command.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    started.stdout.pipe(log)
    started.stderr.pipe(log)
    child = started
    await waitUntilHealthy(url, started, logFile)
  }

  const kill = async () => {
    const running = child
    child = undefined
    if (!running || running.exitCode !== null || running.signalCode !== null) return
    const exited = once(running, 'exit')
    running.kill('SIGKILL')
    await exited
  }

  await launch()
  return {
    url,
    publishSecret,
    kill,
    restart: async () => {
      await kill()
      await launch()
    },
    stop: async () => {
      await kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function waitUntilHealthy(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  let exited = false
  child.once('exit', () => (exited = true))
  while (!exited && Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const log = readFileSync(logFile, 'utf8').slice(-4000)
  throw new Error(
    `the kit server at ${url} did not become healthy (${exited ? 'it exited' : 'timed out'}):\n${log}`,
  )
}
