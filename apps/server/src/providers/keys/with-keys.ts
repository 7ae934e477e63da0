import { first, single } from '../iterables'
import { isKeyFailure, type KeyPool } from './key-pool'

/**
 * Streams with the next key in turn. When the provider refuses the key before anything was yielded, the key
 * leaves the rotation and the next one is tried at once (no back-off: another key is another account); when
 * none is left, the last refusal is thrown (or the pool's `exhausted` error when none was tried). The first item proves the key works.
 */
export async function* withKeys<K, T>(
  pool: KeyPool<K>,
  provider: string,
  open: (key: K) => AsyncIterable<T>,
): AsyncGenerator<T> {
  // When every key was refused during this request, the last refusal says more than "none is left".
  let refusal: unknown
  // A key refused once is not asked again within the same request, however short its back-off.
  const tried = new Set<string>()
  for (;;) {
    const lease = pool.acquire(tried)
    if (!lease) throw refusal ?? pool.exhausted(provider)
    tried.add(lease.id)
    let yielded = false
    try {
      for await (const item of open(lease.value)) {
        if (!yielded) lease.succeeded()
        yielded = true
        yield item
      }
      lease.succeeded()
      return
    } catch (err) {
      lease.failed(err)
      if (yielded || !isKeyFailure(err)) throw err
      refusal = err
    } finally {
      lease.release()
    }
  }
}

/** The same for one call. */
export function callWithKeys<K, T>(
  pool: KeyPool<K>,
  provider: string,
  run: (key: K) => Promise<T>,
): Promise<T> {
  return first(withKeys(pool, provider, (key) => single(() => run(key))))
}
