import { buildPlayground, isPlaygroundBuildFresh } from './playground-build'

// The server serves the built playground, so `pnpm test` from a clean clone builds it first.
export default function setup(): void {
  if (!isPlaygroundBuildFresh()) buildPlayground()
}
