let counter = 0

/** A local id: unique within the page, and random enough not to collide with ids persisted by earlier visits. */
export function localId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${(++counter).toString(36)}${Math.random().toString(36).slice(2, 6)}`
}
