// Constants and types only: importing this entry pulls no zod into a browser bundle.
// The schemas themselves live at `@kit/protocol/schemas`.
export * from './constants'
export * from './retry'
export type * from './schemas/events'
export type * from './schemas/http'
export type * from './schemas/chat'
export type * from './schemas/parts'
