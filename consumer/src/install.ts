import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { inject } from 'vitest'
import { repoRoot } from '../../scripts/pack-tarballs.mjs'

export interface InstalledApp {
  /** The copy of the fixture, with its dependencies and the kit's tarballs in node_modules. */
  readonly dir: string
  remove(): void
}

/** Runs a command in `cwd` (with `env` over this process's); rejects with its whole output when it fails. */
export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env?: Record<string, string>,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      // Plain text to read: with CI set, Vite and npm would colour their output.
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${command} ${args.join(' ')} in ${cwd}: ${code}\n${stdout}${stderr}`)),
    )
  })
}

/**
 * Copies `fixtureDir` (a package.json and its package-lock.json, outside the workspace) to a temporary
 * directory and installs there with npm, as a user would: the locked dependencies plus the tarballs of
 * `packages` (default: all), packed once for the run by the global setup.
 */
export async function installTarballs(
  fixtureDir: string,
  packages?: readonly string[],
): Promise<InstalledApp> {
  const tarballs = inject('kitTarballs')
  const wanted = packages ?? Object.keys(tarballs)
  const files = wanted.map((name) => {
    const file = tarballs[name]
    if (!file) throw new Error(`no tarball for ${name}: packed ${Object.keys(tarballs).join(', ')}`)
    return file
  })
  const dir = mkdtempSync(join(tmpdir(), `kit-${basename(fixtureDir)}-`))
  cpSync(fixtureDir, dir, { recursive: true, filter: (source) => basename(source) !== 'node_modules' })
  const flags = ['--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts']
  await run('npm', ['install', '--no-save', ...flags, ...files], dir)
  linkNativeBuilds(dir)
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * Install scripts are skipped: better-sqlite3's would compile SQLite for minutes (its prebuilt binaries
 * are on GitHub, out of reach here). The workspace already built the same version for this Node, so its
 * binary is copied in; a version that differs from the workspace's fails here rather than at run time.
 */
const NATIVE = { 'better-sqlite3': 'build/Release/better_sqlite3.node' }

const versionOf = (packageDir: string): string =>
  (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version

function linkNativeBuilds(dir: string): void {
  const workspace = createRequire(join(repoRoot, 'apps/server/package.json'))
  for (const [name, binary] of Object.entries(NATIVE)) {
    const installed = join(dir, 'node_modules', name)
    if (!existsSync(installed)) continue
    const built = dirname(workspace.resolve(`${name}/package.json`))
    if (versionOf(installed) !== versionOf(built)) {
      throw new Error(`${name} ${versionOf(installed)} in ${dir} is not the workspace's ${versionOf(built)}`)
    }
    cpSync(join(built, binary), join(installed, binary))
  }
}
