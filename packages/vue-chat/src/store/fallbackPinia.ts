import { createPinia, getActivePinia, type Pinia } from 'pinia'

let fallback: Pinia | undefined

/** Undefined when the app installed pinia (use it); otherwise one private pinia, so <ChatBox> works alone. */
export function fallbackPinia(): Pinia | undefined {
  return getActivePinia() ? undefined : (fallback ??= createPinia())
}
