import { describe, expect, it, vi } from 'vitest'
import { createParser } from '../src'
import type { ServerSentEvent } from '../src'

const encoder = new TextEncoder()

function collect(options: { maxEventBytes?: number } = {}) {
  const events: ServerSentEvent[] = []
  const comments: string[] = []
  const ids: string[] = []
  const onError = vi.fn()
  const parser = createParser({
    ...options,
    onEvent: (event) => events.push(event),
    onComment: (text) => comments.push(text),
    onId: (id) => ids.push(id),
    onError,
  })
  return { parser, events, comments, ids, onError }
}

describe('createParser limits', () => {
  it('reports an event over maxEventBytes once and ignores input until reset()', () => {
    const { parser, events, onError } = collect({ maxEventBytes: 100 })
    parser.feed('data: ok\n\n')
    // One line growing past the limit across chunks: never completed, never held whole.
    parser.feed('data: ')
    for (let i = 0; i < 10; i++) parser.feed('x'.repeat(20))
    parser.feed('\n\ndata: after\n\n')
    expect(onError).toHaveBeenCalledTimes(1)
    expect(onError.mock.calls[0]![0]).toMatchObject({ name: 'StreamError', kind: 'parse' })
    expect(events.map((e) => e.data)).toEqual(['ok'])

    parser.reset()
    parser.feed('data: again\n\n')
    expect(events.map((e) => e.data)).toEqual(['ok', 'again'])
  })

  it('counts the data lines of one event against maxEventBytes', () => {
    const { parser, events, onError } = collect({ maxEventBytes: 50 })
    parser.feed('data: 0123456789\n'.repeat(5))
    expect(onError).toHaveBeenCalledTimes(1)
    parser.feed('\n')
    expect(events).toEqual([])
  })

  it('takes a one-line event over maxEventBytes in one chunk as an error too', () => {
    const { parser, events, onError } = collect({ maxEventBytes: 50 })
    parser.feed(`data: ${'x'.repeat(60)}\n\n`)
    expect(onError).toHaveBeenCalledTimes(1)
    expect(events).toEqual([])
  })

  it('parses one 4 MiB event in 1460-byte chunks in linear time', () => {
    // Quadratic joining would make 4 MiB ~16 times as slow as 1 MiB; linear work, ~4 times.
    const cpuMs = (mib: number) => {
      const bytes = encoder.encode(`data: ${'x'.repeat(mib * 2 ** 20)}\n\n`)
      let best = Infinity
      for (let run = 0; run < 3; run++) {
        const { parser, events } = collect({ maxEventBytes: 8 * 2 ** 20 })
        const start = process.cpuUsage()
        for (let at = 0; at < bytes.length; at += 1460) parser.feed(bytes.subarray(at, at + 1460))
        const used = process.cpuUsage(start)
        expect(events[0]!.data.length).toBe(mib * 2 ** 20)
        best = Math.min(best, (used.user + used.system) / 1000)
      }
      return best
    }
    const one = cpuMs(1)
    expect(cpuMs(4) / Math.max(one, 1)).toBeLessThan(8)
  })
})

describe('createParser callbacks and state', () => {
  it('hands comments over without the colon and one space', () => {
    const { parser, comments, events } = collect()
    parser.feed(': ping\n:  two spaces\n:\n\n')
    expect(comments).toEqual(['ping', ' two spaces', ''])
    expect(events).toEqual([])
  })

  it('reports the last event ID when it changes at a dispatch, never for an unfinished event', () => {
    const { parser, ids } = collect()
    parser.feed('id: 1\ndata: a\n\ndata: b\n\nid: 2\n\nid: 3\ndata: c\n')
    expect(ids).toEqual(['1', '2'])
  })

  it('keeps the last event ID across reset() and drops the partial line and pending event', () => {
    const { parser, events } = collect()
    parser.feed('id: 7\ndata: a\n\ndata: lost\nda')
    parser.reset()
    parser.feed('ta: b\n\ndata: c\n\n')
    expect(events).toEqual([
      { event: 'message', data: 'a', id: '7' },
      { event: 'message', data: 'c', id: '7' },
    ])
  })

  it('strips one BOM from string input and from a BOM split across byte chunks', () => {
    const strings = collect()
    strings.parser.feed('\ufeffdata: a\n\n')
    const bytes = collect()
    const stream = encoder.encode('\ufeffdata: b\n\n')
    for (const at of [1, 2, 3]) bytes.parser.feed(stream.subarray(at - 1, at))
    bytes.parser.feed(stream.subarray(3))
    expect(strings.events[0]!.data).toBe('a')
    expect(bytes.events[0]!.data).toBe('b')
  })

  it('starts over after reset(): a BOM at the start of the new stream is stripped again', () => {
    const { parser, events } = collect()
    parser.feed('data: a\n\n')
    parser.reset()
    parser.feed('\ufeffdata: b\n\n')
    expect(events.map((e) => e.data)).toEqual(['a', 'b'])
  })
})
