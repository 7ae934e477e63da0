import type { ChatStreamState, StreamControl, StreamOwner } from '../types'

interface Entry {
  owner: StreamOwner
  ended: boolean
  watchers: number
  readonly listeners: Set<(control: StreamControl) => void>
  forget?: NodeJS.Timeout
}

/** Stream state for one instance: controls are plain callbacks. */
export function createMemoryStreamState(): ChatStreamState & { close(): void } {
  const entries = new Map<string, Entry>()
  const emit = (entry: Entry | undefined, control: StreamControl) => {
    for (const listener of entry?.listeners ?? []) listener(control)
  }

  return {
    begin: async (streamId, owner) => {
      entries.set(streamId, { owner, ended: false, watchers: 0, listeners: new Set() })
    },
    get: async (streamId) => {
      const entry = entries.get(streamId)
      return entry && { ...entry.owner, ended: entry.ended }
    },
    watch: async (streamId) => {
      const entry = entries.get(streamId)
      if (!entry) return
      entry.watchers++
      emit(entry, 'watched')
    },
    unwatch: async (streamId) => {
      const entry = entries.get(streamId)
      if (!entry || entry.watchers === 0) return
      entry.watchers--
      if (entry.watchers === 0) emit(entry, 'unwatched')
    },
    requestStop: async (streamId) => emit(entries.get(streamId), 'stop'),
    listen: async (streamId, listener) => {
      const entry = entries.get(streamId)
      entry?.listeners.add(listener)
      return async () => void entry?.listeners.delete(listener)
    },
    end: async (streamId, retainMs) => {
      const entry = entries.get(streamId)
      if (!entry) return
      entry.ended = true
      entry.listeners.clear()
      clearTimeout(entry.forget)
      entry.forget = setTimeout(() => entries.delete(streamId), retainMs)
      entry.forget.unref()
    },
    close: () => {
      for (const entry of entries.values()) clearTimeout(entry.forget)
      entries.clear()
    },
  }
}
