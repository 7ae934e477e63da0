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
import type { Size } from './client'

const root = join(dirname(fileURLToPath(import.meta.url)), '../../packages/vue-chat')
const gzip = (code: string | Uint8Array) => gzipSync(code, { level: 9 }).length

export interface VueChatSizes {
  /** `@kit/vue-chat`'s main entry alone, the kit's own packages external. */
  readonly main: Size
  /** Each entry, the stylesheet included. */
  readonly entries: ReadonlyArray<readonly [name: string, size: Size]>
  /** All the kit's browser code: vue-chat with @kit/sse-client and @kit/protocol's constants. */
  readonly kit: Size
}

export async function measureVueChat(): Promise<VueChatSizes> {
  const outDir = mkdtempSync(join(tmpdir(), 'vue-chat-size-'))
  try {
    await build({
      root,
      configFile: join(root, 'vite.config.ts'),
      logLevel: 'silent',
      build: { outDir, sourcemap: false },
    })
    /** An entry of the build with the chunks it imports, minified and gzipped as one file. */
    const entry = async (file: string, external: string[]): Promise<Size> => {
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
    const entries = [
      ['`@kit/vue-chat` (components, composables, store, Markdown)', main],
      ['`@kit/vue-chat/markdown` (the renderer alone)', await entry('markdown.js', own)],
      [
        '`@kit/vue-chat/highlight` (adapter; highlight.js itself loads on first use)',
        await entry('highlight.js', own),
      ],
      ['`@kit/vue-chat/style.css`', { min: Buffer.byteLength(css), gzip: gzip(css) }],
    ] as const
    return { main, entries, kit: await entry('index.js', []) }
  } finally {
    rmSync(outDir, { recursive: true, force: true })
  }
}
