export * from './events'
export * from './http'
export * from './chat'
export * from './parts'
