import type { Router } from 'express'
import type { UserResolver } from '../auth/users'
import type { ChatService } from '../chat/types'
import { utcDay } from '../quotas/policy'
import type { Clock } from '../storage/types'
import { createPriceTable } from './prices'
import { MAX_RANGE_DAYS, parseDayRange, type DayRange } from './range'
import { buildUsageReport } from './report'

const DAY_MS = 86_400_000

/**
 * The organisation's own figures, from each provider instance that may read them. A failure is reported
 * beside the kit's figures rather than failing the whole answer.
 */
async function organizationFigures(service: ChatService, range: DayRange, clock: Clock, signal: AbortSignal) {
  const reporters = service.providers
    .list()
    .flatMap((p) => (p.costs ? [{ name: p.name, costs: p.costs }] : []))
  if (reporters.length === 0) return undefined
  const to = range.to ?? utcDay(clock.now())
  const from = range.from ?? utcDay(Date.parse(`${to}T00:00:00Z`) - (MAX_RANGE_DAYS - 1) * DAY_MS)
  return Promise.all(
    reporters.map(({ name, costs }) =>
      costs
        .report(from, to, signal)
        .then((figures) => ({ from, to, ...figures }))
        .catch((err: unknown) => ({ provider: name, from, to, error: (err as Error).message })),
    ),
  )
}

/** `GET /api/usage?from&to`: the user's own usage; an administrator's covers everyone and the organisation. */
export function usageRoutes(router: Router, service: ChatService, users: UserResolver): void {
  const { clock } = service
  const price = createPriceTable(service.config.prices)
  router.get('/api/usage', async (req, res) => {
    const user = await users(req, res)
    const range = parseDayRange(req.query, utcDay(clock.now()))
    const rows = await service.stores.usage.aggregate({
      ...range,
      ...(user.admin ? {} : { userId: user.id }),
    })
    const report = buildUsageReport(rows, price, range)
    const controller = new AbortController()
    res.once('close', () => controller.abort())
    const organization = user.admin
      ? await organizationFigures(service, range, clock, controller.signal)
      : undefined
    res.json(organization ? { ...report, organization } : report)
  })
}
