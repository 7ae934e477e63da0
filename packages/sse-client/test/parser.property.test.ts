import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createParser } from '../src/parser'
import { interpret, type ModelOutcome } from './whatwg-model'

const encoder = new TextEncoder()

function parse(chunks: readonly (Uint8Array | string)[]): ModelOutcome {
  const outcome: ModelOutcome = { events: [], retries: [], comments: [], lastEventId: '' }
  const parser = createParser({
    onEvent: (event) => outcome.events.push(event),
    onRetry: (ms) => outcome.retries.push(ms),
    onComment: (text) => outcome.comments.push(text),
    onId: (id) => (outcome.lastEventId = id),
  })
  for (const chunk of chunks) parser.feed(chunk)
  return outcome
}

/** `bytes` cut at the given points (taken modulo its length, in order). */
function cut(bytes: Uint8Array, points: readonly number[]): Uint8Array[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b)
  const chunks: Uint8Array[] = []
  let from = 0
  for (const to of [...at, bytes.length]) {
    chunks.push(bytes.subarray(from, to))
    from = to
  }
  return chunks
}

// Text that exercises the spec's corners: NUL (an id with it is ignored), BOMs past the first, CR and LF
// inside values, multi-byte and astral characters, digits for retry.
const valueText = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '  x',
      'a\0b',
      '\0',
      '\uFEFF',
      '1000',
      '007',
      '12a',
      '-1',
      '€',
      '😀',
      ':',
    ),
    weight: 3,
  },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }), weight: 2 },
  { arbitrary: fc.stringMatching(/^[0-9]{1,6}$/), weight: 1 },
)
const fieldName = fc.oneof(
  { arbitrary: fc.constantFrom('data', 'event', 'id', 'retry'), weight: 6 },
  { arbitrary: fc.constantFrom('Data', 'ID', 'dat', 'data ', ' data', ''), weight: 2 },
  { arbitrary: fc.string({ maxLength: 5 }), weight: 1 },
)
const lineEnd = fc.constantFrom('\n', '\r', '\r\n')
const line = fc.oneof(
  fc.tuple(fieldName, fc.constantFrom(':', ': ', ':  ', ''), valueText).map(([n, sep, v]) => n + sep + v),
  valueText.map((v) => `:${v}`),
  fc.constant(''),
)
const stream = fc
  .tuple(
    fc.constantFrom('', '\uFEFF', '\uFEFF\uFEFF'),
    fc.array(fc.tuple(line, lineEnd), { maxLength: 30 }),
    fc.option(line, { nil: '' }),
  )
  .map(([bom, lines, tail]) => bom + lines.map(([l, end]) => l + end).join('') + tail)
const cuts = fc.array(fc.nat(), { maxLength: 12 })

describe('the parser against a model of the WHATWG spec', () => {
  it('agrees on SSE-shaped streams under random chunking', () => {
    fc.assert(
      fc.property(stream, cuts, (text, points) => {
        const bytes = encoder.encode(text)
        expect(parse(cut(bytes, points))).toEqual(interpret(bytes))
      }),
      { numRuns: 1500 },
    )
  })

  it('agrees on arbitrary bytes, invalid UTF-8 included, under random chunking', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), cuts, (bytes, points) => {
        expect(parse(cut(bytes, points))).toEqual(interpret(bytes))
      }),
      { numRuns: 1500 },
    )
  })

  it('agrees when fed strings instead of bytes', () => {
    fc.assert(
      fc.property(stream, cuts, (text, points) => {
        const at = [...new Set(points.map((p) => p % (text.length + 1)))].sort((a, b) => a - b)
        const pieces = [0, ...at].map((from, i) => text.slice(from, [...at, text.length][i]))
        expect(parse(pieces)).toEqual(interpret(encoder.encode(text)))
      }),
      { numRuns: 1000 },
    )
  })
})
