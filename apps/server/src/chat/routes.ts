import { randomUUID } from 'node:crypto'
import type { Request, Response, Router } from 'express'
import { ErrorCode, isChannelKey, type ErrorData, type StopResponse } from '@kit/protocol'
import { chatRequestSchema } from '@kit/protocol/schemas'
import type { UserResolver } from '../auth/users'
import { HttpError } from '../http/errors'
import type { KitRouteContext } from '../http/types'
import { clientSignal } from './client-signal'
import { askerOf } from './asker'
import { ChatError } from './errors'
import type { Generations } from './generations'
import { chatMetrics } from './metrics'
import type { ChatService } from './types'

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
  if (!isChannelKey(id)) throw new HttpError(400, ErrorCode.InvalidKey, 'invalid stream id')
  return id
}

function lastEventIdOf(req: Request): string | null {
  const header = req.get('last-event-id')
  const query = req.query.lastEventId
  return header ?? (typeof query === 'string' ? query : null)
}

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
  context.metrics.add(...chatMetrics(generations))

  router.post('/api/chat', context.json, async (req, res) => {
    const asker = await askerOf(service, users, req, res)
    const body = chatRequestSchema.parse(req.body)
    let answer
    try {
      answer = await service.prepare({ ...body, ...asker })
    } catch (err) {
      if (err instanceof ChatError && ANSWERED_IN_STREAM.has(err.code))
        return refuseInStream(context, res, err.toEventData())
      throw err
    }
    // Until it runs, nothing else would free the answer's slot and quota (the bus refusing it, say).
    await generations.start(answer).catch(async (err: unknown) => {
      await answer.admission.settle(true)
      throw err
    })
    await generations.attach(answer.streamId, res, null)
  })

  router.get('/api/chat/streams/:streamId', async (req, res) => {
    const user = await users(req, res)
    const streamId = streamIdOf(req)
    const record = await streams.get(streamId)
    // Gone, or someone else's: either way there is nothing to resume here.
    if (!record || record.userId !== user.id || !(await context.registry.state(streamId))) {
      res.status(204).end()
      return
    }
    await generations.attach(streamId, res, lastEventIdOf(req))
  })

  router.post('/api/chat/streams/:streamId/stop', async (req, res) => {
    const user = await users(req, res)
    const streamId = streamIdOf(req)
    const record = await streams.get(streamId)
    if (!record || record.userId !== user.id) throw new HttpError(404, ErrorCode.NotFound, 'no such stream')
    if (!record.ended) await streams.requestStop(streamId)
    const body: StopResponse = { stopping: !record.ended }
    res.json(body)
  })

  router.post('/api/chat/completions', context.json, async (req, res) => {
    const asker = await askerOf(service, users, req, res)
    const body = chatRequestSchema.parse(req.body)
    res.json(await service.complete({ ...body, ...asker }, { signal: clientSignal(res) }))
  })
}
