import { PROMETHEUS_CONTENT_TYPE } from './metrics'
import type { KitRoutes } from './types'

/** Liveness and Prometheus metrics for operators. */
export const operatorRoutes: KitRoutes = (router, { registry, metrics }) => {
  router.get('/healthz', (_req, res) => {
    const { connections, channels } = registry.stats()
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()), connections, channels })
  })

  router.get('/metrics', (_req, res) => {
    res.type(PROMETHEUS_CONTENT_TYPE).send(metrics.render())
  })
}
