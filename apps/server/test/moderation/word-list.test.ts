import { describe, expect, it } from 'vitest'
import { createWordListModerator } from '../../src/moderation'

describe('moderation: the word list', () => {
  it('reads CJK words across separators but Latin ones only spelled together, by default', () => {
    const list = createWordListModerator({ words: ['敏感词', 'therapist'] })
    expect(list.find('这是敏，感 词')).toBe('敏感词')
    expect(list.find('the rapist')).toBeUndefined()
    expect(list.find('THE\u200bRAPIST')).toBe('therapist')
  })

  it('reads every word across separators with ignoreSeparators all, none with none', () => {
    const all = createWordListModerator({ words: ['badword'], ignoreSeparators: 'all' })
    expect(all.find('b a-d.w o r d')).toBe('badword')
    const none = createWordListModerator({ words: ['敏感词'], ignoreSeparators: 'none' })
    expect(none.find('敏 感词')).toBeUndefined()
    expect(none.find('敏\u200b感词')).toBe('敏感词')
  })

  it('keeps accents apart with ignoreMarks false, in whichever form they are written', () => {
    const marked = createWordListModerator({ words: ['café'], ignoreMarks: false })
    expect(marked.find('un cafe')).toBeUndefined()
    expect(marked.find('un CAFÉ')).toBe('café')
    expect(marked.find('un cafe\u0301')).toBe('café')
    const ignored = createWordListModerator({ words: ['café'] })
    expect(ignored.find('un cafe')).toBe('café')
  })

  it('folds case fully, compatibility forms and Hangul syllables against their jamo', () => {
    const list = createWordListModerator({ words: ['STRASSE', 'ﬁne', '한국', 'ΣΟΦΟΣ'] })
    expect(list.find('die straße')).toBe('STRASSE')
    expect(list.find('fine')).toBe('ﬁne')
    expect(list.find('\u1112\u1161\u11AB\u1100\u116E\u11A8')).toBe('한국')
    expect(list.find('σοφος')).toBe('ΣΟΦΟΣ')
    expect(list.find('σοφοσ')).toBe('ΣΟΦΟΣ')
  })

  it('folds look-alikes in either case, and keeps Greek and Cyrillic words blind to case', () => {
    const list = createWordListModerator({ words: ['badword', 'ήλιος', 'Москва'] })
    expect(list.find('\u0412\u0410DWORD')).toBe('badword')
    expect(list.find('ΗΛΙΟΣ')).toBe('ήλιος')
    expect(list.find('ηλΙοσ')).toBe('ήλιος')
    expect(list.find('москва')).toBe('Москва')
    expect(list.find('MOCKBA')).toBe('Москва')
  })

  it('drops a word that folds to nothing instead of matching everywhere', () => {
    const list = createWordListModerator({ words: ['\u200b', '\u00ad\u200d', 'bad'] })
    expect(list.size).toBe(1)
    expect(list.find('an ordinary sentence')).toBeUndefined()
  })

  it('finds words among many, short ones inside long ones included', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}x`)
    const list = createWordListModerator({ words: [...many, 'she', 'he', 'hers'] })
    expect(list.size).toBe(20_003)
    expect(list.find('nothing to see')).toBeUndefined()
    const listed = `w${(12_340).toString(36)}x`
    expect(list.find(`a ${listed} b`)).toBe(listed)
    expect(list.find('ushers')).toBe('she')
    expect(list.find('the')).toBe('he')
  })

  it('swaps the list with setWords; an answer under way keeps the list it started with', async () => {
    const list = createWordListModerator({ words: ['old'] })
    const before = list.stream()
    list.setWords(['new'])
    expect(list.find('old')).toBeUndefined()
    expect(list.find('new')).toBe('new')
    expect(await before.push('old new ')).toEqual({ blocked: 'old' })
    expect(await list.stream().push('old ')).toEqual({ text: 'old ' })
  })

  it('checks a prompt as written and as rendered', async () => {
    const list = createWordListModerator({ words: ['badword', 'a_b'] })
    expect(await list.checkPrompt('**bad**word')).toBe('badword')
    expect(await list.checkPrompt('a_b')).toBe('a_b')
    expect(await list.checkPrompt('fine')).toBeUndefined()
  })
})
