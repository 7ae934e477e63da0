/**
 * A set tuned for holding one item: most channels have a single subscriber, and a `Set` costs about
 * 150 bytes before its first entry. The first item is held directly; a `Set` is made only for more.
 * Deleting during iteration is safe, as with `Set`.
 */
export class SmallSet<T> implements Iterable<T> {
  private first: T | undefined = undefined
  private more: Set<T> | undefined = undefined

  get size(): number {
    return (this.first === undefined ? 0 : 1) + (this.more?.size ?? 0)
  }

  add(item: T): void {
    if (this.first === item || this.more?.has(item)) return
    if (this.first === undefined) this.first = item
    else (this.more ??= new Set()).add(item)
  }

  delete(item: T): boolean {
    if (this.first === item) {
      this.first = undefined
      return true
    }
    return this.more?.delete(item) ?? false
  }

  *[Symbol.iterator](): Iterator<T> {
    if (this.first !== undefined) yield this.first
    if (this.more) yield* this.more
  }
}
