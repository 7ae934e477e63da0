// What @kit/vue-chat adds to an application's bundle: the package's own library build (vite, the same
// config as `pnpm build`), minified with esbuild and gzipped at level 9. Vue, pinia and markdown-it are
// the application's and stay out; highlight.js is loaded lazily by the adapter and stays out too.
import { build as esbuild, transform } from 'esbuild'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'

const BUDGET_KB = 15
const root = join(dirname(fileURLToPath(import.meta.url)), '../../packages/vue-chat')
const outDir = mkdtempSync(join(tmpdir(), 'vue-chat-size-'))

await build({
  root,
  configFile: join(root, 'vite.config.ts'),
  logLevel: 'silent',
  build: { outDir, sourcemap: false },
})

const kb = (bytes: number) => (bytes / 1024).toFixed(2)
const gzip = (code: string | Uint8Array) => gzipSync(code, { level: 9 }).length

/** An entry of the build with the chunks it imports, minified and gzipped as one file. */
async function entry(file: string, external: string[]) {
  const result = await esbuild({
    entryPoints: [join(outDir, file)],
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    conditions: ['@kit/source'],
    nodePaths: [join(root, 'node_modules')],
    external: ['vue', 'pinia', 'markdown-it', 'highlight.js', 'highlight.js/*', ...external],
  })
  const code = result.outputFiles[0]!.contents
  return { min: code.length, gzip: gzip(code) }
}

const own = ['@kit/*']
const main = await entry('index.js', own)
const { code: css } = await transform(readFileSync(join(outDir, 'style.css'), 'utf8'), {
  loader: 'css',
  minify: true,
})
const rows = [
  ['`@kit/vue-chat` (components, composables, store, Markdown)', main],
  ['`@kit/vue-chat/markdown` (the renderer alone)', await entry('markdown.js', own)],
  [
    '`@kit/vue-chat/highlight` (adapter; highlight.js itself loads on first use)',
    await entry('highlight.js', own),
  ],
  ['`@kit/vue-chat/style.css`', { min: Buffer.byteLength(css), gzip: gzip(css) }],
] as const
// The whole kit as a browser app gets it: vue-chat with @kit/sse-client and @kit/protocol's constants.
const kit = await entry('index.js', [])
rmSync(outDir, { recursive: true, force: true })

console.log(`### Bundle size of \`@kit/vue-chat\`

Library build (\`vite build\`, as \`pnpm --filter @kit/vue-chat build\`), minified by esbuild, gzip level 9. Vue, pinia
and markdown-it are external (the application's); highlight.js is never in the main bundle.

| entry | min | min+gzip |
| --- | ---: | ---: |
${rows.map(([name, size]) => `| ${name} | ${kb(size.min)} KB | ${kb(size.gzip)} KB |`).join('\n')}
| all the kit's browser code: \`@kit/vue-chat\` + \`@kit/sse-client\` + \`@kit/protocol\` constants | ${kb(kit.min)} KB | ${kb(kit.gzip)} KB |

Budget: \`@kit/vue-chat\` ≤ ${BUDGET_KB} KB min+gzip: ${main.gzip <= BUDGET_KB * 1024 ? 'met' : '**over**'} (${kb(main.gzip)} KB).`)
