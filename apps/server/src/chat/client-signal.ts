import type { ServerResponse } from 'node:http'

/** Aborts when the client goes away before its answer was sent, so the provider call stops too. */
export function clientSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController()
  res.once('close', () => {
    if (!res.writableFinished) controller.abort()
  })
  return controller.signal
}
