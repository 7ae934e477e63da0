// Every way the conformance tests cut a stream: as the case gives it, whole, split in two at every byte
// position, and one byte at a time.
const encoder = new TextEncoder()

export function chunkings(input: string | string[]): Array<[label: string, chunks: Uint8Array[]]> {
  const bytes = encoder.encode(Array.isArray(input) ? input.join('') : input)
  const ways: Array<[string, Uint8Array[]]> = [['whole', [bytes]]]
  if (Array.isArray(input)) ways.push(['as given', input.map((chunk) => encoder.encode(chunk))])
  for (let at = 1; at < bytes.length; at++)
    ways.push([`split at ${at}`, [bytes.subarray(0, at), bytes.subarray(at)]])
  ways.push(['byte by byte', Array.from(bytes, (_, i) => bytes.subarray(i, i + 1))])
  return ways
}
