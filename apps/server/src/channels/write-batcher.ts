/**
 * Coalesces the writes of one turn of the event loop: events sent in a burst reach each subscriber as one
 * `res.write`, i.e. one chunk and one syscall, instead of one per event. This is what lets fan-out to
 * thousands of sockets keep up.
 */
export interface Flushable {
  flush(): void
}

export interface WriteBatcher {
  /** Flushes `target` at the end of this turn; the caller marks it once per flush (a Set costs more). */
  mark(target: Flushable): void
  /** Flushes everything marked now (used on shutdown). */
  drain(): void
}

export function createWriteBatcher(): WriteBatcher {
  let marked: Flushable[] = []
  let scheduled: NodeJS.Immediate | null = null

  function drain(): void {
    if (scheduled) clearImmediate(scheduled)
    scheduled = null
    const batch = marked
    marked = []
    for (const target of batch) target.flush()
  }

  return {
    mark(target) {
      marked.push(target)
      scheduled ??= setImmediate(drain)
    },
    drain,
  }
}
