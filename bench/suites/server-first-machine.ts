// The floor under the time-to-first-event tail: how often this machine takes a core away from a process
// that never sleeps, allocates nothing and makes no system call. One busy loop pinned to each core (as the
// server and the client of server-first-event.ts are) reads the clock and records every gap between two
// reads; any gap is time the process was not running, whatever it had to do.
import { spawn } from 'node:child_process'

const SECONDS = 10
const GAP_MS = 0.5

const probe = `
const end = performance.now() + ${SECONDS * 1000}
const gaps = []
let last = performance.now()
for (let t = last; t < end; last = t) {
  t = performance.now()
  if (t - last > ${GAP_MS}) gaps.push(t - last)
}
process.stdout.write(JSON.stringify(gaps))
`

function gapsOn(core: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', String(core), process.execPath, '-e', probe])
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`probe exited with ${code}`)),
    )
  })
}

const cores = await Promise.all([gapsOn(0), gapsOn(1)])
const row = (gaps: number[], core: number): string => {
  const over = (ms: number) => gaps.filter((g) => g > ms).length
  const total = gaps.reduce((a, b) => a + b, 0)
  return `| ${core} | ${(gaps.length / SECONDS).toFixed(1)} | ${(over(2) / SECONDS).toFixed(1)} | ${(over(5) / SECONDS).toFixed(1)} | ${Math.max(0, ...gaps).toFixed(1)} | ${((total / (SECONDS * 1000)) * 100).toFixed(2)} % |`
}

console.log(`### The machine's own stalls (a busy loop pinned to each core, ${SECONDS} s)

| core | gaps > ${GAP_MS} ms per second | > 2 ms per second | > 5 ms per second | longest (ms) | share of time lost |
|---|---|---|---|---|---|
${cores.map(row).join('\n')}
`)
