import { describe, expect, it } from 'vitest'
import { allCases } from './conformance-cases'
import { chunkings } from './chunkings'
import { expectedOutcome, parseAll, parseEvents } from './parse-outcome'

describe('createParser conformance (sse-conformance.md, WPT eventsource/format-*)', () => {
  it.each(allCases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const expected = expectedOutcome(c)
    for (const [way, chunks] of chunkings(c.input)) expect(parseAll(chunks), way).toEqual(expected)
    expect(parseAll(Array.isArray(c.input) ? c.input : [c.input]), 'as strings').toEqual(expected)
    expect(parseEvents([c.input].flat()), 'with onEvent only').toEqual(expected.events)
  })
})
