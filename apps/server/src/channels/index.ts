export * from './types'
export * from './errors'
export { createChannelRegistry, DEFAULT_CHANNEL_TIMEOUT_MS, DEFAULT_MAX_QUEUE_BYTES } from './registry'
