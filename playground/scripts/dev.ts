// `pnpm dev`: the kit's server and Vite's dev server side by side. The browser talks to Vite (hot reload),
// which forwards /api to the server; stopping either stops both.
import { spawn, type ChildProcess } from 'node:child_process'

const serverPort = process.env.PORT ?? '3000'
const children: ChildProcess[] = [
  spawn('pnpm', ['--filter', '@kit/server', 'start'], {
    stdio: 'inherit',
    env: { ...process.env, PORT: serverPort },
  }),
  spawn('pnpm', ['--filter', '@kit/playground', 'dev'], {
    stdio: 'inherit',
    env: { ...process.env, KIT_SERVER_URL: `http://localhost:${serverPort}` },
  }),
]

for (const child of children) {
  child.once('exit', (code) => {
    for (const other of children) if (other !== child && other.exitCode === null) other.kill('SIGTERM')
    process.exitCode = code ?? 1
  })
}
