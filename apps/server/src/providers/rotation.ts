/** Hands out items in turn (API keys, app credentials): each request, and each retry, takes the next one. */
export class RoundRobin<T> {
  private position = 0

  constructor(private readonly items: readonly T[]) {
    if (items.length === 0) throw new Error('RoundRobin needs at least one item')
  }

  next(): T {
    const item = this.items[this.position % this.items.length] as T
    this.position = (this.position + 1) % this.items.length
    return item
  }
}
