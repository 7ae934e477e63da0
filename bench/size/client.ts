// Bundle size of @kit/sse-client as an application gets it: esbuild, minified, ES2022, then gzip -9.
// The core is the package root (parser, parseEventStream, createEventStream); the fetch-event-source
// compatibility entry is a separate import and not counted in it. The two peers are measured the same way.
import { build } from 'esbuild'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

export interface Size {
  readonly min: number
  readonly gzip: number
}

const here = dirname(fileURLToPath(import.meta.url))

async function size(contents: string): Promise<Size> {
  const result = await build({
    stdin: { contents, resolveDir: here, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    conditions: ['@kit/source'],
    logLevel: 'silent',
  })
  const code = result.outputFiles[0]!.contents
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length }
}

/** The first row is the core client: everything the package root exports. */
const ROWS: ReadonlyArray<readonly [name: string, source: string]> = [
  ['@kit/sse-client (everything: core client)', "export * from '@kit/sse-client'"],
  [
    '@kit/sse-client: createEventStream (parser included)',
    "export { createEventStream } from '@kit/sse-client'",
  ],
  ['@kit/sse-client: createParser', "export { createParser } from '@kit/sse-client'"],
  [
    '@kit/sse-client/fetch-event-source (separate entry)',
    "export * from '@kit/sse-client/fetch-event-source'",
  ],
  ['eventsource-parser 3.1.1', "export * from 'eventsource-parser'"],
  ['@microsoft/fetch-event-source 2.0.1', "export * from '@microsoft/fetch-event-source'"],
]

export async function measureClient(): Promise<{ core: Size; rows: Array<Size & { name: string }> }> {
  const rows: Array<Size & { name: string }> = []
  for (const [name, source] of ROWS) rows.push({ name, ...(await size(source)) })
  return { core: rows[0]!, rows }
}
