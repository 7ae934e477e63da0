import { ErrorCode } from '@kit/protocol'
import { KitError } from '../errors'

/** Base of the registry's typed errors. */
export class ChannelError extends KitError {}

/** A send to a channel that has already ended. */
export class ChannelClosedError extends ChannelError {
  constructor(readonly key: string) {
    super(ErrorCode.ChannelClosed, `channel ${key} has ended`)
  }
}

export class InvalidKeyError extends ChannelError {
  constructor(key: unknown) {
    super(ErrorCode.InvalidKey, `invalid channel key ${JSON.stringify(String(key).slice(0, 140))}`)
  }
}

export class InvalidEventNameError extends ChannelError {
  constructor(name: unknown, reason = 'event names match [a-z][a-z0-9._-]{0,63}') {
    super(
      ErrorCode.InvalidEventName,
      `invalid event name ${JSON.stringify(String(name).slice(0, 70))}: ${reason}`,
    )
  }
}
