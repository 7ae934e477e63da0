import type { ProvidersResponse } from '@kit/protocol'
import { ref, shallowRef, toValue, watch, type MaybeRefOrGetter, type Ref, type ShallowRef } from 'vue'
import { isClient } from '../utils/env'
import { resolveHeaders, type HeadersOption } from './headers'

export interface UseProvidersOptions {
  headers?: HeadersOption
  fetch?: typeof fetch
}

export interface UseProvidersReturn {
  /** `GET /api/providers`: provider instances with their models, and the prompt templates. */
  data: ShallowRef<ProvidersResponse | undefined>
  error: ShallowRef<Error | undefined>
  loading: Ref<boolean>
  refresh: () => Promise<void>
}

/** Loads the server's providers and templates; again whenever `api` changes. */
export function useProviders(
  api: MaybeRefOrGetter<string | undefined>,
  options: UseProvidersOptions = {},
): UseProvidersReturn {
  const data = shallowRef<ProvidersResponse>()
  const error = shallowRef<Error>()
  const loading = ref(false)

  async function refresh(): Promise<void> {
    const url = `${(toValue(api) ?? '/api').replace(/\/+$/, '')}/providers`
    loading.value = true
    try {
      const response = await (options.fetch ?? globalThis.fetch)(url, {
        headers: await resolveHeaders(options.headers, { accept: 'application/json' }),
      })
      if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`)
      data.value = (await response.json()) as ProvidersResponse
      error.value = undefined
    } catch (cause) {
      error.value = cause instanceof Error ? cause : new Error(String(cause))
    } finally {
      loading.value = false
    }
  }

  if (isClient) watch(() => toValue(api), refresh, { immediate: true })
  return { data, error, loading, refresh }
}
