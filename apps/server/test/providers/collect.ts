import type { ProviderChunk } from '../../src/providers/types'

export interface Collected {
  chunks: ProviderChunk[]
  text: (choice?: number) => string
  error: unknown
}

/** Reads a provider stream to its end or its error, keeping what came before the error. */
export async function collect(stream: AsyncIterable<ProviderChunk>): Promise<Collected> {
  const chunks: ProviderChunk[] = []
  let error: unknown
  try {
    for await (const chunk of stream) chunks.push(chunk)
  } catch (err) {
    error = err
  }
  const text = (choice = 0) =>
    chunks.map((c) => (c.type === 'delta' && c.choice === choice ? c.text : '')).join('')
  return { chunks, text, error }
}
