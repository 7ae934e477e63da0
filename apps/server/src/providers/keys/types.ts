import type { ErrorCode } from '@kit/protocol'

/** `healthy`: in rotation. `down`: refused by the provider, tried again at `retryAt`. `probing`: being tried. */
export type KeyState = 'healthy' | 'down' | 'probing'

export interface KeyError {
  readonly code: ErrorCode
  readonly providerCode?: string | number
  /** Already free of any key fragment. */
  readonly message: string
  /** ISO 8601. */
  readonly at: string
}

/** One key as operators see it: never the key, only its fingerprint. */
export interface KeyHealth {
  /** `keyFingerprint` of the key. */
  readonly id: string
  readonly state: KeyState
  /** Requests the key was handed out for. */
  readonly uses: number
  /** Failures of requests with this key, of any kind. */
  readonly errors: number
  readonly lastError: KeyError | null
  /** When a key out of rotation is tried again (ISO 8601); null while in rotation. */
  readonly retryAt: string | null
}

/** An instance's keys, for `GET /metrics` and `GET /api/providers/keys`. */
export interface InstanceKeys {
  readonly provider: string
  readonly type: string
  readonly keys: readonly KeyHealth[]
}
