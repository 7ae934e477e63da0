import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor } from './wait'

export const NGINX = '/usr/sbin/nginx'

export interface Nginx {
  readonly url: string
  errorLog(): string
  stop(): Promise<void>
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
    probe.on('error', reject)
  })

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

/**
 * A real nginx in the foreground, in its own temporary prefix (pid, logs, temp paths), listening on a
 * free loopback port, proxying to the upstream `kit`; `serverBlock` goes inside its `server {}`.
 */
export async function startNginx(upstreamPort: number, serverBlock: string): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'kit-nginx-'))
  for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub))
  const port = await freePort()
  const conf = `
daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream kit { server 127.0.0.1:${upstreamPort}; keepalive 8; }
  server {
    listen 127.0.0.1:${port};
    ${serverBlock}
  }
}
`
  writeFileSync(join(dir, 'nginx.conf'), conf)
  const child: ChildProcess = spawn(
    NGINX,
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  let exited = false
  child.once('exit', () => (exited = true))
  const ready = { value: false }
  await waitFor(
    'nginx to listen',
    () => {
      if (exited) throw new Error(`nginx exited: ${stderr}`)
      void accepts(port).then((ok) => (ready.value ||= ok))
      return ready.value
    },
    5000,
  )
  return {
    url: `http://127.0.0.1:${port}`,
    errorLog: () => readFileSync(join(dir, 'error.log'), 'utf8'),
    async stop() {
      if (!exited) {
        child.kill('SIGTERM')
        await waitFor('nginx to exit', () => exited, 5000)
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
