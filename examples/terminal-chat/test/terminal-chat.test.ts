import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { Conversation } from '@kit/protocol'
import { startServer, type RunningServer } from '@kit/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnswerError, streamAnswer, type Answer, type StreamAnswerOptions } from '../src/stream-answer'

interface AskOptions {
  readonly signal?: AbortSignal
  readonly onWrite?: () => void
}

let kit: RunningServer
const user = { 'x-kit-user': randomBytes(16).toString('base64url') }
const QUESTION = 'What does the kit stream?'

beforeAll(async () => {
  kit = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      publishSecret: 'terminal-chat-publish-secret',
      tokenSecret: 'terminal-chat-token-secret-0123456789abcdef',
      log: { level: 'silent' },
      demo: { enabled: false },
      chat: {
        storage: { path: ':memory:' },
        providers: [
          { type: 'demo', name: 'demo', tokensPerSecond: 100_000 },
          // Slow enough that a stop sent at the first piece lands long before the answer would end.
          { type: 'demo', name: 'slow-demo', tokensPerSecond: 20 },
        ],
        moderation: { words: ['forbidden'] },
      },
    },
    { production: false },
  )
})
afterAll(() => kit.close())

/** Asks as the test's user; `onWrite` sees each piece as it is written. */
function ask(request: StreamAnswerOptions['request'], { signal, onWrite = () => {} }: AskOptions = {}) {
  const writes: string[] = []
  const write = (text: string) => {
    writes.push(text)
    onWrite()
  }
  const answer = streamAnswer({ baseUrl: kit.url, headers: user, request, write, signal })
  return { writes, answer }
}

async function savedAnswer(conversationId: string): Promise<string | undefined> {
  const res = await fetch(`${kit.url}/api/conversations/${conversationId}`, { headers: user })
  const conversation = (await res.json()) as Conversation
  return conversation.messages.find((message) => message.role === 'assistant')?.content
}

/** The whole answer to QUESTION, as the first test received it. */
let fullAnswer: Answer

describe('streaming an answer to the terminal', () => {
  it('writes the answer piece by piece, and the pieces are the answer the server saved', async () => {
    const { writes, answer } = ask({ prompt: QUESTION })
    fullAnswer = await answer
    expect(fullAnswer.done.reason).toBe('stop')
    expect(writes.length).toBeGreaterThan(10)
    expect(writes.join('')).toBe(fullAnswer.text)
    expect(await savedAnswer(fullAnswer.conversationId)).toBe(fullAnswer.text)
  })

  it('stops generating at the server on abort, keeping what had arrived', async () => {
    const stop = new AbortController()
    const { writes, answer } = ask(
      { prompt: QUESTION, provider: 'slow-demo' },
      { signal: stop.signal, onWrite: () => stop.abort() },
    )
    const stopped = await answer
    expect(stopped.done.reason).toBe('aborted')
    expect(writes.join('')).toBe(stopped.text)
    expect(stopped.text.length).toBeGreaterThan(0)
    expect(stopped.text.length).toBeLessThan(fullAnswer.text.length)
    expect(fullAnswer.text.startsWith(stopped.text)).toBe(true)
  })

  it("throws the server's error event as an AnswerError and writes nothing", async () => {
    const { writes, answer } = ask({ prompt: 'say the forbidden word' })
    const error = await answer.catch((err: unknown) => err)
    expect(error).toBeInstanceOf(AnswerError)
    expect((error as AnswerError).data.code).toBe('content_blocked')
    expect(writes).toEqual([])
  })

  it('prints the answer on stdout from the command line', async () => {
    const main = fileURLToPath(new URL('../src/main.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@kit/source', main, QUESTION], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, KIT_URL: kit.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const code = await new Promise((resolve) => child.once('close', resolve))
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expect(stdout).toBe(`${fullAnswer.text}\n`)
  }, 20_000)
})
