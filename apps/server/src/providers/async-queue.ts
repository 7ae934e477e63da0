/**
 * Turns push-style callbacks (socket events) into an async iterable. Items wait in order; `fail` ends the
 * iteration with an error after what was pushed before it; `end` ends it cleanly.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = []
  private waiting: ((result: IteratorResult<T>) => void) | undefined
  private rejectWaiting: ((error: unknown) => void) | undefined
  private finished = false
  private failure: { error: unknown } | undefined

  push(item: T): void {
    if (this.finished) return
    if (this.waiting) this.settle().resolve({ value: item, done: false })
    else this.items.push(item)
  }

  end(): void {
    if (this.finished) return
    this.finished = true
    if (this.waiting) this.settle().resolve({ value: undefined, done: true })
  }

  fail(error: unknown): void {
    if (this.finished) return
    this.finished = true
    this.failure = { error }
    if (this.waiting) this.settle().reject(error)
  }

  private settle() {
    const resolve = this.waiting as (result: IteratorResult<T>) => void
    const reject = this.rejectWaiting as (error: unknown) => void
    this.waiting = undefined
    this.rejectWaiting = undefined
    return { resolve, reject }
  }

  private next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false })
    if (this.failure) return Promise.reject(this.failure.error)
    if (this.finished) return Promise.resolve({ value: undefined, done: true })
    return new Promise((resolve, reject) => {
      this.waiting = resolve
      this.rejectWaiting = reject
    })
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return { next: () => this.next() }
  }
}
