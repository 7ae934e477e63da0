// `pnpm --filter @kit/example-shop start`: the shop on $PORT (default 4000), the kit under /kit.
import { randomBytes } from 'node:crypto'
import { createShop } from './app'

const secret = (variable: string, bytes: number): string => {
  const given = process.env[variable]
  if (given) return given
  const generated = randomBytes(bytes).toString('base64url')
  console.log(`${variable} is not set; for this run: ${generated}`)
  return generated
}

const shop = createShop({
  publishSecret: secret('KIT_PUBLISH_SECRET', 24),
  tokenSecret: secret('KIT_TOKEN_SECRET', 32),
  paymentWebhookSecret: secret('PAYMENT_WEBHOOK_SECRET', 24),
})
const port = Number(process.env.PORT ?? 4000)
const server = shop.app.listen(port, () =>
  console.log(`shop on http://localhost:${port}, the kit under /kit`),
)

const stop = async () => {
  // Open event streams would hold the listener open: end them first (browsers reconnect elsewhere).
  await shop.close()
  server.close(() => process.exit(0))
  server.closeIdleConnections()
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
