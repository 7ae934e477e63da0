// `pnpm --filter @kit/example-terminal-chat start [question]`: one answer, or a conversation read line by
// line from stdin. KIT_URL (default http://localhost:3000) is the kit's server; Ctrl-C stops an answer.
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import { streamAnswer } from './stream-answer'

const baseUrl = process.env.KIT_URL ?? 'http://localhost:3000'
// The server keeps history per user: a JWT when it wants one, else a stable id for this terminal.
const headers: Record<string, string> = process.env.KIT_TOKEN
  ? { authorization: `Bearer ${process.env.KIT_TOKEN}` }
  : { 'x-kit-user': process.env.KIT_USER ?? randomBytes(16).toString('base64url') }

let stopping: AbortController | undefined
const interrupt = () => (stopping ? stopping.abort() : process.exit(130))
process.on('SIGINT', interrupt)

/** Prints one answer as it arrives; returns its conversation, or nothing when it failed. */
async function ask(prompt: string, conversationId?: string): Promise<string | undefined> {
  stopping = new AbortController()
  try {
    const answer = await streamAnswer({
      baseUrl,
      headers,
      request: { prompt, conversationId },
      write: (text) => process.stdout.write(text),
      signal: stopping.signal,
    })
    process.stdout.write(answer.done.reason === 'aborted' ? ' [stopped]\n' : '\n')
    return answer.conversationId
  } catch (err) {
    process.stderr.write(`\n${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 1
    return undefined
  } finally {
    stopping = undefined
  }
}

const question = process.argv.slice(2).join(' ').trim()
if (question) {
  await ask(question)
} else {
  let conversationId: string | undefined
  const lines = createInterface({ input: process.stdin })
  // On a terminal, readline takes Ctrl-C itself instead of the process receiving SIGINT.
  lines.on('SIGINT', interrupt)
  for await (const line of lines) {
    if (line.trim()) conversationId = (await ask(line, conversationId)) ?? conversationId
  }
}
