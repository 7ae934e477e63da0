// Parser throughput of @kit/sse-client against eventsource-parser and the parser of
// @microsoft/fetch-event-source, in one run, on the same bytes. Every parser gets Uint8Array chunks and
// decoding is included for all three: eventsource-parser takes strings, so it gets each chunk through a
// streaming TextDecoder first (what its EventSourceParserStream does); the other two decode themselves.
import { createParser } from '@kit/sse-client'
import { getLines, getMessages } from '@microsoft/fetch-event-source/lib/esm/parse.js'
import { createParser as createReferenceParser } from 'eventsource-parser'
import { Bench } from 'tinybench'

type Parse = (chunks: Uint8Array[]) => number

// Each returns the total length of the data it saw, so the work cannot be optimised away and the three
// can be checked to agree before they are timed.
const parsers: Record<string, Parse> = {
  '@kit/sse-client': (chunks) => {
    let seen = 0
    const parser = createParser({ onEvent: (e) => (seen += e.data.length) })
    for (const chunk of chunks) parser.feed(chunk)
    return seen
  },
  'eventsource-parser 3.1.1': (chunks) => {
    let seen = 0
    const decoder = new TextDecoder()
    const parser = createReferenceParser({ onEvent: (e) => (seen += e.data.length) })
    for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }))
    return seen
  },
  '@microsoft/fetch-event-source 2.0.1': (chunks) => {
    let seen = 0
    const onChunk = getLines(
      getMessages(
        () => {},
        () => {},
        (m) => (seen += m.data.length),
      ),
    )
    for (const chunk of chunks) onChunk(chunk)
    return seen
  },
}
const names = Object.keys(parsers)
const ours = names[0]!
const reference = names[1]!

function chunk(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = []
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size))
  return chunks
}

// LLM deltas as the kit's server frames them (apps/server/src/channels/frames.ts): id, event, data.
function deltaStream(bytes: number): Uint8Array {
  const words = [
    'Hello',
    ' world',
    ', this',
    ' is a',
    ' streamed',
    ' answer',
    ' with',
    ' deltas',
    ' caf\u00e9',
    ' \u2014 ok',
  ]
  let text = ''
  for (let id = 1; text.length < bytes; id++) {
    const delta = words[id % words.length]! + words[(id * 7) % words.length]!
    text += `id: ${id}\nevent: message\ndata: ${JSON.stringify({ delta, choice: 0 })}\n\n`
  }
  return new TextEncoder().encode(text)
}

const deltas = deltaStream(1 << 20)
const deltaCount = new TextDecoder().decode(deltas).split('\n\n').length - 1
const big = new TextEncoder().encode(`data: {"blob":"${'x'.repeat(4 * 1024 * 1024 - 12)}"}\n\n`)

const workloads = [
  {
    name: `1 MiB of ~${Math.round(deltas.length / deltaCount)}-byte JSON events, 16 KiB chunks`,
    chunks: chunk(deltas, 16 * 1024),
  },
  {
    name: `1 MiB of ~${Math.round(deltas.length / deltaCount)}-byte JSON events, 64 B chunks`,
    chunks: chunk(deltas, 64),
  },
  { name: 'one 4 MiB event, 1460-byte chunks', chunks: chunk(big, 1460) },
]

const rows: string[] = []
for (const { name, chunks } of workloads) {
  const seen = names.map((parser) => parsers[parser]!(chunks))
  if (new Set(seen).size !== 1) throw new Error(`parsers disagree on "${name}": ${seen.join(' / ')}`)
  // fetch-event-source copies its whole buffer on every chunk, so the 4 MiB case takes it seconds per run.
  const bench = new Bench({ time: 1500, warmupTime: 300, iterations: 5 })
  for (const parser of names) bench.add(parser, () => parsers[parser]!(chunks))
  globalThis.gc?.()
  await bench.run()
  const hz = Object.fromEntries(bench.tasks.map((t) => [t.name, t.result?.throughput.mean ?? NaN]))
  const mibPerSecond = (parser: string) =>
    ((hz[parser]! * chunks.reduce((n, c) => n + c.length, 0)) / 2 ** 20).toFixed(0)
  rows.push(
    `| ${name} | ${names.map(mibPerSecond).join(' | ')} | ${(hz[ours]! / hz[reference]!).toFixed(2)}x | ${(hz[ours]! / hz[names[2]!]!).toFixed(1)}x |`,
  )
}

console.log(`### Parser throughput (MiB/s, decoding included)

| workload | ${names.join(' | ')} | ours / eventsource-parser | ours / fetch-event-source |
|---|---|---|---|---|---|
${rows.join('\n')}
`)
