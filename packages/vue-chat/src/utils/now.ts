/** The current time as stored in messages and conversations (`createdAt`, `updatedAt`). */
export const now = () => new Date().toISOString()
