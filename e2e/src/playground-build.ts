import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { playgroundDir, playgroundDist, repoRoot } from './paths'

// The playground bundles these sources (through the `@kit/source` condition), so a change in any of them
// makes the built copy stale.
const inputs = [
  'playground/src',
  'playground/index.html',
  'playground/vite.config.ts',
  'packages/vue-chat/src',
  'packages/sse-client/src',
  'packages/protocol/src',
].map((path) => join(repoRoot, path))

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), 0)
}

export function isPlaygroundBuildFresh(): boolean {
  const built = join(playgroundDist, 'index.html')
  if (!existsSync(built)) return false
  return statSync(built).mtimeMs >= Math.max(...inputs.map(newestMtime))
}

export function buildPlayground(): void {
  const result = spawnSync('pnpm', ['run', 'build'], { cwd: playgroundDir, stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`building the playground failed (exit ${result.status})`)
}
