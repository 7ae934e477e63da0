// Copies of @kit/protocol's TERMINAL_EVENTS, DEFAULT_RETRY_MS and DEFAULT_IDLE_TIMEOUT_MS (a test keeps them
// equal): inlined so the client has no runtime dependency and its bundle carries three literals, not the
// protocol's EventName table.
export const TERMINAL_EVENTS: readonly string[] = ['done', 'error']
export const DEFAULT_RETRY_MS = 1000
export const DEFAULT_IDLE_TIMEOUT_MS = 45_000
