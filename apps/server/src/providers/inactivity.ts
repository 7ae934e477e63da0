import { timeoutError } from './errors'

/**
 * Runs `open` with a signal that aborts when the provider stays silent for `timeoutMs` (before the first
 * chunk or between two), and turns that abort into a retriable `ProviderError`. The clock is paused while
 * the consumer holds a chunk, so a slow reader never times the provider out.
 */
export async function* withInactivityTimeout<T>(
  provider: string,
  timeoutMs: number,
  parent: AbortSignal,
  open: (signal: AbortSignal) => AsyncIterable<T>,
): AsyncGenerator<T> {
  const controller = new AbortController()
  let expired = false
  let timer: NodeJS.Timeout | undefined
  const arm = () => {
    timer = setTimeout(() => {
      expired = true
      controller.abort(timeoutError(provider, timeoutMs))
    }, timeoutMs)
  }
  const forward = () => controller.abort(parent.reason)
  if (parent.aborted) forward()
  else parent.addEventListener('abort', forward, { once: true })
  arm()
  try {
    for await (const item of open(controller.signal)) {
      clearTimeout(timer)
      yield item
      arm()
    }
  } catch (err) {
    if (expired) throw timeoutError(provider, timeoutMs)
    throw err
  } finally {
    clearTimeout(timer)
    parent.removeEventListener('abort', forward)
  }
  // Some clients end quietly when their signal aborts; a timeout must still be reported.
  if (expired) throw timeoutError(provider, timeoutMs)
}
