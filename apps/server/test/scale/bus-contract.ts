import { afterEach, describe, expect, it } from 'vitest'
import type { Bus, BusEvent } from '../../src/bus/types'
import { sleep, waitFor } from '../support/wait'

export interface BusLimits {
  readonly maxEvents?: number
  readonly maxBytes?: number
  readonly graceMs?: number
  readonly earlySendTtlMs?: number
}

/** Builds a bus for one test; `release` undoes everything it made (connections, keys). */
export type MakeBus = (limits: BusLimits) => Promise<{ bus: Bus; release(): Promise<void> }>

const publish = (
  bus: Bus,
  key: string,
  data: unknown,
  terminal = false,
  event = terminal ? 'done' : 'message',
) => bus.publish(key, { event, data: JSON.stringify(data), terminal })

const ids = (events: readonly BusEvent[]): number[] => events.map((e) => e.id)

/** The semantics every bus implementation shares; the in-memory bus is the reference. */
export function busContract(name: string, make: MakeBus): void {
  describe(`${name}: the Bus contract`, () => {
    const releases: (() => Promise<void>)[] = []
    const bus = async (limits: BusLimits = {}): Promise<Bus> => {
      const made = await make(limits)
      releases.push(async () => {
        await made.bus.close()
        await made.release()
      })
      return made.bus
    }
    afterEach(async () => {
      await Promise.all(releases.splice(0).map((release) => release()))
    })

    it('numbers events 1, 2, 3 per channel and replays them after any id', async () => {
      const b = await bus()
      for (const n of [1, 2, 3])
        expect(await publish(b, 'a', { n })).toEqual({ ok: true, id: n, delivered: 0 })
      expect(await publish(b, 'other', 'x')).toMatchObject({ id: 1 })
      const all = await b.read('a', null)
      expect(all).toEqual({
        kind: 'events',
        events: [1, 2, 3].map((n) => ({ id: n, event: 'message', data: JSON.stringify({ n }) })),
        state: { lastId: 3, firstId: 1, ended: false, deadlineAt: null },
      })
      const after = await b.read('a', 1)
      expect(after.kind === 'events' && ids(after.events)).toEqual([2, 3])
      const none = await b.read('a', 3)
      expect(none.kind === 'events' && none.events).toEqual([])
      expect(await b.read('a', 4)).toMatchObject({ kind: 'gap', state: { lastId: 3 } })
    })

    it('knows nothing of a channel never used, and forgets a deleted one', async () => {
      const b = await bus()
      expect(await b.read('nobody', null)).toEqual({ kind: 'missing' })
      expect(await b.state('nobody')).toBeNull()
      await publish(b, 'gone', 1)
      await b.delete('gone')
      expect(await b.state('gone')).toBeNull()
      expect(await publish(b, 'gone', 2)).toMatchObject({ ok: true, id: 1 })
    })

    it('keeps the newest events within the count bound and answers a gap for trimmed ones', async () => {
      const b = await bus({ maxEvents: 3 })
      for (let n = 1; n <= 5; n++) await publish(b, 'k', n)
      const read = await b.read('k', null)
      expect(read.kind === 'events' && ids(read.events)).toEqual([3, 4, 5])
      expect(await b.state('k')).toEqual({ lastId: 5, firstId: 3, ended: false, deadlineAt: null })
      expect((await b.read('k', 2)).kind).toBe('events')
      expect(await b.read('k', 1)).toMatchObject({ kind: 'gap', state: { firstId: 3 } })
    })

    it('keeps the newest events within the byte bound, and always the newest one', async () => {
      const b = await bus({ maxBytes: 1024 })
      for (let n = 1; n <= 4; n++) await publish(b, 'k', 'x'.repeat(400))
      const read = await b.read('k', null)
      expect(read.kind === 'events' && ids(read.events)).toEqual([3, 4])
      await publish(b, 'k', 'y'.repeat(3000))
      const big = await b.read('k', null)
      expect(big.kind === 'events' && ids(big.events)).toEqual([5])
    })

    it('ends once: a terminal event is appended atomically and nothing after it', async () => {
      const b = await bus()
      await publish(b, 'k', 1)
      expect(await publish(b, 'k', { reason: 'complete' }, true)).toMatchObject({ ok: true, id: 2 })
      expect(await publish(b, 'k', 3)).toEqual({ ok: false, reason: 'ended' })
      expect(await publish(b, 'k', { code: 'x' }, true, 'error')).toEqual({ ok: false, reason: 'ended' })
      expect(await b.state('k')).toMatchObject({ lastId: 2, ended: true })
    })

    it('lets the first opener fix the deadline, also of a channel an early send created', async () => {
      const b = await bus()
      const first = Date.now() + 60_000
      expect(await b.open('k', { deadlineAt: first })).toEqual({
        lastId: 0,
        firstId: 1,
        ended: false,
        deadlineAt: first,
      })
      expect((await b.open('k', { deadlineAt: first + 5000 })).deadlineAt).toBe(first)
      await publish(b, 'early', 1)
      expect((await b.open('early', { deadlineAt: first })).deadlineAt).toBe(first)
      expect((await b.open('early', { deadlineAt: null })).deadlineAt).toBe(first)
      expect((await b.open('none', { deadlineAt: null })).deadlineAt).toBeNull()
      expect((await b.open('none', { deadlineAt: first })).deadlineAt).toBeNull()
    })

    it('hands new events to every listener, in order, until it unsubscribes', async () => {
      const b = await bus()
      const seen: number[][] = [[], []]
      const subs = await Promise.all(
        seen.map((list) =>
          b.subscribe('k', (e) => {
            list.push(e.id)
            return 1
          }),
        ),
      )
      const outcome = await publish(b, 'k', 1)
      expect(outcome.ok && outcome.delivered).toBeGreaterThan(0)
      for (let n = 2; n <= 20; n++) await publish(b, 'k', n)
      await waitFor('20 events twice', () => seen.every((list) => list.length === 20))
      for (const list of seen) expect(list).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
      await subs[0]!.unsubscribe()
      await publish(b, 'k', 21)
      await waitFor('the 21st event', () => seen[1]!.length === 21)
      await sleep(50)
      expect(seen[0]).toHaveLength(20)
      await subs[1]!.unsubscribe()
      expect(await publish(b, 'k', 22)).toMatchObject({ delivered: 0 })
    })

    it('forgets a channel nobody listens to after the early-send ttl, but not while listened to', async () => {
      const b = await bus({ earlySendTtlMs: 300 })
      await publish(b, 'idle', 1)
      await publish(b, 'heard', 1)
      const sub = await b.subscribe('heard', () => 1)
      await sleep(1000)
      expect(await b.state('idle')).toBeNull()
      expect(await b.state('heard')).toMatchObject({ lastId: 1 })
      await sub.unsubscribe()
      await sleep(1000)
      expect(await b.state('heard')).toBeNull()
    })

    it('keeps an ended channel readable for the grace period only', async () => {
      const b = await bus({ graceMs: 300, earlySendTtlMs: 60_000 })
      await publish(b, 'k', { reason: 'complete' }, true)
      expect(await b.state('k')).toMatchObject({ ended: true })
      await sleep(800)
      expect(await b.read('k', null)).toEqual({ kind: 'missing' })
    })
  })
}
