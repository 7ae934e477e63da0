import type { Moderator } from './types'

/** Checks a whole answer (one that was not streamed): why it is blocked, or undefined. */
export async function answerBlockedBy(moderator: Moderator, text: string): Promise<string | undefined> {
  const guard = moderator.stream()
  const pushed = await guard.push(text)
  const result = 'blocked' in pushed ? pushed : await guard.flush()
  return 'blocked' in result ? result.blocked : undefined
}
