/**
 * Names of one channel's Redis keys. The key sits in a hash tag (`{…}`) so that the state and the log share
 * a cluster slot, as a script touching both needs.
 */
export interface ChannelKeys {
  /** Hash: last id, buffered bytes, ended flag, deadline. */
  readonly meta: string
  /** Stream: the replay buffer, one entry per event, entry id `<event id>-0`. */
  readonly log: string
  /** Pub/sub channel carrying each new event to every instance that listens. */
  readonly events: string
}

export const channelKeys = (prefix: string, key: string): ChannelKeys => ({
  meta: `${prefix}ch:{${key}}:meta`,
  log: `${prefix}ch:{${key}}:log`,
  events: `${prefix}ch:{${key}}:events`,
})
