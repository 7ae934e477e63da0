import type { Agent } from 'node:http'
import { ErrorCode } from '@kit/protocol'
import WebSocket from 'ws'
import { AsyncQueue } from '../async-queue'
import { networkError, ProviderError } from '../errors'
import type { ProviderChunk, ProviderRequest } from '../types'
import { sparkError } from './codes'
import type { SparkModel } from './domains'
import { parseSparkFrame, sparkRequestFrame, type SparkResponseFrame } from './frames'
import { handshakeError } from './handshake'
import { signSparkUrl } from './sign'

export interface SparkSessionInput {
  readonly provider: string
  readonly url: string
  readonly credentials: { appId: string; apiKey: string; apiSecret: string }
  readonly model: SparkModel
  readonly request: ProviderRequest
  readonly agent: Agent | undefined
}

function unreadable(provider: string): ProviderError {
  return new ProviderError({
    code: ErrorCode.ProviderError,
    message: `${provider} sent a frame the kit could not read`,
    retriable: true,
    provider,
  })
}

/** Opens the signed socket, sends the one request frame and hands every answer frame to a queue. */
function openSocket(input: SparkSessionInput, frames: AsyncQueue<SparkResponseFrame>): WebSocket {
  const { provider } = input
  const url = signSparkUrl({ url: input.url, path: input.model.path, ...input.credentials })
  const socket = new WebSocket(url, input.agent ? { agent: input.agent } : {})
  socket.on('open', () =>
    socket.send(JSON.stringify(sparkRequestFrame(input.credentials.appId, input.model, input.request))),
  )
  socket.on('message', (data) => {
    const frame = parseSparkFrame(String(data))
    if (frame) frames.push(frame)
    else frames.fail(unreadable(provider))
  })
  socket.on('unexpected-response', (req, res) => {
    void handshakeError(provider, res).then((error) => {
      frames.fail(error)
      req.destroy()
    })
  })
  socket.on('error', (err) => frames.fail(networkError(provider, err)))
  socket.on('close', () => frames.end())
  return socket
}

/**
 * One answer over one WebSocket. The socket is closed when the last frame (status 2) arrives, on abort and on
 * error, whichever comes first.
 */
export async function* sparkSession(
  input: SparkSessionInput,
  signal: AbortSignal,
): AsyncGenerator<ProviderChunk> {
  const frames = new AsyncQueue<SparkResponseFrame>()
  const socket = openSocket(input, frames)
  const onAbort = () => frames.end()
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    for await (const { header, payload } of frames) {
      if (header.code !== 0) throw sparkError(input.provider, header.code, header.message, header.sid)
      for (const text of payload?.choices?.text ?? []) {
        if (text.content) yield { type: 'delta', choice: 0, text: text.content }
      }
      if (header.status === 2) {
        yield { type: 'finish', choice: 0, reason: 'stop' }
        const usage = payload?.usage?.text
        if (usage) {
          yield {
            type: 'usage',
            usage: {
              promptTokens: usage.prompt_tokens,
              completionTokens: usage.completion_tokens,
              totalTokens: usage.total_tokens,
            },
          }
        }
        return
      }
    }
    if (!signal.aborted)
      throw networkError(input.provider, new Error('the socket closed before the last frame'))
  } finally {
    signal.removeEventListener('abort', onAbort)
    if (socket.readyState === WebSocket.OPEN) socket.close(1000)
    else if (socket.readyState === WebSocket.CONNECTING) socket.terminate()
  }
}
