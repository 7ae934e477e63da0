import { describe, expect, it } from 'vitest'
// The protocol package is not a dependency of the client (see src/defaults.ts); its source is read directly.
import * as protocol from '../../protocol/src/constants'
import * as defaults from '../src/defaults'

describe('constants copied from @kit/protocol', () => {
  it('are equal to the protocol', () => {
    expect(defaults.TERMINAL_EVENTS).toEqual(protocol.TERMINAL_EVENTS)
    expect(defaults.DEFAULT_RETRY_MS).toBe(protocol.DEFAULT_RETRY_MS)
    expect(defaults.DEFAULT_IDLE_TIMEOUT_MS).toBe(protocol.DEFAULT_IDLE_TIMEOUT_MS)
  })
})
