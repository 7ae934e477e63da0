import { onScopeDispose } from 'vue'
import { isClient } from '../utils/env'
import { readSnapshot, type ChatSnapshot, type ReadResult } from './schema'

export interface PersistOptions {
  /** localStorage key. Default `kit-chat`. */
  key?: string
  /** Writes wait this long after the last change, in milliseconds. Default 1000. */
  debounceMs?: number
  /** ...but never longer than this while changes keep coming (an answer streaming). Default 5000. */
  maxWaitMs?: number
  /** Default `localStorage`; `false` keeps everything in memory. */
  storage?: Storage | false
}

export interface Persistence {
  /** The stored snapshot, migrated; undefined when there is none or it could not be used. */
  load(): ChatSnapshot | undefined
  /** Notes a change; the write follows, debounced. */
  schedule(): void
  /** Writes now if a write is pending. */
  flush(): void
}

/**
 * Debounced localStorage persistence: a streaming answer changes the store on every token, but
 * serializing the whole history that often would stall the page.
 */
export function createPersistence(options: PersistOptions, snapshot: () => ChatSnapshot): Persistence {
  const { key = 'kit-chat', debounceMs = 1000, maxWaitMs = 5000 } = options
  const storage = (options.storage ?? (isClient && localStorage)) || undefined
  let writable = !!storage
  let timer: ReturnType<typeof setTimeout> | undefined
  let firstChange = 0

  function flush(): void {
    // Only schedule() sets the timer, and only while writable, so there is a storage.
    if (timer === undefined) return
    clearTimeout(timer)
    timer = undefined
    try {
      storage!.setItem(key, JSON.stringify(snapshot()))
    } catch {
      // Quota exceeded or storage disabled: the history stays in memory and the next change tries again.
    }
  }

  function schedule(): void {
    if (!writable) return
    const now = Date.now()
    if (timer === undefined) firstChange = now
    else clearTimeout(timer)
    // A delay below 0 (maxWaitMs already passed) fires at once, as 0 does.
    timer = setTimeout(flush, Math.min(debounceMs, firstChange + maxWaitMs - now))
  }

  function load(): ChatSnapshot | undefined {
    const raw = storage?.getItem(key)
    if (raw == null) return undefined
    let result: ReadResult
    try {
      result = readSnapshot(JSON.parse(raw))
    } catch {
      result = { ok: false, reason: 'invalid' }
    }
    if (result.ok) {
      if (result.migratedFrom !== undefined) schedule()
      return result.snapshot
    }
    if (result.reason === 'newer') {
      // Written by a newer version of the kit (another tab, a rollback): never overwrite it.
      writable = false
    } else {
      storage!.setItem(`${key}:backup`, raw)
    }
    return undefined
  }

  // Created in the store's setup, which pinia runs in an effect scope: the listeners go with the store.
  if (isClient && storage) {
    // An AbortController passes as the listeners' options: its `signal` removes them both.
    const listening = new AbortController()
    addEventListener('pagehide', flush, listening)
    document.addEventListener(
      'visibilitychange',
      () => document.visibilityState === 'hidden' && flush(),
      listening,
    )
    onScopeDispose(() => {
      flush()
      listening.abort()
    })
  }

  return { load, schedule, flush }
}
