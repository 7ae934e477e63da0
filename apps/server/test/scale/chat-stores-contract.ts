import { afterEach, describe, expect, it } from 'vitest'
import type { ChatStreamState, SessionStore, StreamControl } from '../../src/storage/types'
import { sleep, waitFor } from '../support/wait'

export interface ChatStateStores {
  readonly sessions: SessionStore
  readonly streams: ChatStreamState
  /** Ends the answer's channel, as the chat does before it ends the stream. */
  endChannel(streamId: string): Promise<void>
  release(): Promise<void>
}

/** Builds the stores for one test; sessions forget a conversation idle for `idleMs` (unset = never). */
export type MakeChatStores = (options: { idleMs?: number }) => Promise<ChatStateStores>

const owner = { userId: 'u1', instanceId: 'i1', conversationId: 'c1', messageId: 'm1' }
const context = [
  { role: 'user' as const, content: 'hi' },
  { role: 'assistant' as const, content: 'hello ☕' },
]

/** Sessions and stream state as the chat service relies on them, in memory or in Redis (quotas: test/quota). */
export function chatStoresContract(name: string, make: MakeChatStores): void {
  describe(`${name}: sessions and stream state`, () => {
    const releases: (() => Promise<void>)[] = []
    const stores = async (options: { idleMs?: number } = {}): Promise<ChatStateStores> => {
      const made = await make(options)
      releases.push(() => made.release())
      return made
    }
    afterEach(async () => {
      await Promise.all(releases.splice(0).map((release) => release()))
    })

    it('keeps a conversation’s context per user until it is replaced or deleted', async () => {
      const { sessions } = await stores()
      expect(await sessions.get('u1', 'c1')).toBeUndefined()
      await sessions.set('u1', 'c1', context)
      expect(await sessions.get('u1', 'c1')).toEqual(context)
      expect(await sessions.get('u2', 'c1')).toBeUndefined()
      await sessions.set('u1', 'c1', context.slice(1))
      expect(await sessions.get('u1', 'c1')).toEqual(context.slice(1))
      await sessions.delete('u1', 'c1')
      expect(await sessions.get('u1', 'c1')).toBeUndefined()
    })

    it('forgets a conversation left idle, each set restarting the idle time', async () => {
      const { sessions } = await stores({ idleMs: 400 })
      await sessions.set('u1', 'kept', context)
      await sessions.set('u1', 'idle', context)
      await sleep(250)
      await sessions.set('u1', 'kept', context)
      await sleep(250)
      expect(await sessions.get('u1', 'kept')).toEqual(context)
      expect(await sessions.get('u1', 'idle')).toBeUndefined()
    })

    it('names each user’s latest conversation while its context is held', async () => {
      const { sessions } = await stores({ idleMs: 400 })
      expect(await sessions.latest('u1')).toBeUndefined()
      await sessions.set('u1', 'c1', context)
      await sessions.set('u1', 'c2', context)
      await sessions.set('u2', 'c3', context)
      expect(await sessions.latest('u1')).toBe('c2')
      expect(await sessions.latest('u2')).toBe('c3')
      await sessions.set('u1', 'c1', context)
      expect(await sessions.latest('u1')).toBe('c1')
      await sessions.delete('u1', 'c1')
      expect(await sessions.latest('u1')).toBeUndefined()
      await sleep(500)
      expect(await sessions.latest('u2')).toBeUndefined()
    })

    it('keeps every context when no idle time is set', async () => {
      const { sessions } = await stores()
      await sessions.set('u1', 'c1', context)
      await sleep(300)
      expect(await sessions.get('u1', 'c1')).toEqual(context)
    })

    it('records who generates an answer and carries stop, watched and unwatched to it', async () => {
      const { streams } = await stores()
      expect(await streams.get('s1')).toBeUndefined()
      await streams.begin('s1', owner)
      expect(await streams.get('s1')).toEqual({ ...owner, ended: false })
      const controls: StreamControl[] = []
      const stop = await streams.listen('s1', (control) => controls.push(control))
      await streams.watch('s1')
      await streams.watch('s1')
      await streams.unwatch('s1')
      await streams.unwatch('s1')
      await streams.unwatch('s1')
      await streams.requestStop('s1')
      await waitFor('four controls', () => controls.length === 4)
      expect(controls).toEqual(['watched', 'watched', 'unwatched', 'stop'])
      await stop()
      await streams.requestStop('s1')
      await sleep(50)
      expect(controls).toHaveLength(4)
    })

    it('keeps an ended answer’s record for the retain time only', async () => {
      const { streams, endChannel } = await stores()
      await streams.begin('s2', owner)
      await endChannel('s2')
      await streams.end('s2', 300)
      expect(await streams.get('s2')).toEqual({ ...owner, ended: true })
      await sleep(600)
      expect(await streams.get('s2')).toBeUndefined()
    })
  })
}
