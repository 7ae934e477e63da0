import { backoffMs, ErrorCode } from '@kit/protocol'
import { ProviderError } from '../errors'
import type { KeyError, KeyHealth, KeyState } from './types'

/** The provider refused this key itself: it is taken out of rotation and the next key is tried. */
export function isKeyFailure(error: unknown): error is ProviderError {
  return (
    error instanceof ProviderError &&
    (error.code === ErrorCode.ProviderAuth || error.code === ErrorCode.ProviderQuota)
  )
}

/** A key handed out for one request; settle it once, or release it when the request was abandoned. */
export interface KeyLease<T> {
  readonly value: T
  readonly id: string
  succeeded(): void
  failed(error: unknown): void
  release(): void
}

export interface KeyProbe {
  readonly baseMs: number
  readonly maxMs: number
}

interface Slot<T> {
  readonly id: string
  readonly value: T
  state: KeyState
  uses: number
  errors: number
  /** Failed probes in a row: the back-off before the next probe grows with it. */
  downs: number
  retryAt: number
  lastError: KeyError | null
}

const errorOf = (error: unknown, now: number): KeyError => ({
  code: error instanceof ProviderError ? error.code : ErrorCode.Internal,
  ...(error instanceof ProviderError && error.providerCode !== undefined
    ? { providerCode: error.providerCode }
    : {}),
  message: error instanceof ProviderError ? error.message : 'unexpected failure',
  at: new Date(now).toISOString(),
})

/**
 * An instance's keys (or Spark apps) taking turns. A key the provider refuses (401/403, no quota) leaves the
 * rotation; once its back-off has passed, the next request that comes by tries it again alone (a probe):
 * success puts it back, another refusal doubles the back-off up to `probe.maxMs`. No timer runs in between.
 */
export class KeyPool<T> {
  private readonly slots: Slot<T>[]
  private position = 0

  constructor(
    entries: readonly { readonly id: string; readonly value: T }[],
    private readonly probe: KeyProbe,
    private readonly now: () => number = Date.now,
  ) {
    if (entries.length === 0) throw new Error('a key pool needs at least one key')
    this.slots = entries.map(({ id, value }) => ({
      id,
      value,
      state: 'healthy',
      uses: 0,
      errors: 0,
      downs: 0,
      retryAt: 0,
      lastError: null,
    }))
  }

  /** The next key in turn that is in rotation or due for a probe, other than `tried`; undefined when none is. */
  acquire(tried: ReadonlySet<string> = new Set()): KeyLease<T> | undefined {
    const now = this.now()
    for (let i = 0; i < this.slots.length; i++) {
      const index = (this.position + i) % this.slots.length
      const slot = this.slots[index]!
      const due = slot.state === 'down' && slot.retryAt <= now
      if ((slot.state !== 'healthy' && !due) || tried.has(slot.id)) continue
      this.position = (index + 1) % this.slots.length
      if (due) slot.state = 'probing'
      slot.uses++
      return this.lease(slot)
    }
    return undefined
  }

  /** Why no key can be handed out: the last refusal, and when the first key is tried again. */
  exhausted(provider: string): ProviderError {
    const next = Math.min(...this.slots.map((s) => s.retryAt))
    const last = this.slots
      .map((s) => s.lastError)
      .filter((e): e is KeyError => e !== null)
      .sort((a, b) => b.at.localeCompare(a.at))[0]
    const seconds = Math.max(1, Math.ceil((next - this.now()) / 1000))
    return new ProviderError({
      code: last?.code ?? ErrorCode.ProviderAuth,
      message: `${provider}: every key is out of rotation; the first is tried again in ${seconds} s${last ? ` (last refusal: ${last.message})` : ''}`,
      retriable: false,
      provider,
      ...(last?.providerCode === undefined ? {} : { providerCode: last.providerCode }),
    })
  }

  health(): KeyHealth[] {
    return this.slots.map((s) => ({
      id: s.id,
      state: s.state,
      uses: s.uses,
      errors: s.errors,
      lastError: s.lastError,
      retryAt: s.state === 'healthy' ? null : new Date(s.retryAt).toISOString(),
    }))
  }

  private lease(slot: Slot<T>): KeyLease<T> {
    let settled = false
    const settle = (update: () => void) => {
      if (settled) return
      settled = true
      update()
    }
    return {
      value: slot.value,
      id: slot.id,
      succeeded: () =>
        settle(() => {
          slot.state = 'healthy'
          slot.downs = 0
        }),
      failed: (error) =>
        settle(() => {
          const now = this.now()
          slot.errors++
          slot.lastError = errorOf(error, now)
          if (isKeyFailure(error)) {
            const wait = backoffMs({ attempts: 0, ...this.probe, jitter: 'none' }, slot.downs++)
            slot.state = 'down'
            slot.retryAt = now + wait
          } else if (slot.state === 'probing') {
            // The probe failed for another reason: nothing was learnt about the key, the next request tries it.
            slot.state = 'down'
          }
        }),
      // An abandoned probe leaves the key due again (its retryAt has passed).
      release: () => settle(() => slot.state === 'probing' && (slot.state = 'down')),
    }
  }
}
