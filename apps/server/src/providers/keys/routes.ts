import type { Router } from 'express'
import type { KitRouteContext } from '../../http/types'
import type { MetricSample } from '../../http/metrics'
import type { ProviderCatalog } from '../catalog'
import type { InstanceKeys, KeyHealth } from './types'

/** The body of `GET /api/providers/keys`. */
export interface ProviderKeysResponse {
  readonly providers: readonly InstanceKeys[]
}

const samples =
  (catalog: ProviderCatalog, value: (key: KeyHealth) => number | undefined) => (): MetricSample[] =>
    catalog.keys().flatMap(({ provider, keys }) =>
      keys.flatMap((key) => {
        const sample = value(key)
        return sample === undefined ? [] : [{ labels: { provider, key: key.id }, value: sample }]
      }),
    )

/**
 * Key health for operators: per-key gauges and counters on `GET /metrics`, and the details (last error, next
 * probe) on `GET /api/providers/keys` behind the publish secret. Keys appear only as fingerprints.
 */
export function providerKeyRoutes(router: Router, context: KitRouteContext, catalog: ProviderCatalog): void {
  context.metrics.add(
    {
      name: 'kit_provider_key_up',
      type: 'gauge',
      help: '1 while a provider key is in rotation, 0 while it is out (refused) or being probed.',
      value: samples(catalog, (key) => (key.state === 'healthy' ? 1 : 0)),
    },
    {
      name: 'kit_provider_key_requests_total',
      type: 'counter',
      help: 'Requests a provider key was used for.',
      value: samples(catalog, (key) => key.uses),
    },
    {
      name: 'kit_provider_key_errors_total',
      type: 'counter',
      help: 'Failed requests with a provider key, of any kind.',
      value: samples(catalog, (key) => key.errors),
    },
    {
      name: 'kit_provider_key_last_error_timestamp_seconds',
      type: 'gauge',
      help: 'When a provider key last failed (Unix seconds).',
      value: samples(catalog, (key) => (key.lastError ? Date.parse(key.lastError.at) / 1000 : undefined)),
    },
  )

  router.get('/api/providers/keys', context.requirePublishSecret, (_req, res) => {
    const body: ProviderKeysResponse = { providers: catalog.keys() }
    res.json(body)
  })
}
