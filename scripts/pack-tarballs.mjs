#!/usr/bin/env node
// Builds and packs every publishable workspace package the way `pnpm publish` would (prepack builds,
// `workspace:*` becomes the version, publishConfig replaces the source-pointing exports).
//   node scripts/pack-tarballs.mjs <outDir>   prints one `<name> <tarball>` line per package
//   import { packTarballs } from './scripts/pack-tarballs.mjs'   returns { [name]: tarball }
// `<outDir>/tarballs.json` holds the same map, so later steps of a run reuse the tarballs (readTarballs).
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = resolve(fileURLToPath(import.meta.url), '../..')

/** Runs pnpm and returns its stdout; on failure its whole output is in the thrown error. */
function pnpm(args, cwd) {
  const run = spawnSync('pnpm', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (run.status === 0) return run.stdout
  throw new Error(
    `pnpm ${args.join(' ')} in ${cwd} failed (${run.status ?? run.signal}):\n${run.stdout}${run.stderr}`,
  )
}

/** The workspace packages that are not private: name and directory. */
export function publishablePackages() {
  const all = JSON.parse(pnpm(['-r', 'ls', '--depth', '-1', '--json'], repoRoot))
  return all.filter((pkg) => !pkg.private).map(({ name, path }) => ({ name, dir: path }))
}

/** Packs each publishable package into `outDir` (emptied first) and returns `{ [name]: absolute tarball path }`. */
export function packTarballs(outDir) {
  const out = resolve(outDir)
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  const tarballs = {}
  for (const { name, dir } of publishablePackages()) {
    const before = new Set(readdirSync(out))
    pnpm(['pack', '--pack-destination', out], dir)
    const added = readdirSync(out).filter((file) => !before.has(file) && file.endsWith('.tgz'))
    if (added.length !== 1) throw new Error(`packing ${name} made ${added.length} tarballs in ${out}`)
    tarballs[name] = join(out, added[0])
  }
  writeFileSync(join(out, MANIFEST), JSON.stringify(tarballs, null, 2))
  return tarballs
}

const MANIFEST = 'tarballs.json'

/** The map an earlier packTarballs(outDir) wrote. */
export function readTarballs(outDir) {
  return JSON.parse(readFileSync(join(resolve(outDir), MANIFEST), 'utf8'))
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2]
  if (!outDir) {
    console.error('usage: node scripts/pack-tarballs.mjs <outDir>')
    process.exit(2)
  }
  for (const [name, tarball] of Object.entries(packTarballs(outDir))) console.log(`${name} ${tarball}`)
}
