// Bundle size of @kit/vue-chat's entries (measured in bench/size/vue-chat.ts).
import { measureVueChat } from '../size/vue-chat'

const BUDGET_KB = 15
const kb = (bytes: number) => (bytes / 1024).toFixed(2)
const { main, entries, kit } = await measureVueChat()

console.log(`### Bundle size of \`@kit/vue-chat\`

Library build (\`vite build\`, as \`pnpm --filter @kit/vue-chat build\`), minified by esbuild, gzip level 9. Vue, pinia
and markdown-it are external (the application's); highlight.js is never in the main bundle.

| entry | min | min+gzip |
| --- | ---: | ---: |
${entries.map(([name, size]) => `| ${name} | ${kb(size.min)} KB | ${kb(size.gzip)} KB |`).join('\n')}
| all the kit's browser code: \`@kit/vue-chat\` + \`@kit/sse-client\` + \`@kit/protocol\` constants | ${kb(kit.min)} KB | ${kb(kit.gzip)} KB |

Budget: \`@kit/vue-chat\` ≤ ${BUDGET_KB} KB min+gzip: ${main.gzip <= BUDGET_KB * 1024 ? 'met' : '**over**'} (${kb(main.gzip)} KB).`)
