import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { packTarballs, readTarballs, type Tarballs } from '../../scripts/pack-tarballs.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Package name → tarball, packed once for the whole run. */
    kitTarballs: Tarballs
  }
}

/**
 * Packs every publishable package once per run. `KIT_TARBALLS_DIR` names the output of an earlier
 * `node scripts/pack-tarballs.mjs <dir>` (CI packs once for the package checks and these tests).
 */
export default function setup(project: TestProject): () => void {
  const given = process.env.KIT_TARBALLS_DIR
  if (given) {
    project.provide('kitTarballs', readTarballs(given))
    return () => undefined
  }
  const dir = mkdtempSync(join(tmpdir(), 'kit-tarballs-'))
  project.provide('kitTarballs', packTarballs(dir))
  return () => rmSync(dir, { recursive: true, force: true })
}
