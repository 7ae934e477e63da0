// Runs every benchmark suite in bench/suites one after another, each in its own process so that one
// suite's heap and timers do not skew the next. `pnpm bench -- parser` runs the suites whose name matches.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const filters = process.argv.slice(2).filter((a) => a !== '--')
const suites = readdirSync(join(here, 'suites'))
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()

let failed = 0
for (const suite of suites) {
  console.log(`\n<!-- ${suite} -->`)
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--conditions=@kit/source', join(here, 'suites', suite)],
    { stdio: 'inherit', cwd: here },
  )
  if (run.status !== 0) {
    failed += 1
    console.error(`suite ${suite} failed with status ${run.status}`)
  }
}
process.exitCode = failed > 0 ? 1 : 0
