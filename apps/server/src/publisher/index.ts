export { createPublisher } from './create-publisher'
export { PublishError } from './publish-error'
export type { ChannelErrorInput, Publisher, PublisherOptions } from './types'
