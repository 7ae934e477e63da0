// User and conversation ids come from clients: encoded, they cannot reach into another key's name.
const part = (text: string): string => encodeURIComponent(text)

export const sessionKey = (prefix: string, userId: string, conversationId: string): string =>
  `${prefix}session:${part(userId)}:${part(conversationId)}`

/** The id of the user's most recently continued conversation, with the same idle time as its context. */
export const latestSessionKey = (prefix: string, userId: string): string =>
  `${prefix}session-latest:${part(userId)}`

export const quotaKey = (prefix: string, day: string, group: string, userId: string): string =>
  `${prefix}quota:${day}:${part(group)}:${part(userId)}`

/** A chat answer's record, the lease its generator renews, and the channel of its controls. */
export const streamKeys = (prefix: string, streamId: string) => ({
  record: `${prefix}stream:{${part(streamId)}}`,
  lease: `${prefix}stream:{${part(streamId)}}:lease`,
  control: `${prefix}stream:{${part(streamId)}}:control`,
})

/** Bonus balances have no expiry: they last until spent. */
export const bonusKey = (prefix: string, userId: string, model: string): string =>
  `${prefix}bonus:${part(model)}:${part(userId)}`
