// `@kit/server/publisher` stays for code written against it; the client itself is `@kit/publisher`.
// Named, not `export *`: the bundler drops a star re-export of an external package from a shared chunk.
export { createPublisher, PublishError, PublishFailure } from '@kit/publisher'
export type {
  ChannelErrorRequest,
  Publisher,
  PublisherOptions,
  PublishResponse,
  TokenResponse,
} from '@kit/publisher'
