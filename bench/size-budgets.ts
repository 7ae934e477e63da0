// CI's size budgets, measured as the bundle-size benchmarks measure: fails (exit 1) on a regression past them.
//   pnpm --filter @kit/bench size-budgets
import { measureClient } from './size/client'
import { measureVueChat } from './size/vue-chat'

const BUDGETS = [
  { name: '@kit/sse-client core', bytes: 3 * 1024, measure: async () => (await measureClient()).core.gzip },
  {
    name: 'all browser code (@kit/vue-chat + @kit/sse-client + @kit/protocol)',
    bytes: 18 * 1024,
    measure: async () => (await measureVueChat()).kit.gzip,
  },
]

let over = 0
for (const budget of BUDGETS) {
  const gzip = await budget.measure()
  const ok = gzip <= budget.bytes
  if (!ok) over++
  console.log(`${ok ? 'ok  ' : 'OVER'} ${budget.name}: ${gzip} B min+gzip, budget ${budget.bytes} B`)
}
process.exitCode = over > 0 ? 1 : 0
