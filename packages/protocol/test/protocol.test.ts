import { describe, expect, it } from 'vitest'
import { isChannelKey, isEventName, TERMINAL_EVENTS } from '../src'
import {
  chatRequestSchema,
  errorDataSchema,
  eventNameSchema,
  imageRequestSchema,
  publishRequestSchema,
  tokenRequestSchema,
} from '../src/schemas'

describe('channel keys', () => {
  it.each(['a', 'order-42', 'A_b-9', 'x'.repeat(128)])('accepts %s', (key) => {
    expect(isChannelKey(key)).toBe(true)
  })
  it.each(['', 'x'.repeat(129), 'a/b', 'a b', 'ключ', 'a.b', 42])('rejects %s', (key) => {
    expect(isChannelKey(key)).toBe(false)
  })
})

describe('event names', () => {
  it('follows [a-z][a-z0-9._-]{0,63}', () => {
    expect(isEventName('status')).toBe(true)
    expect(isEventName('job.progress-2')).toBe(true)
    expect(isEventName('Status')).toBe(false)
    expect(isEventName('9lives')).toBe(false)
    expect(isEventName('a'.repeat(65))).toBe(false)
  })
  it('reserves the terminal names and start for the server', () => {
    for (const name of ['done', 'error', 'start']) expect(eventNameSchema.safeParse(name).success).toBe(false)
    expect(TERMINAL_EVENTS).toEqual(['done', 'error'])
  })
})

describe('request bodies', () => {
  it('requires data on publish', () => {
    expect(publishRequestSchema.safeParse({ event: 'status' }).success).toBe(false)
    expect(publishRequestSchema.safeParse({ data: null }).success).toBe(true)
    expect(publishRequestSchema.safeParse({ event: 'status', data: { state: 'paid' } }).success).toBe(true)
  })
  it('validates chat requests', () => {
    expect(chatRequestSchema.safeParse({ prompt: '' }).success).toBe(false)
    expect(chatRequestSchema.safeParse({ prompt: 'hi', options: { n: 11 } }).success).toBe(false)
    const ok = chatRequestSchema.parse({
      prompt: '你好',
      template: 'translate',
      templateArgs: { language: 'en' },
    })
    expect(ok.prompt).toBe('你好')
  })
  it('defaults token ttl and image options', () => {
    expect(tokenRequestSchema.parse({ key: 'k' }).ttlSeconds).toBe(300)
    expect(imageRequestSchema.parse({ prompt: 'cat' })).toMatchObject({
      n: 1,
      size: '1024x1024',
      format: 'url',
    })
    expect(imageRequestSchema.safeParse({ prompt: 'cat', size: 'big' }).success).toBe(false)
  })
  it('keeps provider details on error events', () => {
    const e = errorDataSchema.parse({
      code: 'content_blocked',
      message: 'x',
      retriable: false,
      sid: 's1',
      extra: 1,
    })
    expect(e).toMatchObject({ sid: 's1', extra: 1 })
  })
})
