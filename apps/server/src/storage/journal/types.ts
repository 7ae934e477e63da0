/** One write waiting in the journal: `body` is its JSON, `key` names what it writes (a message, a usage row). */
export interface JournalEntry {
  readonly seq: number
  readonly key: string
  readonly body: string
}

/**
 * Writes waiting for a store, oldest first. Each entry sets the whole state of its key, so a newer entry
 * of a key may take the place of an older one that still waits: the journal holds one entry per key
 * besides the one being stored.
 */
export interface Journal {
  /**
   * Rewrites the waiting entry of `key` (any but `busy`, the one being stored now), or appends one;
   * answers its `seq`. Durable once it returns, as far as the journal is.
   */
  put(key: string, body: string, busy: number): number
  /** The oldest entry. */
  first(): JournalEntry | undefined
  remove(seq: number): void
  size(): number
  close(): void
}
