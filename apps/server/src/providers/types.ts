import type { ChatRole, Usage } from '@kit/protocol'
import type { KeyHealth } from './keys/types'

/** A built-in provider's type, or whatever an application calls a provider of its own. */
export type ProviderType = 'openai' | 'spark' | 'demo' | (string & {})

/** A call the model made, as it goes back to the model on the next step or turn. */
export interface ToolCallRequest {
  readonly id: string
  readonly name: string
  /** The arguments as the model wrote them: JSON text. */
  readonly arguments: string
}

/**
 * A message of the conversation sent to the provider. An assistant message may carry the tool calls it made;
 * each call's result follows as a `tool` message.
 */
export type ChatMessage =
  | { readonly role: ChatRole; readonly content: string; readonly toolCalls?: readonly ToolCallRequest[] }
  | { readonly role: 'tool'; readonly toolCallId: string; readonly name: string; readonly content: string }

/** A tool the model may call: `parameters` is a JSON Schema object. */
export interface ToolSpec {
  readonly name: string
  readonly description: string
  readonly parameters: Readonly<Record<string, unknown>>
}

export interface ProviderRequest {
  readonly model: string
  readonly messages: readonly ChatMessage[]
  readonly temperature?: number
  readonly maxTokens?: number
  /** Choices to generate (providers that answer one only are asked with 1). */
  readonly n?: number
  /** Stable per end user: providers use it for abuse tracking and Spark's `uid`. */
  readonly user?: string
  /** Tools the model may call; absent or empty = none. */
  readonly tools?: readonly ToolSpec[]
}

/** Why a choice ended, as the provider said it; `null` when it did not say. */
export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | (string & {})

/**
 * What a provider streams. Besides text: reasoning (a separate field, or `<think>` sections split out of
 * the text), tool calls (their arguments streamed as `tool-input`, then the whole call as `tool-call` once
 * the provider has all of it, before the choice's `finish`), and sources the answer cites.
 */
export type ProviderChunk =
  | { readonly type: 'delta'; readonly choice: number; readonly text: string }
  | { readonly type: 'reasoning'; readonly choice: number; readonly text: string }
  | {
      readonly type: 'tool-input'
      readonly choice: number
      readonly id: string
      readonly name: string
      readonly delta: string
    }
  | ({ readonly type: 'tool-call'; readonly choice: number } & ToolCallRequest)
  | {
      readonly type: 'source'
      readonly choice: number
      readonly url: string
      readonly title?: string
      /** `[start, end)` of the choice's text it supports, when the provider says. */
      readonly start?: number
      readonly end?: number
    }
  | { readonly type: 'finish'; readonly choice: number; readonly reason: FinishReason }
  | { readonly type: 'usage'; readonly usage: Usage }

export interface CompletionChoice {
  readonly index: number
  readonly content: string
  readonly finishReason: FinishReason | null
}

export interface ProviderCompletion {
  readonly choices: readonly CompletionChoice[]
  readonly usage?: Usage
}

export interface ImageGenerationRequest {
  readonly prompt: string
  readonly model: string
  readonly n: number
  readonly size: string
  readonly format: 'url' | 'b64_json'
  readonly user?: string
}

export type GeneratedImage = { readonly url: string } | { readonly b64: string }

export interface ImageGenerator {
  readonly models: readonly string[]
  generate(request: ImageGenerationRequest, signal: AbortSignal): Promise<GeneratedImage[]>
}

/** What the organisation was billed, as the provider reports it (OpenAI: `/v1/organization/costs`). */
export interface OrganizationCosts {
  readonly provider: string
  readonly totalUsd: number
  readonly days: readonly { readonly day: string; readonly costUsd: number }[]
}

export interface CostReporter {
  /** Inclusive UTC days `YYYY-MM-DD`. */
  report(from: string, to: string, signal: AbortSignal): Promise<OrganizationCosts>
}

export interface ChatProvider {
  readonly name: string
  readonly type: ProviderType
  readonly models: readonly string[]
  readonly defaultModel: string
  /** Most choices one request can ask for. */
  readonly maxChoices: number
  /** True for the offline demo: the UI labels its answers. */
  readonly demo: boolean
  /**
   * Streams an answer. Failures are thrown as `ProviderError`; when `signal` aborts, the iteration ends
   * early (with or without an error) and the caller reads `signal.aborted`.
   */
  stream(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderChunk>
  complete(request: ProviderRequest, signal: AbortSignal): Promise<ProviderCompletion>
  /** Health of the instance's keys (by fingerprint), for operators; absent when it has none. */
  keys?(): readonly KeyHealth[]
  readonly images?: ImageGenerator
  /** Present when the instance may read its organisation's costs (an admin key is configured). */
  readonly costs?: CostReporter
  /** Releases sockets and agents (a proxy's connection pool). */
  close?(): Promise<void>
}
