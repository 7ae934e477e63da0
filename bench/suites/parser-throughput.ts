// Parser throughput of @kit/sse-client against eventsource-parser and the parser of
// @microsoft/fetch-event-source, in one run, on the same bytes. Every parser gets Uint8Array chunks and
// decoding is included for all three: eventsource-parser takes strings, so each chunk goes through a
// streaming TextDecoder first (what its EventSourceParserStream does); the other two decode themselves.
//
// The machine is shared, so the parsers take turns in rounds and each turn is timed in CPU time of this
// process; a figure is the median over the rounds, a ratio the median of the per-round ratios. No forced
// GC between turns: collecting in a turn is part of a parser's cost, and the rotating order spreads what
// one turn leaves to the next.
import { createParser } from '@kit/sse-client'
import { getLines, getMessages } from '@microsoft/fetch-event-source/lib/esm/parse.js'
import { createParser as createReferenceParser } from 'eventsource-parser'

type Parse = (chunks: Uint8Array[]) => number

// Each returns the total length of the data it saw, so the work cannot be optimised away and the three
// can be checked to agree before they are timed.
const ours = '@kit/sse-client'
const reference = 'eventsource-parser 3.1.1'
const fes = '@microsoft/fetch-event-source 2.0.1'
const parsers: Record<string, Parse> = {
  [ours]: (chunks) => {
    let seen = 0
    const parser = createParser({ onEvent: (e) => (seen += e.data.length) })
    for (const chunk of chunks) parser.feed(chunk)
    return seen
  },
  [reference]: (chunks) => {
    let seen = 0
    const decoder = new TextDecoder()
    const parser = createReferenceParser({ onEvent: (e) => (seen += e.data.length) })
    for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }))
    return seen
  },
  [fes]: (chunks) => {
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

function chunk(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = []
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size))
  return chunks
}

// LLM deltas as the kit's server frames them (apps/server/src/channels/frames.ts): id, event, data.
function deltaStream(bytes: number): { bytes: Uint8Array; events: number } {
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
  let id = 1
  for (; text.length < bytes; id++) {
    const delta = words[id % words.length]! + words[(id * 7) % words.length]!
    text += `id: ${id}\nevent: message\ndata: ${JSON.stringify({ delta, choice: 0 })}\n\n`
  }
  return { bytes: new TextEncoder().encode(text), events: id - 1 }
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/** Runs per second of CPU time: at least `minMs` of runs, and at least one. */
function throughput(run: () => unknown, minMs: number): number {
  const start = cpuMs()
  let runs = 0
  do {
    run()
    runs++
  } while (cpuMs() - start < minMs)
  return runs / ((cpuMs() - start) / 1000)
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]!
}

const deltas = deltaStream(1 << 20)
const eventSize = Math.round(deltas.bytes.length / deltas.events)
const big = new TextEncoder().encode(`data: {"blob":"${'x'.repeat(4 * 1024 * 1024 - 12)}"}\n\n`)
const workloads = [
  {
    name: `1 MiB of ${eventSize}-byte JSON events, 16 KiB chunks`,
    chunks: chunk(deltas.bytes, 16 * 1024),
    rounds: 15,
  },
  {
    name: `1 MiB of ${eventSize}-byte JSON events, 64 B chunks`,
    chunks: chunk(deltas.bytes, 64),
    rounds: 15,
  },
  // fetch-event-source copies its whole buffer on every chunk: seconds per run here, so fewer rounds.
  { name: 'one 4 MiB event, 1460-byte chunks', chunks: chunk(big, 1460), rounds: 7 },
]

const rows: string[] = []
for (const { name, chunks, rounds } of workloads) {
  const seen = names.map((parser) => parsers[parser]!(chunks))
  if (new Set(seen).size !== 1) throw new Error(`parsers disagree on "${name}": ${seen.join(' / ')}`)
  const mib = chunks.reduce((n, c) => n + c.length, 0) / 2 ** 20
  const samples: Record<string, number[]> = Object.fromEntries(names.map((parser) => [parser, []]))
  for (let round = 0; round < rounds; round++)
    // Each round starts with a different parser, so none always runs on a warmer (or cooler) machine.
    for (let i = 0; i < names.length; i++) {
      const parser = names[(round + i) % names.length]!
      samples[parser]!.push(throughput(() => parsers[parser]!(chunks), 150))
    }
  const ratio = (other: string) => median(samples[ours]!.map((hz, round) => hz / samples[other]![round]!))
  const mibPerSecond = names.map((parser) => (median(samples[parser]!) * mib).toFixed(0))
  rows.push(
    `| ${name} | ${mibPerSecond.join(' | ')} | ${ratio(reference).toFixed(2)}x | ${ratio(fes).toFixed(1)}x |`,
  )
}

console.log(`### Parser throughput (MiB/s of CPU time, decoding included)

| workload | ${names.join(' | ')} | ours / eventsource-parser | ours / fetch-event-source |
|---|---|---|---|---|---|
${rows.join('\n')}
`)
