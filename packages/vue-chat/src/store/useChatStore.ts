import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { ChatConversation } from '../types'
import { localId } from '../utils/id'
import { now } from '../utils/now'
import { createPersistence, type PersistOptions } from './persistence'
import { deleteRemote, getRemote, listRemote, type RemoteOptions } from './remote'
import { fromServer, readSnapshot, SCHEMA_VERSION, type ChatSnapshot } from './schema'

export interface ChatStoreOptions {
  /** Pinia store id; use another to keep two independent histories. Default `kit-chat`. */
  id?: string
  /** localStorage persistence, or `false` for none. */
  persist?: PersistOptions | false
}

/** Defines a conversation store; `useChatStore` is the default one. */
export function createChatStore(options: ChatStoreOptions = {}) {
  return defineStore(options.id ?? 'kit-chat', () => {
    const conversations = ref<ChatConversation[]>([])
    const activeId = ref<string>()
    const active = computed(() => conversations.value.find((c) => c.id === activeId.value))
    /** Set by `sync()`: the server keeps history too, so deletions and loads go there. */
    const remote = shallowRef<RemoteOptions>()

    const snapshot = (): ChatSnapshot => ({
      version: SCHEMA_VERSION,
      activeId: activeId.value,
      conversations: conversations.value,
    })
    const persistence = createPersistence(
      options.persist === false ? { storage: false } : (options.persist ?? {}),
      snapshot,
    )
    const stored = persistence.load()
    if (stored) {
      conversations.value = stored.conversations
      activeId.value = stored.activeId
    }
    // Only conversations that can change without a store action are watched deeply (the active one and
    // any with an answer streaming in), so a token costs a walk over one conversation, not the history.
    watch(
      () =>
        conversations.value.filter(
          (c) => c.id === activeId.value || c.messages.at(-1)?.status === 'streaming',
        ),
      persistence.schedule,
      { deep: true },
    )

    const find = (id: string) => conversations.value.find((c) => c.id === id)

    function create(title = ''): ChatConversation {
      const at = now()
      conversations.value.unshift({ id: localId('conv'), title, createdAt: at, updatedAt: at, messages: [] })
      const conversation = conversations.value[0]!
      activeId.value = conversation.id
      persistence.schedule()
      return conversation
    }

    /** The active conversation, created when there is none. */
    function ensureActive(): ChatConversation {
      return active.value ?? create()
    }

    function select(id: string): void {
      const conversation = find(id)
      if (!conversation) return
      activeId.value = id
      persistence.schedule()
      if (conversation.partial) {
        load(id).catch(() => {
          // It stays partial: selecting it again tries again.
        })
      }
    }

    function rename(id: string, title: string): void {
      const conversation = find(id)
      if (!conversation) return
      conversation.title = title.trim()
      persistence.schedule()
    }

    /** Marks a conversation as changed now (it moves to the top of the list). */
    function touch(id: string): void {
      const conversation = find(id)
      if (!conversation) return
      conversation.updatedAt = now()
      persistence.schedule()
    }

    async function remove(id: string): Promise<void> {
      const index = conversations.value.findIndex((c) => c.id === id)
      if (index < 0) return
      const [removed] = conversations.value.splice(index, 1)
      if (activeId.value === id) activeId.value = conversations.value[0]?.id
      persistence.schedule()
      if (remote.value && removed?.remoteId) await deleteRemote(remote.value, removed.remoteId)
    }

    function exportJson(): string {
      return JSON.stringify(snapshot(), null, 2)
    }

    /**
     * Imports an export (of this or an older schema version). Conversations whose id is already here
     * are skipped unless `replace` drops everything first. Returns how many were added.
     */
    function importJson(json: string, { replace = false }: { replace?: boolean } = {}): number {
      const result = readSnapshot(JSON.parse(json))
      if (!result.ok) {
        throw new Error(
          result.reason === 'newer'
            ? `The file has schema version ${result.version}; this version of the kit reads up to ${SCHEMA_VERSION}`
            : 'The file is not a conversation export',
        )
      }
      const known = new Set(replace ? [] : conversations.value.map((c) => c.id))
      const added = result.snapshot.conversations.filter((c) => !known.has(c.id))
      if (replace) {
        conversations.value = added
        activeId.value = result.snapshot.activeId ?? added[0]?.id
      } else {
        conversations.value.push(...added)
        activeId.value ??= added[0]?.id
      }
      persistence.schedule()
      return added.length
    }

    /** Fetches the messages of a conversation known only by its summary from the server. */
    async function load(id: string): Promise<void> {
      const conversation = find(id)
      if (!conversation?.remoteId || !remote.value) return
      const full = await getRemote(remote.value, conversation.remoteId)
      conversation.messages = full.messages.map(fromServer)
      conversation.partial = false
      persistence.schedule()
    }

    /**
     * Merges the server's history list (`GET /api/conversations`, when the server has auth on). New or
     * newer conversations arrive as summaries; their messages load when they are selected.
     */
    async function sync(options: RemoteOptions = {}): Promise<void> {
      remote.value = options
      const summaries = await listRemote(options)
      for (const summary of summaries) {
        const local = conversations.value.find((c) => c.remoteId === summary.id)
        if (!local) {
          conversations.value.push({
            ...summary,
            id: localId('conv'),
            remoteId: summary.id,
            messages: [],
            partial: true,
          })
        } else if (summary.updatedAt > local.updatedAt && local.messages.at(-1)?.status !== 'streaming') {
          Object.assign(local, { title: summary.title, updatedAt: summary.updatedAt, partial: true })
        }
      }
      persistence.schedule()
      if (active.value?.partial) await load(active.value.id)
    }

    return {
      conversations,
      activeId,
      active,
      create,
      ensureActive,
      select,
      rename,
      touch,
      remove,
      exportJson,
      importJson,
      load,
      sync,
      /** Writes a pending change to storage now. */
      flush: persistence.flush,
    }
  })
}

export const useChatStore = createChatStore()
export type ChatStore = ReturnType<typeof useChatStore>
