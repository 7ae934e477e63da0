import type { ModerationConfig } from '../config/chat'
import type { Logger } from '../logging/logger'
import { chainModerators } from './chain'
import { createOpenAIModerator } from './openai'
import type { Moderator } from './types'
import { createWordListModerator } from './word-list'
import { readWordsFile, readWordsFileSync, watchWordsFile } from './words-file'

export interface Moderation {
  readonly moderator: Moderator
  /** Reads the words file again (if any) and swaps the list in; answers under way keep theirs. */
  reload(): Promise<{ readonly words: number }>
  close(): void
}

export interface ModerationOptions {
  readonly config: ModerationConfig
  /** Checked after the word list (and after OpenAI when enabled). */
  readonly moderator?: Moderator
  readonly logger: Logger
}

/** The word list of `words` and `wordsFile`, then OpenAI when enabled, then a moderator of your own. */
export function createModeration({ config, moderator, logger }: ModerationOptions): Moderation {
  const { wordsFile } = config
  const wordList = createWordListModerator({
    words: [...config.words, ...(wordsFile ? readWordsFileSync(wordsFile) : [])],
    ignoreSeparators: config.ignoreSeparators,
    ignoreMarks: config.ignoreMarks,
  })
  const reload = async () => {
    wordList.setWords([...config.words, ...(wordsFile ? await readWordsFile(wordsFile) : [])])
    logger.info({ words: wordList.size }, 'moderation words loaded')
    return { words: wordList.size }
  }
  const stopWatching =
    wordsFile && config.watchMs > 0
      ? watchWordsFile(wordsFile, config.watchMs, () => {
          reload().catch((err: unknown) =>
            logger.error(
              { err, wordsFile },
              'the moderation words file could not be read; the old list stays',
            ),
          )
        })
      : undefined
  const { openai } = config
  const remote = [
    ...(openai?.enabled && openai.apiKey
      ? [createOpenAIModerator({ ...openai, apiKey: openai.apiKey })]
      : []),
    ...(moderator ? [moderator] : []),
  ]
  return {
    moderator: chainModerators(wordList, ...remote),
    reload,
    close: () => stopWatching?.(),
  }
}
