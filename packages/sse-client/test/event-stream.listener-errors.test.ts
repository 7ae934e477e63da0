import { afterEach, describe, expect, it, vi } from 'vitest'
import { useSseServer } from './support/harness'
import { deliver } from './support/stream-probes'

const t = useSseServer()

afterEach(() => vi.unstubAllGlobals())

describe('createEventStream listener errors', () => {
  it('rethrows a throwing listener on its own, and neither other listeners nor the read loop stop', async () => {
    // The client reports a listener's error as EventTarget does: thrown again from a microtask of its own.
    // Capture those microtasks so the test can check what they throw without the error ending the run.
    const rethrows: (() => void)[] = []
    const realQueueMicrotask = queueMicrotask
    vi.stubGlobal('queueMicrotask', (task: () => void) => {
      if (task.toString().includes('throw')) rethrows.push(task)
      else realQueueMicrotask(task)
    })
    const stream = t.open<{ message: { n: number } }>('/events', { retry: { initialMs: 1 } })
    const exchange = await t.server.request(0)
    const others: number[] = []
    stream.on('message', ({ n }) => {
      if (n === 1) throw new Error('listener broke on 1')
    })
    stream.on('message', ({ n }) => others.push(n))

    await deliver(stream, exchange, 'id: 1\ndata: {"n":1}\n\n')
    await deliver(stream, exchange, 'id: 2\ndata: {"n":2}\n\n')

    expect(others).toEqual([1, 2])
    expect(stream.state).toBe('open')
    expect(stream.lastEventId).toBe('2')
    expect(rethrows).toHaveLength(1)
    expect(() => rethrows[0]!()).toThrow('listener broke on 1')
  })
})
