import { randomUUID } from 'node:crypto'
import type { Request, Response, Router } from 'express'
import { ErrorCode, isChannelKey, type ErrorData, type StopResponse } from '@kit/protocol'
import { chatRequestSchema } from '@kit/protocol/schemas'
import { z } from 'zod'
import type { KitUser, UserResolver } from '../auth/users'
import { KitError } from '../errors'
import type { KitRouteContext } from '../http/types'
import { answerFrames, parseAnswerEventId } from './answer-frames'
import { clientSignal } from './client-signal'
import { askerOf } from './asker'
import { ChatError } from './errors'
import { answerHead, isHead } from '../channels/head'
import type { FrameFormat } from '../channels/types'
import type { Generations } from './generations'
import { chatMetrics } from './metrics'
import { assertSameOrigin } from './same-site'
import type { AskInput, ChatService } from './types'

export interface ChatRouteDeps {
  readonly service: ChatService
  readonly generations: Generations
  readonly users: UserResolver
}

/**
 * Refusals that are answers to a valid request: they arrive as the stream's `error` event, so a client
 * shows them in the conversation and does not retry (sse-client retries an HTTP 429).
 */
const ANSWERED_IN_STREAM: ReadonlySet<string> = new Set([ErrorCode.QuotaExceeded, ErrorCode.ContentBlocked])

function streamIdOf(req: Request): string {
  const id = req.params.streamId
  if (!isChannelKey(id)) throw new KitError(ErrorCode.InvalidKey, 'invalid stream id')
  return id
}

function lastEventIdOf(req: Request): string | null {
  const header = req.get('last-event-id')
  const query = req.query.lastEventId
  return header ?? (typeof query === 'string' ? query : null)
}

const formatSchema = z.object({ format: z.enum(['json', 'text']).default('json') })

/** `GET /api/chat?prompt=…`: the scalar fields of a chat request, as a native EventSource can send them. */
const chatQuerySchema = chatRequestSchema
  .pick({ prompt: true, conversationId: true, provider: true, model: true, template: true })
  .extend(formatSchema.shape)

/** A stream that holds nothing but its terminal `error`, through the registry like any other. */
async function refuseInStream(context: KitRouteContext, res: Response, error: ErrorData): Promise<void> {
  if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(error.retryAfterSeconds))
  const key = randomUUID()
  await context.registry.error(key, error)
  await context.registry.connect(key, res)
}

/** `POST /api/chat`, resume, stop and `POST /api/chat/completions`. */
export function chatRoutes(router: Router, context: KitRouteContext, deps: ChatRouteDeps): void {
  const { service, generations, users } = deps
  const streams = service.stores.streams
  context.metrics.add(...chatMetrics(generations, service.outbox))

  /** Starts an answer and streams it to `res`; `frames` picks how its events are written. */
  async function answer(res: Response, input: AskInput, frames?: (streamId: string) => FrameFormat) {
    let prepared
    try {
      prepared = await service.prepare(input)
    } catch (err) {
      if (err instanceof ChatError && ANSWERED_IN_STREAM.has(err.code))
        return refuseInStream(context, res, err.toEventData())
      throw err
    }
    // Until it runs, nothing else would free the answer's slot and quota (the bus refusing it, say).
    await generations.start(prepared).catch(async (err: unknown) => {
      await prepared.admission.settle(true)
      throw err
    })
    await generations.attach(prepared.streamId, res, null, frames?.(prepared.streamId))
  }

  /** The user's own answer, still on its channel; false when gone or someone else's. */
  async function resumable(user: KitUser, streamId: string): Promise<boolean> {
    const record = await streams.get(streamId)
    return record?.userId === user.id && (await context.registry.state(streamId)) !== null
  }

  router.post('/api/chat', context.json, async (req, res) => {
    const asker = await askerOf(service, await users(req, res), req)
    const body = chatRequestSchema.parse(req.body)
    await answer(res, { ...body, ...asker })
  })

  /**
   * The source systems' `new EventSource('/chat?prompt=…')`: event ids name the answer, so the browser's
   * own reconnect (same URL, `Last-Event-ID`) resumes it instead of asking again.
   */
  router.get('/api/chat', async (req, res) => {
    assertSameOrigin(req)
    const user = await users(req, res)
    const { format, ...request } = chatQuerySchema.parse(req.query)
    // A HEAD starts nothing: no provider is paid to answer nobody.
    if (isHead(res)) return answerHead(res)
    const lastEventId = req.get('last-event-id')
    if (lastEventId !== undefined) {
      const resume = parseAnswerEventId(lastEventId)
      // A reconnect never asks again: an answer that is gone has been saved, and 204 stops EventSource.
      if (!resume || !(await resumable(user, resume.streamId))) {
        res.status(204).end()
        return
      }
      const frame = answerFrames(resume.streamId, format)
      return generations.attach(resume.streamId, res, resume.seq, frame)
    }
    const asker = await askerOf(service, user, req)
    await answer(res, { ...request, ...asker }, (streamId) => answerFrames(streamId, format))
  })

  router.get('/api/chat/streams/:streamId', async (req, res) => {
    const user = await users(req, res)
    const streamId = streamIdOf(req)
    const { format } = formatSchema.parse({ format: req.query.format })
    // Gone, or someone else's: either way there is nothing to resume here.
    if (!(await resumable(user, streamId))) {
      res.status(204).end()
      return
    }
    const frame = format === 'text' ? answerFrames(undefined, format) : undefined
    await generations.attach(streamId, res, lastEventIdOf(req), frame)
  })

  router.post('/api/chat/streams/:streamId/stop', async (req, res) => {
    const user = await users(req, res)
    const streamId = streamIdOf(req)
    const record = await streams.get(streamId)
    if (!record || record.userId !== user.id) throw new KitError(ErrorCode.NotFound, 'no such stream')
    if (!record.ended) await streams.requestStop(streamId)
    const body: StopResponse = { stopping: !record.ended }
    res.json(body)
  })

  router.post('/api/chat/completions', context.json, async (req, res) => {
    const asker = await askerOf(service, await users(req, res), req)
    const body = chatRequestSchema.parse(req.body)
    res.json(await service.complete({ ...body, ...asker }, { signal: clientSignal(res) }))
  })
}
