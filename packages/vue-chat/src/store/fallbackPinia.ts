import { createPinia, type Pinia } from 'pinia'
import { getCurrentInstance } from 'vue'

let fallback: Pinia | undefined

/** Undefined when the app installed pinia (use it); otherwise one private pinia, so <ChatBox> works alone. */
export function fallbackPinia(): Pinia | undefined {
  // Not getActivePinia(): inside a component it injects, and warns when nothing was provided.
  const installed = getCurrentInstance()?.appContext.config.globalProperties.$pinia
  return installed ? undefined : (fallback ??= createPinia())
}
