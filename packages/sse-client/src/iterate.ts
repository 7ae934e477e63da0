import type { Finish } from './types'

/** An async iterator over what `subscribe` pushes from now on, ending when the stream finishes. */
export function iterate<T>(
  subscribe: (push: (item: T) => void) => () => void,
  finished: Promise<Finish>,
): AsyncIterator<T> {
  const queue: T[] = []
  let done = false
  let wake = () => {}
  const unsubscribe = subscribe((item) => {
    queue.push(item)
    wake()
  })
  void finished.then(() => {
    done = true
    wake()
  })
  const stop = (): IteratorReturnResult<undefined> => (unsubscribe(), { value: undefined, done: true })
  return {
    async next() {
      while (!queue.length && !done) await new Promise<void>((resolve) => (wake = resolve))
      if (queue.length) return { value: queue.shift() as T, done: false }
      const { error } = await finished
      if (error) throw (stop(), error)
      return stop()
    },
    return: async () => stop(),
  }
}
