import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import { encodePng } from '../../src/images/png'
import { listen, pause, readJson, sendJson, shutdown, Waiters } from './http'

/** What the next request gets instead of a normal answer. */
export type FakeOpenAIBehaviour =
  | {
      kind: 'status'
      status: number
      code?: string | null
      type?: string
      message?: string
      headers?: Record<string, string>
    }
  /** `data: {"error": …}` after some content chunks, as OpenAI reports a failure mid-stream. */
  | { kind: 'stream-error'; afterChunks: number; code?: string | null; type?: string; message?: string }
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  /** Destroys the connection after some content chunks. */
  | { kind: 'drop'; afterChunks: number }

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: Record<string, unknown> | undefined
  readonly at: number
  /** The client closed the connection before the answer ended. */
  clientClosed: boolean
  /** The fake cut the connection itself (behaviour `drop`). */
  dropped: boolean
}

export interface FakeOpenAIOptions {
  apiKeys?: string[]
  adminKey?: string
  chunkDelayMs?: number
  port?: number
}

export interface FakeOpenAI {
  /** Base URL including `/v1`, as the SDK's `baseURL`. */
  readonly url: string
  readonly requests: RecordedRequest[]
  chunkDelayMs: number
  /** The text of each choice; by default it echoes the last user message. */
  answer: (prompt: string, choice: number) => string
  /** Categories `POST /v1/moderations` flags in one text; by default none. */
  moderate: (text: string) => string[]
  enqueue(...behaviours: FakeOpenAIBehaviour[]): void
  /** A request whose client went away before its answer ended. */
  clientClose(): Promise<RecordedRequest>
  close(): Promise<void>
}

type Body = Record<string, unknown>
const CREATED = 1_700_000_000

const errorBody = (message: string, type: string, code: string | null, param: string | null = null) => ({
  error: { message, type, param, code },
})

const INVALID_KEY = (key: string) =>
  errorBody(
    `Incorrect API key provided: ${key.slice(0, 5)}***${key.slice(-2)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    'invalid_request_error',
    'invalid_api_key',
  )

/** Default messages of the real API for the statuses tests ask for. */
function scriptedError(b: Extract<FakeOpenAIBehaviour, { kind: 'status' }>) {
  if (b.status === 429 && b.code === 'insufficient_quota') {
    return errorBody(
      b.message ?? 'You exceeded your current quota, please check your plan and billing details.',
      'insufficient_quota',
      'insufficient_quota',
    )
  }
  if (b.status === 429) {
    return errorBody(
      b.message ??
        'Rate limit reached for gpt-4o-mini in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1.',
      b.type ?? 'requests',
      b.code === undefined ? 'rate_limit_exceeded' : b.code,
    )
  }
  if (b.status === 401) return INVALID_KEY('sk-wrong-key')
  return errorBody(
    b.message ?? 'The server had an error while processing your request. Sorry about that!',
    b.type ?? 'server_error',
    b.code ?? null,
  )
}

const tokensOf = (text: string) => text.match(/\s*\S+/g) ?? []

function lastUserPrompt(body: Body): string {
  const messages = (body.messages ?? []) as { role: string; content: string }[]
  return messages.findLast((m) => m.role === 'user')?.content ?? ''
}

function promptTokens(body: Body): number {
  const messages = (body.messages ?? []) as { content: string }[]
  return messages.reduce((sum, m) => sum + tokensOf(m.content).length, 0)
}

/** Every choice's tokens, cut at `max_tokens` with finish reason `length`. */
function plan(body: Body, answer: FakeOpenAI['answer']) {
  const n = typeof body.n === 'number' ? body.n : 1
  const max = typeof body.max_tokens === 'number' ? body.max_tokens : Infinity
  return Array.from({ length: n }, (_, index) => {
    const all = tokensOf(answer(lastUserPrompt(body), index))
    return { index, tokens: all.slice(0, max), finish: all.length > max ? 'length' : 'stop' }
  })
}

/** The categories of `omni-moderation-latest`, in the order the real endpoint lists them. */
const MODERATION_CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'sexual',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm/intent',
  'self-harm/instructions',
  'self-harm',
  'sexual/minors',
  'violence',
  'violence/graphic',
]

/** The texts of a moderation `input`: a string, strings, or `{type: 'text', text}` parts; undefined if malformed. */
function moderationTexts(input: unknown): string[] | undefined {
  if (typeof input === 'string') return [input]
  if (!Array.isArray(input) || input.length === 0) return undefined
  if (input.every((item) => typeof item === 'string')) return input as string[]
  const parts = input as { type?: unknown; text?: unknown }[]
  if (!parts.every((p) => p.type === 'text' && typeof p.text === 'string')) return undefined
  return [parts.map((p) => p.text as string).join('\n')]
}

/** Sizes and counts the real endpoint accepts per model. */
const IMAGE_MODELS: Record<string, { sizes: string[]; maxN: number; b64Only: boolean }> = {
  'dall-e-2': { sizes: ['256x256', '512x512', '1024x1024'], maxN: 10, b64Only: false },
  'dall-e-3': { sizes: ['1024x1024', '1792x1024', '1024x1792'], maxN: 1, b64Only: false },
  'gpt-image-1': { sizes: ['1024x1024', '1536x1024', '1024x1536', 'auto'], maxN: 10, b64Only: true },
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const keys = new Set(options.apiKeys ?? ['sk-test-key'])
  const queue: FakeOpenAIBehaviour[] = []
  const requests: RecordedRequest[] = []
  const closes = new Waiters<RecordedRequest>()
  const files = new Map<string, Buffer>()
  let origin = ''

  const fake: FakeOpenAI = {
    url: '',
    requests,
    chunkDelayMs: options.chunkDelayMs ?? 0,
    answer: (prompt, choice) => (choice === 0 ? `Echo: ${prompt}` : `Echo ${choice}: ${prompt}`),
    moderate: () => [],
    enqueue: (...behaviours) => queue.push(...behaviours),
    clientClose: () => {
      const closed = requests.find((r) => r.clientClosed)
      return closed ? Promise.resolve(closed) : closes.next()
    },
    close: () => shutdown(server),
  }

  const authorised = (req: IncomingMessage, res: ServerResponse, accepted: (key: string) => boolean) => {
    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? ''
    if (accepted(key)) return true
    sendJson(res, 401, INVALID_KEY(key || 'none'))
    return false
  }

  const write = (res: ServerResponse, data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`)

  async function streamChat(
    res: ServerResponse,
    record: RecordedRequest,
    behaviour: FakeOpenAIBehaviour | undefined,
  ) {
    const body = record.body ?? {}
    const withUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true
    const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: CREATED, model: body.model }
    const chunk = (choices: unknown[]) => ({
      ...base,
      system_fingerprint: 'fp_fake',
      choices,
      ...(withUsage ? { usage: null } : {}),
    })
    const choices = plan(body, fake.answer)
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' })
    for (const c of choices) {
      write(
        res,
        chunk([
          {
            index: c.index,
            delta: { role: 'assistant', content: '', refusal: null },
            logprobs: null,
            finish_reason: null,
          },
        ]),
      )
    }
    let sent = 0
    const longest = Math.max(...choices.map((c) => c.tokens.length))
    for (let step = 0; step < longest; step++) {
      for (const c of choices) {
        const token = c.tokens[step]
        if (token === undefined) continue
        if (behaviour?.kind === 'drop' && sent === behaviour.afterChunks) {
          record.dropped = true
          // End the socket rather than the response: what was written arrives, the chunked body never ends.
          return void res.socket?.end()
        }
        if (behaviour?.kind === 'stream-error' && sent === behaviour.afterChunks) {
          write(
            res,
            errorBody(
              behaviour.message ?? 'The server had an error while processing your request.',
              behaviour.type ?? 'server_error',
              behaviour.code ?? null,
            ),
          )
          return void res.end()
        }
        if (fake.chunkDelayMs > 0) await pause(fake.chunkDelayMs)
        if (res.destroyed) return
        write(
          res,
          chunk([{ index: c.index, delta: { content: token }, logprobs: null, finish_reason: null }]),
        )
        sent++
      }
    }
    for (const c of choices)
      write(res, chunk([{ index: c.index, delta: {}, logprobs: null, finish_reason: c.finish }]))
    if (withUsage) {
      const completion = choices.reduce((sum, c) => sum + c.tokens.length, 0)
      const prompt = promptTokens(body)
      write(res, {
        ...base,
        system_fingerprint: 'fp_fake',
        choices: [],
        usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
      })
    }
    res.end('data: [DONE]\n\n')
  }

  function completeChat(res: ServerResponse, body: Body) {
    const choices = plan(body, fake.answer)
    const completion = choices.reduce((sum, c) => sum + c.tokens.length, 0)
    const prompt = promptTokens(body)
    sendJson(res, 200, {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: CREATED,
      model: body.model,
      choices: choices.map((c) => ({
        index: c.index,
        message: { role: 'assistant', content: c.tokens.join(''), refusal: null },
        logprobs: null,
        finish_reason: c.finish,
      })),
      usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
    })
  }

  function generateImages(res: ServerResponse, body: Body) {
    const model = typeof body.model === 'string' ? body.model : 'dall-e-2'
    const limits = IMAGE_MODELS[model]
    const n = typeof body.n === 'number' ? body.n : 1
    const size = typeof body.size === 'string' ? body.size : '1024x1024'
    const invalid = (message: string, param: string) =>
      sendJson(res, 400, errorBody(message, 'invalid_request_error', null, param))
    if (!limits) return invalid(`Invalid model ${model}.`, 'model')
    if (limits.b64Only && body.response_format !== undefined)
      return invalid("Unknown parameter: 'response_format'.", 'response_format')
    if (n < 1 || n > limits.maxN) return invalid(`Invalid 'n': must be between 1 and ${limits.maxN}.`, 'n')
    if (!limits.sizes.includes(size))
      return invalid(`'${size}' is not one of ${JSON.stringify(limits.sizes)} - 'size'`, 'size')
    const data = Array.from({ length: n }, (_, i) => {
      const png = encodePng(8, 8, () => [(i * 40) & 255, 128, 200])
      if (limits.b64Only || body.response_format === 'b64_json') return { b64_json: png.toString('base64') }
      const name = `img-${files.size + 1}.png`
      files.set(name, png)
      return { url: `${origin}/files/${name}`, revised_prompt: String(body.prompt) }
    })
    sendJson(res, 200, { created: CREATED, data })
  }

  /** `POST /v1/moderations`: one result per input text, scores high only for the flagged categories. */
  function moderate(res: ServerResponse, body: Body) {
    const texts = moderationTexts(body.input)
    if (!texts)
      return sendJson(
        res,
        400,
        errorBody("Invalid value for 'input'.", 'invalid_request_error', null, 'input'),
      )
    const results = texts.map((text) => {
      const flagged = new Set(fake.moderate(text))
      const per = <T>(value: (category: string) => T) =>
        Object.fromEntries(MODERATION_CATEGORIES.map((category) => [category, value(category)]))
      return {
        flagged: flagged.size > 0,
        categories: per((category) => flagged.has(category)),
        category_scores: per((category) => (flagged.has(category) ? 0.91 : 0.00012)),
        category_applied_input_types: per(() => ['text']),
      }
    })
    const model = typeof body.model === 'string' ? body.model : 'omni-moderation-latest'
    sendJson(res, 200, { id: `modr-${String(requests.length).padStart(4, '0')}`, model, results })
  }

  /** `GET /v1/organization/costs`: one bucket a day, $1.50 each, paged by `limit` (default 7). */
  function costs(res: ServerResponse, query: URLSearchParams) {
    const start = Number(query.get('start_time'))
    if (!Number.isInteger(start))
      return sendJson(
        res,
        400,
        errorBody('start_time is required', 'invalid_request_error', null, 'start_time'),
      )
    const end = Number(query.get('end_time') ?? Math.floor(Date.now() / 1000))
    const limit = Number(query.get('limit') ?? 7)
    const from = Number(query.get('page') ?? start)
    const data = []
    let day = from
    for (; day < end && data.length < limit; day += 86_400) {
      data.push({
        object: 'bucket',
        start_time: day,
        end_time: day + 86_400,
        results: [
          {
            object: 'organization.costs.result',
            amount: { value: 1.5, currency: 'usd' },
            line_item: null,
            project_id: null,
          },
        ],
      })
    }
    const hasMore = day < end
    sendJson(res, 200, { object: 'page', data, has_more: hasMore, next_page: hasMore ? String(day) : null })
  }

  async function handle(req: IncomingMessage, res: ServerResponse, record: RecordedRequest) {
    const url = new URL(req.url ?? '/', origin)
    if (req.method === 'GET' && url.pathname.startsWith('/files/')) {
      const file = files.get(url.pathname.slice('/files/'.length))
      if (!file) return sendJson(res, 404, errorBody('No such file', 'invalid_request_error', null))
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': file.length })
      return void res.end(file)
    }
    if (req.method === 'GET' && url.pathname === '/v1/organization/costs') {
      if (!authorised(req, res, (key) => key === options.adminKey)) return
      return costs(res, url.searchParams)
    }
    if (!authorised(req, res, (key) => keys.has(key))) return
    const behaviour = queue.shift()
    if (behaviour?.kind === 'hang') return
    if (behaviour?.kind === 'status')
      return sendJson(res, behaviour.status, scriptedError(behaviour), behaviour.headers)
    const body = record.body ?? {}
    if (req.method === 'POST' && url.pathname === '/v1/chat/completions') {
      return body.stream === true ? streamChat(res, record, behaviour) : completeChat(res, body)
    }
    if (req.method === 'POST' && url.pathname === '/v1/images/generations') return generateImages(res, body)
    if (req.method === 'POST' && url.pathname === '/v1/moderations') return moderate(res, body)
    sendJson(
      res,
      404,
      errorBody(`Invalid URL (${req.method} ${url.pathname})`, 'invalid_request_error', null),
    )
  }

  const server = createServer((req, res) => {
    readJson(req).then(
      (body) => {
        const record: RecordedRequest = {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          body: body as Body | undefined,
          at: Date.now(),
          clientClosed: false,
          dropped: false,
        }
        requests.push(record)
        res.on('close', () => {
          if (res.writableFinished || record.dropped) return
          record.clientClosed = true
          closes.notify(record)
        })
        return handle(req, res, record)
      },
      () =>
        sendJson(
          res,
          400,
          errorBody('We could not parse the JSON body of your request.', 'invalid_request_error', null),
        ),
    )
  })
  const port = await listen(server, options.port)
  origin = `http://127.0.0.1:${port}`
  return Object.assign(fake, { url: `${origin}/v1` })
}
