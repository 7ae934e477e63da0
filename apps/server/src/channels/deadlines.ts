/** An item the queue can hold: its deadline and its place in the heap (-1 when not queued). */
export interface Deadline {
  deadlineAt: number
  heapIndex: number
}

// setTimeout fires at once for delays above 2^31-1 ms; a longer wait is cut into steps.
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Absolute deadlines of many channels on one timer: a binary min-heap indexed by the items themselves, so
 * removing a channel that ends early is O(log n) and leaves nothing behind. One `setTimeout` per channel
 * would cost a timer object, a closure and a context each: a third of what an idle channel costs.
 */
export class DeadlineQueue<T extends Deadline> {
  private readonly heap: T[] = []
  private timer: NodeJS.Timeout | null = null
  private timerAt = Infinity

  constructor(private readonly onDue: (item: T) => void) {}

  get size(): number {
    return this.heap.length
  }

  add(item: T, deadlineAt: number): void {
    if (item.heapIndex >= 0) return
    item.deadlineAt = deadlineAt
    item.heapIndex = this.heap.length
    this.heap.push(item)
    this.up(item.heapIndex)
    this.arm()
  }

  remove(item: T): void {
    this.detach(item)
    // Removing never brings the earliest deadline forward: the timer may stay and fire early (fire()
    // re-arms), rather than being replaced whenever the oldest channel ends, i.e. on nearly every
    // disconnect, with a new Timeout and a new timer list for its duration each time.
    if (this.heap.length === 0) this.arm()
  }

  close(): void {
    for (const item of this.heap) item.heapIndex = -1
    this.heap.length = 0
    this.arm()
  }

  private detach(item: T): void {
    const at = item.heapIndex
    if (at < 0) return
    item.heapIndex = -1
    const last = this.heap.pop() as T
    if (at < this.heap.length) {
      this.place(last, at)
      this.down(at)
      this.up(last.heapIndex)
    }
  }

  private fire(): void {
    this.timer = null
    this.timerAt = Infinity
    const now = Date.now()
    for (let top = this.heap[0]; top && top.deadlineAt <= now; top = this.heap[0]) {
      this.detach(top)
      this.onDue(top)
    }
    this.arm()
  }

  /** Keeps exactly one timer, set for the earliest deadline. */
  private arm(): void {
    const next = this.heap[0]?.deadlineAt ?? Infinity
    if (next === this.timerAt && this.timer) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.timerAt = next
    if (next === Infinity) return
    this.timer = setTimeout(() => this.fire(), Math.min(Math.max(0, next - Date.now()), MAX_TIMER_MS))
    this.timer.unref()
  }

  private place(item: T, at: number): void {
    this.heap[at] = item
    item.heapIndex = at
  }

  private up(at: number): void {
    const item = this.heap[at] as T
    while (at > 0) {
      const parent = (at - 1) >> 1
      const above = this.heap[parent] as T
      if (above.deadlineAt <= item.deadlineAt) break
      this.place(above, at)
      at = parent
    }
    this.place(item, at)
  }

  private down(at: number): void {
    const item = this.heap[at] as T
    const size = this.heap.length
    for (;;) {
      const left = 2 * at + 1
      if (left >= size) break
      const right = left + 1
      const child =
        right < size && (this.heap[right] as T).deadlineAt < (this.heap[left] as T).deadlineAt ? right : left
      const below = this.heap[child] as T
      if (below.deadlineAt >= item.deadlineAt) break
      this.place(below, at)
      at = child
    }
    this.place(item, at)
  }
}
