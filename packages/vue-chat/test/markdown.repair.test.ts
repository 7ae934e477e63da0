import { describe, expect, it } from 'vitest'
import { createIncrementalMarkdown, createSafeMarkdown, repairTail } from '../src'

describe('repairTail', () => {
  it.each([
    ['Hello **wor', 'Hello **wor**'],
    ['Hello __wor', 'Hello __wor__'],
    ['an *emphasised', 'an *emphasised*'],
    ['an _emphasised', 'an _emphasised_'],
    ['~~struck', '~~struck~~'],
    ['**bold *both', '**bold *both***'],
    ['**bold*', '**bold**'],
    ['text **bold ', 'text **bold**'],
    ['call `fn(', 'call `fn(`'],
    ['a **b `c*` d', 'a **b `c*` d**'],
  ])('closes an unclosed marker: %j', (input, expected) => {
    expect(repairTail(input)).toBe(expected)
  })

  it.each([
    ['Hello **', 'Hello '],
    ['Hello *', 'Hello '],
    ['call `', 'call '],
  ])('holds back a marker typed at the very end: %j', (input, expected) => {
    expect(repairTail(input)).toBe(expected)
  })

  it.each([
    ['see [the docs](https://exa', 'see the docs'],
    ['see [the do', 'see the do'],
    ['see [the docs]', 'see the docs'],
    ['a picture ![a cat](https://example.com/ca', 'a picture a cat'],
    ['[done](https://a.b) and [half', '[done](https://a.b) and half'],
  ])('shows a half-typed link as its text: %j', (input, expected) => {
    expect(repairTail(input)).toBe(expected)
  })

  it.each([
    '2 * 3 = 6',
    'snake_case_name',
    'x ~ y',
    'escaped \\*star',
    '**done** and *done*',
    '```js\nconst x = **y\n',
    '- item one\n- item two',
    'Paragraph one **bold\n\nparagraph two',
  ])('leaves text that needs no repair alone: %j', (input) => {
    expect(repairTail(input)).toBe(input)
  })

  it.each([
    ['Intro\n\n| Name | Size |', 'Intro\n\n'],
    ['Intro\n\n| Name | Size |\n| --- | -', 'Intro\n\n'],
  ])('holds back a table until its delimiter row is there: %j', (input, expected) => {
    expect(repairTail(input)).toBe(expected)
  })

  it('shows a table once its first row arrives', () => {
    const table = 'Intro\n\n| Name | Size |\n| --- | ---: |\n| a'
    expect(repairTail(table)).toBe(table)
  })

  it('repairs only after a closed code fence', () => {
    expect(repairTail('```\na ** b\n```\nthen **bo')).toBe('```\na ** b\n```\nthen **bo**')
  })

  it('keeps raw syntax out of the streamed HTML', () => {
    const renderer = createIncrementalMarkdown(createSafeMarkdown())
    const text = 'Use **bold**, *italics*, `code` and [links](https://example.com/page) freely.'
    for (let end = 1; end <= text.length; end++) {
      const html = renderer.update(text.slice(0, end)).tail
      expect(html, text.slice(0, end)).not.toMatch(/\*|`|\[|\]\(/)
    }
    const table = '| Transport | Direction |\n| --- | --- |\n| SSE | one way |\n'
    for (let end = 1; end <= table.length; end++) {
      const { blocks, tail } = renderer.update(table.slice(0, end))
      expect(blocks.join('') + tail, table.slice(0, end)).not.toContain('|')
    }
  })
})
