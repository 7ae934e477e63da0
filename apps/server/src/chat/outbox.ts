import { backoffMs, type RetryPolicy } from '@kit/protocol'
import type { Logger } from '../logging/logger'
import type { Journal } from '../storage/journal/types'
import type { HistoryStore, SavedExchange, UsageRecord, UsageStore } from '../storage/types'

/** A write of an answer's record; each sets the whole state of what it names, so replaying it is harmless. */
export type OutboxEntry =
  | { readonly kind: 'history'; readonly exchange: SavedExchange }
  | { readonly kind: 'usage'; readonly record: UsageRecord }

export interface OutboxOptions {
  readonly history: HistoryStore
  readonly usage: UsageStore
  readonly journal: Journal
  readonly logger: Logger
  /** Back-off between attempts while the store fails: doubled from `baseMs` up to `maxMs`, with jitter. */
  readonly retry: { readonly baseMs: number; readonly maxMs: number }
  /** An attempt the store has not answered within this long counts as failed (and is made again). */
  readonly attemptTimeoutMs: number
}

/**
 * History and usage writes, journaled first and stored in order: an answer that ended reaches history
 * once the store is back, even across a restart when the journal is a file.
 */
export interface HistoryOutbox {
  /**
   * Journals the entry (taking the place of the one of `key` that still waits) and stores it in turn.
   * Resolves once it is stored, or once the store failed it: it then stays journaled and is retried.
   */
  write(key: string, entry: OutboxEntry): Promise<void>
  /** Entries journaled and not stored yet. */
  depth(): number
  /** Stores what it can without waiting for a back-off, and closes the journal; the rest stays in it. */
  close(): Promise<void>
}

class AttemptTimeout extends Error {
  override readonly name = 'AttemptTimeout'
}

export function createHistoryOutbox(options: OutboxOptions): HistoryOutbox {
  const { journal, logger } = options
  // Retries until the store takes the write: the journal holds it meanwhile.
  const policy: RetryPolicy = {
    attempts: Number.POSITIVE_INFINITY,
    baseMs: options.retry.baseMs,
    maxMs: options.retry.maxMs,
    jitter: 'equal',
  }
  /** Callers waiting for their entry, by seq. */
  const waiting = new Map<number, (() => void)[]>()
  let busy = 0
  let failures = 0
  let stored = 0
  let retry: NodeJS.Timeout | undefined
  let draining: Promise<void> | undefined
  let closed = false
  let closing: Promise<void> | undefined

  const store = (entry: OutboxEntry): Promise<void> =>
    entry.kind === 'history' ? options.history.append(entry.exchange) : options.usage.record(entry.record)

  function attempt(entry: OutboxEntry): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AttemptTimeout('the store did not answer')),
        options.attemptTimeoutMs,
      )
    })
    return Promise.race([store(entry), timeout]).finally(() => clearTimeout(timer))
  }

  function release(seq?: number): void {
    for (const [key, callers] of waiting) {
      if (seq !== undefined && key !== seq) continue
      waiting.delete(key)
      for (const resolve of callers) resolve()
    }
  }

  async function drain(): Promise<void> {
    for (let next = journal.first(); next; next = journal.first()) {
      busy = next.seq
      try {
        await attempt(JSON.parse(next.body) as OutboxEntry)
      } catch (err) {
        busy = 0
        // Everyone waiting learns it now: their entries are safe in the journal.
        release()
        if (closed) return
        const delayMs = Math.round(backoffMs(policy, failures++))
        logger.warn(
          { err, journalDepth: journal.size(), retryInMs: delayMs },
          'the history store failed a write; answers wait in the journal',
        )
        retry = setTimeout(() => {
          retry = undefined
          kick()
        }, delayMs)
        return
      }
      journal.remove(next.seq)
      busy = 0
      stored++
      release(next.seq)
    }
    if (failures > 0) logger.info({ stored, journalDepth: 0 }, 'the history journal is drained')
    failures = 0
    stored = 0
  }

  function kick(): void {
    if (draining || retry || closed) return
    draining = drain().finally(() => (draining = undefined))
  }

  const depth = journal.size()
  if (depth > 0) logger.info({ journalDepth: depth }, 'storing the answers left in the history journal')
  kick()

  async function shutDown(): Promise<void> {
    clearTimeout(retry)
    retry = undefined
    // One more pass stores what the store takes now; the first failure ends it.
    kick()
    closed = true
    await draining
    release()
    const left = journal.size()
    if (left > 0) logger.warn({ journalDepth: left }, 'closing with answers not stored yet')
    journal.close()
  }

  const outbox: HistoryOutbox = {
    async write(key, entry) {
      const seq = journal.put(key, JSON.stringify(entry), busy)
      // While the store fails, the journal is as far as a write goes until the next attempt.
      if (retry || closed) return
      const done = new Promise<void>((resolve) => waiting.set(seq, [...(waiting.get(seq) ?? []), resolve]))
      kick()
      await done
    },
    depth: () => journal.size(),
    close: () => (closing ??= shutDown()),
  }
  return outbox
}
