// Bundle size of @kit/sse-client as an application gets it: esbuild, minified, ES2022, then gzip -9.
// The core is the package root (parser, parseEventStream, createEventStream); the fetch-event-source
// compatibility entry is a separate import and not counted in it. The two peers are measured the same way.
import { build } from 'esbuild'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const here = dirname(fileURLToPath(import.meta.url))
const LIMIT = 2.5 * 1024

async function size(contents: string) {
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

const rows: Array<[string, string]> = [
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

const lines: string[] = []
let core = 0
for (const [name, contents] of rows) {
  const { min, gzip } = await size(contents)
  core ||= gzip
  lines.push(`| ${name} | ${min} | ${gzip} |`)
}

console.log(`### Client bundle size (bytes; esbuild --minify, ES2022, gzip -9)

| import | minified | min + gzip |
|---|---|---|
${lines.join('\n')}

Core client: ${core} B of the ${LIMIT} B (2.5 KiB) budget${core > LIMIT ? `, ${core - LIMIT} B over` : ''}.
`)
