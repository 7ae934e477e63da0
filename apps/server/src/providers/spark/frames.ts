import type { ChatMessage, ProviderRequest } from '../types'
import type { SparkModel } from './domains'

export interface SparkRequestFrame {
  header: { app_id: string; uid: string }
  parameter: { chat: { domain: string; temperature?: number; max_tokens?: number } }
  payload: { message: { text: ChatMessage[] } }
}

export interface SparkUsage {
  question_tokens: number
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
}

/** Status 0 is the first frame, 1 a middle one, 2 the last (the server closes after it). */
export interface SparkResponseFrame {
  header: { code: number; message: string; sid: string; status: number }
  payload?: {
    choices?: { status: number; seq: number; text: { content: string; role: string; index: number }[] }
    usage?: { text: SparkUsage }
  }
}

/** Only Max and Ultra take `system` messages: for the others the instructions lead the first user message. */
function messagesFor(model: SparkModel, messages: readonly ChatMessage[]): ChatMessage[] {
  if (model.systemMessages) return [...messages]
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content)
  const rest = messages.filter((m) => m.role !== 'system')
  const firstUser = rest.findIndex((m) => m.role === 'user')
  if (system.length === 0 || firstUser < 0) return rest
  return rest.map((m, i) =>
    i === firstUser ? { role: 'user', content: `${system.join('\n')}\n\n${m.content}` } : m,
  )
}

export function sparkRequestFrame(
  appId: string,
  model: SparkModel,
  request: ProviderRequest,
): SparkRequestFrame {
  return {
    header: { app_id: appId, uid: (request.user ?? 'kit').slice(0, 32) },
    parameter: {
      chat: {
        domain: model.domain,
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
      },
    },
    payload: { message: { text: messagesFor(model, request.messages) } },
  }
}

export function parseSparkFrame(text: string): SparkResponseFrame | undefined {
  try {
    const frame = JSON.parse(text) as SparkResponseFrame
    return typeof frame?.header?.code === 'number' ? frame : undefined
  } catch {
    return undefined
  }
}
