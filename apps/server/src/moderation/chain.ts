import type { GuardResult, Moderator, StreamGuard } from './types'

/** Passes text released by `first` on to `second`: an answer reaches the client only once both let it. */
function chainGuards(first: StreamGuard, second: StreamGuard): StreamGuard {
  return {
    async push(delta) {
      const released = await first.push(delta)
      return 'blocked' in released ? released : second.push(released.text)
    },
    async flush() {
      const released = await first.flush()
      if ('blocked' in released) return released
      const pushed = await second.push(released.text)
      if ('blocked' in pushed) return pushed
      const rest = await second.flush()
      return 'blocked' in rest ? rest : ({ text: pushed.text + rest.text } satisfies GuardResult)
    },
  }
}

/**
 * Several moderators as one, in order: a prompt is refused by the first that refuses it (so a cheap word
 * list spares a remote call), an answer goes through each in turn.
 */
export function chainModerators(first: Moderator, ...rest: readonly Moderator[]): Moderator {
  return {
    async checkPrompt(prompt) {
      for (const moderator of [first, ...rest]) {
        const reason = await moderator.checkPrompt(prompt)
        if (reason !== undefined) return reason
      }
      return undefined
    },
    stream: () => rest.reduce((guard, moderator) => chainGuards(guard, moderator.stream()), first.stream()),
  }
}
