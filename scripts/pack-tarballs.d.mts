/** Name → absolute path of its tarball. */
export type Tarballs = Record<string, string>

export const repoRoot: string
export function publishablePackages(): { name: string; dir: string }[]
export function packTarballs(outDir: string): Tarballs
export function readTarballs(outDir: string): Tarballs
