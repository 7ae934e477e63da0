#!/usr/bin/env node
// Packs every publishable package and lints each tarball as npm would serve it: publint (package.json
// against the files) and Are The Types Wrong (types of every export under import and require).
//   node scripts/check-packages.mjs [tarballDir]   checks those of an earlier pack-tarballs.mjs run when given
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { packTarballs, readTarballs, repoRoot } from './pack-tarballs.mjs'

const bin = (name) => join(repoRoot, 'node_modules/.bin', name)

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' })
  const output = `${result.stdout}${result.stderr}`.trim()
  return { ok: result.status === 0, output }
}

function manifestOf(tarball) {
  const read = spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })
  if (read.status !== 0) throw new Error(`${tarball} has no package/package.json: ${read.stderr}`)
  return JSON.parse(read.stdout)
}

/**
 * attw's profile: packages that offer `require` are checked under node16 (CJS and ESM) and bundler;
 * ESM-only packages under esm-only, which accepts that `require` gets ESM (Node >= 20.19 loads it).
 * Both leave out node10, which cannot see subpath exports at all. Stylesheets are not modules.
 */
function attwArgs(tarball) {
  const { exports = {} } = manifestOf(tarball)
  const root = exports['.'] ?? {}
  const profile = typeof root === 'object' && 'require' in root ? 'node16' : 'esm-only'
  const styles = Object.keys(exports).filter((entry) => entry.endsWith('.css'))
  return [
    tarball,
    '--profile',
    profile,
    '--format',
    'ascii',
    ...(styles.length ? ['--exclude-entrypoints', ...styles] : []),
  ]
}

const given = process.argv[2]
const tarballs = Object.values(
  given ? readTarballs(given) : packTarballs(mkdtempSync(join(tmpdir(), 'kit-tarballs-'))),
)

let failed = 0
for (const tarball of tarballs) {
  const checks = [
    ['publint', run(bin('publint'), ['run', tarball, '--strict'])],
    ['attw', run(bin('attw'), attwArgs(tarball))],
  ]
  for (const [tool, { ok, output }] of checks) {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${tool} ${tarball}`)
    if (!ok) {
      failed++
      console.log(output)
    }
  }
}
if (failed) {
  console.error(`${failed} package check(s) failed`)
  process.exit(1)
}
