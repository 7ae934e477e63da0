import { describe, expect, it } from 'vitest'
import { createWordListModerator } from '../../src/moderation'

const WORDS = ['badword', 'evil', '敏感词', 'two words', 'bad!word']
const moderator = createWordListModerator({ words: WORDS })

interface Run {
  readonly released: string
  readonly blocked: string | undefined
  /** Released text of each call, in order. */
  readonly pieces: string[]
  /** Characters pushed but not yet released, after each push. */
  readonly held: number[]
}

async function stream(chunks: readonly string[]): Promise<Run> {
  const guard = moderator.stream()
  const pieces: string[] = []
  const held: number[] = []
  let pushed = 0
  const done = (blocked?: string): Run => ({ released: pieces.join(''), blocked, pieces, held })
  for (const chunk of chunks) {
    pushed += chunk.length
    const result = await guard.push(chunk)
    if ('blocked' in result) return done(result.blocked)
    pieces.push(result.text)
    held.push(pushed - pieces.join('').length)
  }
  const rest = await guard.flush()
  if ('blocked' in rest) return done(rest.blocked)
  pieces.push(rest.text)
  return done()
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const isBlocked = async (text: string) => (await stream([text])).blocked !== undefined

/**
 * Where the first match begins in the source text: the shortest prefix that is blocked ends it, and the
 * latest start from which that prefix still is begins it. No released text may reach past it.
 */
async function matchStart(text: string): Promise<number> {
  let end = 1
  while (!(await isBlocked(text.slice(0, end)))) end++
  let start = end - 1
  while (!(await isBlocked(text.slice(start, end)))) start--
  return start
}

/** The text cut once at every position, and twice at every pair of positions when it is short. */
function* everyCut(text: string): Generator<string[]> {
  for (let i = 0; i <= text.length; i++) {
    yield [text.slice(0, i), text.slice(i)]
    if (text.length > 48) continue
    for (let j = i; j <= text.length; j++) yield [text.slice(0, i), text.slice(i, j), text.slice(j)]
  }
  yield Array.from(text)
}

const DIRTY = [
  'Here: badword tail',
  'Here: ｂａｄｗｏｒｄ.',
  'x bad\u200bword',
  'x 敏\u200b感 词 y',
  'x bad\u00adword',
  'x b\u0430dword',
  'x bad\u0301word',
  'x bad&#119;ord y',
  'x bad&#x77;ord',
  'x **bad**word',
  'x bad`word` y',
  'x bad\\!word',
  'x [bad](http://e.com/a_b)word',
  'x ](badword',
  '](bad word [b](x)adword',
  'x two \n\t words',
  'EVIL',
  '😀evil😀',
]

const CLEAN = [
  'a bad word, bad_words are *bad* words',
  '&amp; 敏感 is fine, so is 感词',
  'badwor',
  'evi',
  'two-words, two wordz',
  'an entity never closed &#119 then text',
  'a trailing backslash \\',
  'a trailing &',
  '😀 emoji 👍🏽 split anywhere',
  'bad_word stays snake_case',
  'see [bad](http://a.b/c) word, a ](bad link) word',
]

describe('moderation: a streamed answer cut anywhere', () => {
  it.each(DIRTY)('never lets any of %j through, wherever its deltas are cut', async (text) => {
    const start = await matchStart(text)
    for (const chunks of everyCut(text)) {
      const run = await stream(chunks)
      expect(run.blocked, JSON.stringify(chunks)).toBeDefined()
      expect(text.startsWith(run.released)).toBe(true)
      expect(run.released.length, JSON.stringify(chunks)).toBeLessThanOrEqual(start)
    }
  })

  it.each(CLEAN)('passes %j unchanged, wherever its deltas are cut', async (text) => {
    for (const chunks of everyCut(text)) {
      const run = await stream(chunks)
      expect(run.blocked, JSON.stringify(chunks)).toBeUndefined()
      expect(run.released).toBe(text)
      // A surrogate pair is never cut in two between releases.
      for (const piece of run.pieces) expect(piece, JSON.stringify(chunks)).not.toMatch(LONE_SURROGATE)
    }
  })

  it('decides random texts cut at random the same way as the whole text', async () => {
    const random = seeded(20261207)
    const pick = <T>(items: readonly T[]) => items[random(items.length)]!
    const filler = [
      ...'badworevil tx!#9;\\*_`',
      'bad',
      'ev',
      '&#119;',
      '&amp;',
      '\u200b',
      '敏',
      '感',
      '。',
      '😀',
      'ｂ',
    ]
    const noise = ['\u200b', '\u00ad', '\u0301', '**', '`', '&shy;', '\\!']
    const fill = () => Array.from({ length: random(15) }, () => pick(filler)).join('')
    // Half the texts hide a listed word, each letter followed now and then by something invisible.
    const plant = () =>
      Array.from(pick(WORDS), (char) => char + (random(3) === 0 ? pick(noise) : '')).join('')
    let blockedCount = 0
    for (let round = 0; round < 1500; round++) {
      const text = fill() + (random(2) === 0 ? plant() : '') + fill()
      const cuts = Array.from({ length: random(6) }, () => random(text.length + 1)).sort((a, b) => a - b)
      const chunks = [0, ...cuts].map((from, i) => text.slice(from, [...cuts, text.length][i]))
      const [whole, cut] = [await stream([text]), await stream(chunks)]
      const label = JSON.stringify(chunks)
      expect(cut.blocked === undefined, label).toBe(whole.blocked === undefined)
      if (whole.blocked === undefined) expect(cut.released, label).toBe(text)
      else {
        blockedCount++
        expect(text.startsWith(cut.released), label).toBe(true)
        expect(cut.released.length, label).toBeLessThanOrEqual(await matchStart(text))
      }
    }
    // The generator must produce both outcomes for the comparison to mean anything.
    expect(blockedCount).toBeGreaterThan(500)
    expect(blockedCount).toBeLessThan(1300)
  })
})

describe('moderation: what a streamed answer holds back', () => {
  const longestProperPrefix = (text: string) => {
    for (let k = Math.min(text.length, 8); k > 0; k--) {
      const tail = text.slice(-k)
      if (WORDS.some((word) => word.length > k && word.startsWith(tail))) return k
    }
    return 0
  }

  it('holds back exactly the longest tail that could still begin a listed word, and nothing else', async () => {
    const random = seeded(7)
    const letters = 'badworevil tsx'
    for (let round = 0; round < 300; round++) {
      const text = Array.from({ length: 1 + random(60) }, () => letters[random(letters.length)])
        .join('')
        .replace(/ {2,}/g, ' ')
      const chunks = text.match(/.{1,3}/gs) ?? []
      const run = await stream(chunks)
      if (run.blocked !== undefined) continue
      let pushed = ''
      for (const [i, chunk] of chunks.entries()) {
        pushed += chunk
        expect(run.held[i], JSON.stringify(pushed)).toBe(longestProperPrefix(pushed))
        // The bound: one less than the longest word.
        expect(run.held[i]).toBeLessThanOrEqual(Math.max(...WORDS.map((w) => w.length)) - 1)
      }
    }
  })

  it('releases each delta at once when it cannot begin a word', async () => {
    const run = await stream(['hello ', 'there, ', 'all fun'])
    expect(run.pieces).toEqual(['hello ', 'there, ', 'all fun', ''])
  })

  it('releases a held tail as soon as the next delta rules the word out', async () => {
    const run = await stream(['see b', 'a', 'd', 'x mom'])
    expect(run.pieces).toEqual(['see ', '', '', 'badx mom', ''])
  })

  it('holds an unfinished entity (at most 33 characters) until it cannot be one', async () => {
    const name = 'q'.repeat(32)
    const run = await stream(['x &', name, 'q'])
    expect(run.held).toEqual([1, 33, 0])
    expect(run.released).toBe(`x &${name}q`)
  })

  it('holds a link destination (at most 512 characters) until it is known to be one', async () => {
    const run = await stream(['b[', 'ad](https://', 'example.com/', ') nothing'])
    expect(run.held).toEqual([2, 14, 26, 0])
    expect((await stream(['ba](', 'x'.repeat(520)])).held).toEqual([4, 0])
  })

  it('holds a CJK word start across the separators that may still come inside the word', async () => {
    const run = await stream(['说敏', '，  ', '好'])
    expect(run.held).toEqual([1, 4, 0])
  })
})

/** A small deterministic generator: the same cases on every run, so a failure can be replayed. */
function seeded(seed: number): (below: number) => number {
  let state = seed >>> 0
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below)
  }
}
