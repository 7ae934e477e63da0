import { describe, expect, it } from 'vitest'
import { loadConfig, parseConfig } from '../../src/config'

describe('moderation settings', () => {
  it('takes the words file from KIT_MODERATION_WORDS_FILE and has safe defaults', () => {
    const config = loadConfig({ env: { KIT_MODERATION_WORDS_FILE: '/etc/kit/words.txt' } })
    expect(config.chat.moderation).toEqual({
      words: [],
      wordsFile: '/etc/kit/words.txt',
      watchMs: 2_000,
      ignoreSeparators: 'cjk',
      ignoreMarks: true,
    })
  })

  it('names the moderation field that is wrong', () => {
    expect(() => parseConfig({ chat: { moderation: { ignoreSeparators: 'latin' } } })).toThrow(
      /chat\.moderation\.ignoreSeparators/,
    )
    expect(() =>
      parseConfig({ chat: { moderation: { openai: { enabled: true, apiKey: 'k', segmentChars: 10 } } } }),
    ).toThrow(/chat\.moderation\.openai\.segmentChars/)
  })
})
