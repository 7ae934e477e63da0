import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
export const playgroundDir = fileURLToPath(new URL('../../playground/', import.meta.url))
export const playgroundDist = fileURLToPath(new URL('../../playground/dist/', import.meta.url))
export const serverDir = fileURLToPath(new URL('../../apps/server/', import.meta.url))
export const screenshotsDir = fileURLToPath(new URL('../screenshots/', import.meta.url))
