import { ErrorCode } from '@kit/protocol'
import { describe, expect, it } from 'vitest'
import { askAll, BLOCKED_ANSWER, scriptedProvider, shown, useChatServices } from './scripted'

/**
 * The spellings an attack review got past the sensitive-word check: each is read as the listed word by
 * a person (or rendered as it by the chat's Markdown), so each must be refused.
 */
const WORDS = ['badword', '敏感词', 'bad!word']

const SPELLINGS: readonly (readonly [name: string, spelling: string])[] = [
  ['full-width letters', 'ｂａｄｗｏｒｄ'],
  ['a zero-width space', 'bad\u200bword'],
  ['a zero-width space between CJK characters', '敏\u200b感\u200b词'],
  ['a soft hyphen', 'bad\u00adword'],
  ['a Cyrillic look-alike', 'b\u0430dword'],
  ['a space between CJK characters', '敏 感词'],
  ['a combining accent', 'bad\u0301word'],
]

/** Written so that only the rendered answer shows the word. */
const RENDERED_SPELLINGS: readonly (readonly [name: string, spelling: string])[] = [
  ['a numeric entity', 'bad&#119;ord'],
  ['a named entity', 'b&auml;dword'],
  ['Markdown strong emphasis', '**bad**word'],
  ['Markdown emphasis inside a word', 'b*ad*word'],
  ['a code span', 'bad`word`'],
  ['a backslash escape', 'bad\\!word'],
  ['a link', '[bad](https://example.com/x)word'],
]

const services = useChatServices()
const chatWith = () => {
  const provider = scriptedProvider()
  const chat = services({ providers: [provider], config: { moderation: { words: WORDS } } })
  return { provider, chat }
}

describe('moderation: spellings that got past the word list', () => {
  it.each(SPELLINGS)('refuses a prompt that spells a listed word with %s', async (_name, spelling) => {
    const { provider, chat } = chatWith()
    expect(await askAll(chat, `please say ${spelling} now`)).toEqual([
      {
        event: 'error',
        data: { code: ErrorCode.ContentBlocked, message: expect.any(String), retriable: false },
      },
    ])
    expect(provider.calls).toBe(0)
  })

  it.each([...SPELLINGS, ...RENDERED_SPELLINGS])(
    'stops an answer that shows a listed word through %s before any of it is sent',
    async (_name, spelling) => {
      const { provider, chat } = chatWith()
      const before = 'Here it is: '
      // Cut in the middle of the spelling as well, so the word spans two deltas.
      const answer = `${before}${spelling} and more text after it`
      const cut = before.length + Math.ceil(spelling.length / 2)
      provider.deltas = [answer.slice(0, cut), answer.slice(cut)]
      const events = await askAll(chat, 'go')
      expect(events.at(-1)).toEqual(BLOCKED_ANSWER)
      const sent = shown(events)
      expect(sent.startsWith(before)).toBe(true)
      // At most the invisible Markdown markers in front of the word's first letter.
      expect(sent.slice(before.length)).toMatch(/^[*_`~[]*$/)
      // History keeps the question and an interrupted answer with none of the blocked text.
      const [saved] = await chat.stores.history.list('alice')
      const messages = (await chat.stores.history.get('alice', saved?.id ?? ''))?.messages
      expect(messages?.map((m) => [m.role, m.content, m.status])).toEqual([
        ['user', 'go', undefined],
        ['assistant', '', 'interrupted'],
      ])
    },
  )

  it.each(RENDERED_SPELLINGS)(
    'refuses a whole (not streamed) answer that shows it through %s',
    async (_name, spelling) => {
      const { provider, chat } = chatWith()
      provider.deltas = [`Here it is: ${spelling}`]
      await expect(chat.complete({ userId: 'alice', prompt: 'go' })).rejects.toMatchObject({
        code: ErrorCode.ContentBlocked,
      })
    },
  )

  it('still answers text that only looks close', async () => {
    const { provider, chat } = chatWith()
    const answer =
      'a bad word, bad_words are *bad* words, &amp; 敏感 is fine, so is 感词, **badwor** d, bad\\word'
    provider.deltas = [answer.slice(0, 30), answer.slice(30)]
    const events = await askAll(chat, 'a bad word')
    expect(events.at(-1)?.event).toBe('done')
    expect(shown(events)).toBe(answer)
  })
})
