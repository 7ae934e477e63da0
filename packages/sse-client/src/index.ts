export { StreamError } from './stream-error'
export type * from './types'
