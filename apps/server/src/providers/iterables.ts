/** An iterable of the one value `run` resolves to, so single calls share the streaming machinery. */
export async function* single<T>(run: () => Promise<T>): AsyncGenerator<T> {
  yield await run()
}

/** The first value of `iterable`; the iteration is closed after it. */
export async function first<T>(iterable: AsyncIterable<T>): Promise<T> {
  for await (const value of iterable) return value
  throw new Error('the iterable ended without a value')
}
