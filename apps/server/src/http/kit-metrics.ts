import type { ChannelRegistry, RegistryStats } from '../channels/types'
import type { Metric } from './metrics'

const fromStats = (
  registry: ChannelRegistry,
  name: string,
  type: Metric['type'],
  field: keyof RegistryStats,
  help: string,
): Metric => ({ name, type, help, value: () => registry.stats()[field] })

/** The registry's and the process's figures for `GET /metrics`. */
export function kitMetrics(registry: ChannelRegistry): Metric[] {
  return [
    fromStats(registry, 'kit_connections', 'gauge', 'connections', 'Open subscriber connections.'),
    fromStats(registry, 'kit_channels', 'gauge', 'channels', 'Channels with subscribers or a producer here.'),
    fromStats(
      registry,
      'kit_events_sent_total',
      'counter',
      'eventsSent',
      'Events published, terminal included.',
    ),
    fromStats(registry, 'kit_deliveries_total', 'counter', 'deliveries', 'Events handed to subscribers.'),
    fromStats(
      registry,
      'kit_replayed_events_total',
      'counter',
      'replays',
      'Events replayed from the buffer.',
    ),
    fromStats(
      registry,
      'kit_dropped_subscribers_total',
      'counter',
      'drops',
      'Subscribers dropped for not draining.',
    ),
    fromStats(
      registry,
      'kit_channel_timeouts_total',
      'counter',
      'timeouts',
      'Channels ended by their timeout.',
    ),
    {
      name: 'kit_bus_channels',
      type: 'gauge',
      help: 'Channels held by the bus of this instance (with Redis: the ones it listens to).',
      value: () => registry.bus.stats().channels,
    },
    {
      name: 'kit_bus_buffered_bytes',
      type: 'gauge',
      help: 'Bytes of event data in the replay buffers of those channels.',
      value: () => registry.bus.stats().bufferedBytes,
    },
    {
      name: 'process_resident_memory_bytes',
      type: 'gauge',
      help: 'Resident set size.',
      value: () => process.memoryUsage.rss(),
    },
    {
      name: 'nodejs_heap_used_bytes',
      type: 'gauge',
      help: 'V8 heap in use.',
      value: () => process.memoryUsage().heapUsed,
    },
  ]
}
