/** What a check of streamed text gives back: text safe to send on, or the reason it stopped. */
export type GuardResult = { readonly text: string } | { readonly blocked: string }

/**
 * Checks one streamed answer (one choice). Text is released only once no later delta can turn it into
 * part of a blocked match; what a delta does not release is held back and comes out of a later call.
 */
export interface StreamGuard {
  push(delta: string): Promise<GuardResult>
  /** The end of the text: releases (or blocks) whatever is still held back. */
  flush(): Promise<GuardResult>
}

/**
 * Decides what may be asked and answered. The kit's word list is one; a remote moderation API (OpenAI's
 * `/v1/moderations`, or one of your own) is another, and several are chained with `chainModerators`.
 */
export interface Moderator {
  /** Why the prompt is refused (logged, never sent to the client), or undefined when it may be asked. */
  checkPrompt(prompt: string): Promise<string | undefined>
  /** A guard for one streamed answer choice. */
  stream(): StreamGuard
}
