import type { ProvidersResponse } from '@kit/protocol'
import { ref, shallowRef, toValue, watch, type MaybeRefOrGetter, type Ref, type ShallowRef } from 'vue'
import { isClient } from '../utils/env'
import type { HeadersOption } from './headers'
import { apiBase, requestJson } from './request'

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
    loading.value = true
    try {
      const response = await requestJson(options, `${apiBase(toValue(api))}/providers`)
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
