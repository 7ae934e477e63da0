import { afterEach, describe, expect, it, vi } from 'vitest'
import { useSseServer } from './support/harness'
import { deliver, nextTransportError, reach } from './support/stream-probes'
import { tapFetch } from './support/tap-fetch'

const t = useSseServer()
afterEach(() => void vi.useRealTimers())

describe('createEventStream idle timeout', () => {
  it('treats a connection silent for idleTimeoutMs as dropped: hangs up and resumes', async () => {
    const stream = t.open('/events', { retry: { initialMs: 1 }, idleTimeoutMs: 100 })
    const first = await t.server.request(0)
    await deliver(stream, first, 'id: 9\ndata: 1\n\n')
    expect(await nextTransportError(stream)).toMatchObject({ kind: 'idle', fatal: false })
    await first.closed
    expect((await t.server.request(1)).headers['last-event-id']).toBe('9')
  })

  it('counts heartbeat comments as life', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const tap = tapFetch()
    const stream = t.open('/events', { retry: { initialMs: 1 }, idleTimeoutMs: 1000, fetch: tap.fetch })
    const errors: string[] = []
    stream.onTransportError((error) => errors.push(error.kind))
    const exchange = await t.server.request(0)
    await reach(stream, 'open')
    for (let beat = 0; beat < 3; beat++) {
      await vi.advanceTimersByTimeAsync(900)
      const chunk = tap.nextChunk()
      exchange.send(': ping\n\n')
      await chunk
      // The client re-arms its timer in the microtasks after the read; one real turn lets them run.
      await new Promise(setImmediate)
    }
    expect(errors).toEqual([])
    expect(stream.state).toBe('open')
    const idle = nextTransportError(stream)
    await vi.advanceTimersByTimeAsync(1000)
    expect((await idle).kind).toBe('idle')
  })

  it('never times out with idleTimeoutMs: 0', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const stream = t.open('/events', { idleTimeoutMs: 0 })
    const errors: string[] = []
    stream.onTransportError((error) => errors.push(error.kind))
    await t.server.request(0)
    await reach(stream, 'open')
    // Past the 45 s default, short of undici's own 300 s body timeout (its timers are faked too).
    await vi.advanceTimersByTimeAsync(60_000)
    await new Promise(setImmediate)
    expect(errors).toEqual([])
    expect(stream.state).toBe('open')
  })
})
