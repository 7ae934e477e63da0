// `@kit/publisher`: imports nothing of the server, so a backend can push without Express or a database driver.
export { createPublisher } from './create-publisher'
export { PublishError, PublishFailure } from './publish-error'
export type { Publisher, PublisherOptions } from './types'
export type { ChannelErrorRequest, PublishResponse, TokenResponse } from '@kit/protocol'
