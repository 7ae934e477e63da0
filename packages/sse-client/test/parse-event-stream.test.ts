import { describe, expect, it } from 'vitest'
import { parseEventStream } from '../src'

const encoder = new TextEncoder()

/** A byte stream of `chunks`, recording whether the reader cancelled it. */
function source(chunks: Array<string | Uint8Array>) {
  const state = { cancelled: false }
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift()
      if (next === undefined) controller.close()
      else controller.enqueue(typeof next == 'string' ? encoder.encode(next) : next)
    },
    cancel: () => void (state.cancelled = true),
  })
  return { body, state }
}

describe('parseEventStream', () => {
  it('yields every event of a byte stream, however it is cut, and drops an unfinished last one', async () => {
    // é is two bytes in UTF-8; the cut falls between them.
    const cafe = encoder.encode('\ndata: café\n\ndata: tail')
    const { body } = source([
      'id: 1\nevent: st',
      'art\ndata: {"a":1}\n',
      cafe.subarray(0, 11),
      cafe.subarray(11),
    ])
    const events = []
    for await (const event of parseEventStream(body)) events.push(event)
    expect(events).toEqual([
      { event: 'start', data: '{"a":1}', id: '1' },
      { event: 'message', data: 'café', id: '1' },
    ])
  })

  it('cancels the body when the consumer stops early', async () => {
    const { body, state } = source(['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n'])
    for await (const event of parseEventStream(body)) if (event.data === '1') break
    expect(state.cancelled).toBe(true)
  })
})
