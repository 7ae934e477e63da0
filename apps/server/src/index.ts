// Public API of @kit/server: the app in src/main.ts is a thin user of these.
export * from './channels'
export type * from './bus/types'
export { createMemoryBus, type MemoryBusOptions } from './bus/memory-bus'
