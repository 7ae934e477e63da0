// Bundle size of @kit/sse-client beside its two peers (measured in bench/size/client.ts).
import { measureClient } from '../size/client'

const LIMIT = 2.5 * 1024
const { core, rows } = await measureClient()

console.log(`### Client bundle size (bytes; esbuild --minify, ES2022, gzip -9)

| import | minified | min + gzip |
|---|---|---|
${rows.map((row) => `| ${row.name} | ${row.min} | ${row.gzip} |`).join('\n')}

Core client: ${core.gzip} B of the ${LIMIT} B (2.5 KiB) budget${core.gzip > LIMIT ? `, ${core.gzip - LIMIT} B over` : ''}.
`)
