import type { Conversation, ConversationList, ConversationSummary } from '@kit/protocol'
import type { HeadersOption } from '../composables/headers'
import { apiBase, requestJson } from '../composables/request'

/** Where and how to reach the server's history (`/api/conversations`, when its auth is on). */
export interface RemoteOptions {
  /** Base URL of the kit's HTTP API. Default `/api`. */
  api?: string
  headers?: HeadersOption
  fetch?: typeof fetch
}

const request = (options: RemoteOptions, path: string, method?: string) =>
  requestJson(options, `${apiBase(options.api)}/conversations${path}`, method)

/** The most recent conversations, as many as the server gives in one page. */
export async function listRemote(options: RemoteOptions): Promise<ConversationSummary[]> {
  const body = (await (await request(options, '?limit=200')).json()) as ConversationList
  return body.conversations
}

export async function getRemote(options: RemoteOptions, id: string): Promise<Conversation> {
  return (await (await request(options, `/${encodeURIComponent(id)}`)).json()) as Conversation
}

export async function deleteRemote(options: RemoteOptions, id: string): Promise<void> {
  await request(options, `/${encodeURIComponent(id)}`, 'DELETE')
}
