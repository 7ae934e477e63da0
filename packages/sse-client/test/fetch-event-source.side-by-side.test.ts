// Which conformance cases @microsoft/fetch-event-source 2.0.1 gets wrong and this parser gets right, fed
// the same bytes cut the same ways. The list is exact: a change on either side fails this test.
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { chunkings } from './chunkings'
import { allCases, type ConformanceCase } from './conformance-cases'
import { parseAllWithFetchEventSource } from './fetch-event-source-outcome'
import { expectedOutcome, parseAll, type Outcome } from './parse-outcome'

// toEqual-style comparison: an absent `id` and `id: undefined` are the same.
const same = (a: Outcome, b: Outcome) =>
  isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)))
const passes = (c: ConformanceCase, parse: (chunks: Uint8Array[]) => Outcome) =>
  chunkings(c.input).every(([, chunks]) => same(parse(chunks), expectedOutcome(c)))

const fetchEventSourceFails = [
  // A blank line dispatches even without data (comments, id-only blocks, the extra LF WPT streams end with).
  'spec: empty data, lone data fields, data',
  'spec: comment-only block',
  'rule 6: case-sensitive names',
  'rule 9: id alone sets the last event id',
  'format-bom',
  'format-bom-2',
  'format-field-data',
  'format-field-event-empty',
  'format-field-event',
  'format-field-retry-bogus',
  'format-field-retry',
  'format-field-retry-empty',
  'format-field-unknown',
  'format-leading-space',
  'format-newlines',
  'format-null-character',
  'format-utf-8',
  // A line without a colon is dropped instead of being a field with an empty value; `data:` alone adds nothing.
  'spec: CRLF and LF mixed',
  'rule 7: empty then value',
  // The id becomes Last-Event-ID when its line is read, not when the event is dispatched; NUL is not checked.
  'rule 9: id of an incomplete event',
  'rule 9: id with NUL ignored',
  'format-data-before-final-empty-line',
  'format-field-id-null "\\u0000\\u0000"',
  'format-field-id-null "x\\u0000"',
  'format-field-id-null "\\u0000x"',
  'format-field-id-null "x\\u0000x"',
  'format-field-id-null " \\u0000"',
  // `retry:` goes through parseInt (1000x, -1 and 1.5 are taken).
  'rule 10: digits only',
  // The id is the event's own, not the persisting last event ID that MessageEvent.lastEventId carries.
  'format-field-id-3 persists',
  'format-field-id-3 changes and persists',
]

describe('side by side with @microsoft/fetch-event-source', () => {
  it(`fetch-event-source fails exactly ${fetchEventSourceFails.length} of ${allCases.length} cases`, () => {
    const failed = allCases.filter((c) => !passes(c, parseAllWithFetchEventSource)).map((c) => c.name)
    expect(failed.sort()).toEqual([...fetchEventSourceFails].sort())
  })

  it('this parser passes every one of them', () => {
    const failed = allCases.filter((c) => !passes(c, parseAll)).map((c) => c.name)
    expect(failed).toEqual([])
  })
})
