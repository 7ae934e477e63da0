/**
 * The demo's canned answer: the same prompt always gives the same Markdown, with every block a renderer must
 * handle while it streams (heading, list, table, fenced code), and a plain statement that it is a demo.
 */
export function demoAnswer(prompt: string, choice: number): string {
  const quoted = prompt.replace(/\s+/g, ' ').trim().slice(0, 120)
  const words = quoted.split(' ').filter(Boolean).length
  return [
    `## Demo answer${choice > 0 ? ` (choice ${choice + 1})` : ''}`,
    '',
    '> This is the **demo** provider: the text is generated offline, no language model was asked.',
    '> Configure an OpenAI or Spark instance to get real answers.',
    '',
    `You wrote: *${quoted}* (${words} ${words === 1 ? 'word' : 'words'}).`,
    '',
    'What this answer shows while it streams:',
    '',
    '1. Text that grows token by token.',
    '2. Markdown blocks rendered as soon as they are complete.',
    '3. A stream you can stop, resume after a dropped connection, or regenerate.',
    '',
    '| Part | Role |',
    '| --- | --- |',
    '| `@kit/sse-client` | parses the event stream and reconnects |',
    '| `@kit/vue-chat` | renders the answer incrementally |',
    '| `@kit/server` | runs the providers and keeps the replay buffer |',
    '',
    '```ts',
    "const { messages, send, stop } = useChatStream({ api: '/api' })",
    `await send(${JSON.stringify(quoted.slice(0, 40))})`,
    '```',
    '',
    'That is all: ask again to see the same answer.',
  ].join('\n')
}

/** Splits text the way a model streams it: words with their leading space, long words in pieces. */
export function demoTokens(text: string): string[] {
  return text.match(/\s*[^\s]{1,5}|\s+/g) ?? []
}
